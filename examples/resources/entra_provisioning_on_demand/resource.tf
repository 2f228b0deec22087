# Provision one user and one group right away (the portal's "Provision on
# demand"), for example to smoke-test a new configuration. Changing triggers
# runs it again.
resource "entra_provisioning_on_demand" "smoke_test" {
  service_principal_id = entra_enterprise_application.scim_app.service_principal_id
  job_id               = entra_provisioning_job.scim_app.job_id

  subjects = [
    { object_id = var.alice_object_id, object_type = "User" },
    { object_id = var.sales_group_object_id, object_type = "Group" },
  ]

  triggers = {
    mappings = "v2"
  }
}

output "on_demand_results" {
  value = entra_provisioning_on_demand.smoke_test.results
}
