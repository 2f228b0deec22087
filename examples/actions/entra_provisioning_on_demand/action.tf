# Provision a newly assigned user right away instead of at the next cycle;
# each subject's outcome is printed as a progress message.
action "entra_provisioning_on_demand" "new_hire" {
  config {
    service_principal_id = entra_provisioning_job.hr.service_principal_id
    job_id               = entra_provisioning_job.hr.job_id
    subjects = [
      { object_id = entra_app_role_assignment.new_hire.principal_id, object_type = "User" },
    ]
    fail_on_error = true
  }
}

resource "entra_app_role_assignment" "new_hire" {
  service_principal_id = entra_provisioning_job.hr.service_principal_id
  principal_id         = var.new_hire_object_id
  app_role             = "User"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.entra_provisioning_on_demand.new_hire]
    }
  }
}
