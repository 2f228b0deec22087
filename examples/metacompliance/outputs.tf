output "service_principal_id" {
  value = entra_enterprise_application.metacompliance.service_principal_id
}

output "job_id" {
  value = entra_provisioning_job.metacompliance.job_id
}
