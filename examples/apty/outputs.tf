output "service_principal_id" {
  value = entra_enterprise_application.apty.service_principal_id
}

output "job_id" {
  value = entra_provisioning_job.apty.job_id
}
