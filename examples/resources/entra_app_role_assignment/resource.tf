resource "entra_enterprise_application" "scim_app" {
  display_name = "Contoso SCIM"
}

# Assign a group in the "User" role: with the "assigned" provisioning scope,
# its members are provisioned.
resource "entra_app_role_assignment" "sales" {
  service_principal_id = entra_enterprise_application.scim_app.service_principal_id
  principal_id         = var.sales_group_object_id
  app_role             = "User"
}

# Or by role id.
resource "entra_app_role_assignment" "alice" {
  service_principal_id = entra_enterprise_application.scim_app.service_principal_id
  principal_id         = var.alice_object_id
  app_role_id          = entra_enterprise_application.scim_app.app_role_ids["User"]
}

variable "sales_group_object_id" {
  type = string
}

variable "alice_object_id" {
  type = string
}
