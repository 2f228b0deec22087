# The service principal's only provisioning job (set job_id when it has several).
data "entra_provisioning_job" "scim_app" {
  service_principal_id = entra_enterprise_application.scim_app.service_principal_id
}

output "provisioning_status" {
  value = {
    status      = data.entra_provisioning_job.scim_app.status_code
    last_cycle  = data.entra_provisioning_job.scim_app.last_execution
    quarantined = data.entra_provisioning_job.scim_app.quarantine != null
  }
}
