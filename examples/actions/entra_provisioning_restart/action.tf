# Restart the job whenever its attribute mappings change (Terraform 1.14+),
# or on demand: terraform apply -invoke=action.entra_provisioning_restart.hr
action "entra_provisioning_restart" "hr" {
  config {
    service_principal_id = entra_provisioning_job.hr.service_principal_id
    job_id               = entra_provisioning_job.hr.job_id
    scope                = ["watermark", "escrows", "quarantine_state"] # the portal's "Restart provisioning"
  }
}

resource "entra_provisioning_schema" "hr" {
  service_principal_id = entra_provisioning_job.hr.service_principal_id
  job_id               = entra_provisioning_job.hr.job_id
  # ...

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.entra_provisioning_restart.hr]
    }
  }
}
