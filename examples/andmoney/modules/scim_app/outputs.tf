output "service_principal_id" {
  value = entra_enterprise_application.this.service_principal_id
}

output "job_id" {
  value = entra_provisioning_job.this.job_id
}
