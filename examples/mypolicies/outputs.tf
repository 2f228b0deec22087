output "service_principal_id" {
  value = entra_enterprise_application.mypolicies.service_principal_id
}

output "job_id" {
  value = entra_provisioning_job.mypolicies.job_id
}
