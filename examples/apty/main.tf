# Apty as a non-gallery SCIM application, following "Apty User Management
# with Microsoft Entra ID SCIM".

resource "entra_enterprise_application" "apty" {
  display_name = var.display_name
}

resource "entra_app_role_assignment" "members" {
  for_each             = toset(var.assigned_principal_ids)
  service_principal_id = entra_enterprise_application.apty.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

resource "entra_provisioning_job" "apty" {
  service_principal_id = entra_enterprise_application.apty.service_principal_id
  # The non-gallery template: known at plan, so the mappings are checked
  # against it before the application is created.
  template_id = "scim"

  # Apty Admin → System Settings → SCIM Config: Tenant URL and Secret Token (API key).
  tenant_url              = var.tenant_url
  secret_token_wo         = var.secret_token
  secret_token_wo_version = var.secret_token_version
  validate_credentials    = true

  enabled = true

  object_mappings = {
    # "Delete all other mappings than userName, active and displayName".
    User = {
      enabled = true
      attribute_mappings = {
        "userName"    = { source = "userPrincipalName", matching_priority = 1 }
        "active"      = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName" = { source = "displayName" }
      }
    }
    # "Make sure User and Group Provisioning is enabled in mappings."
    Group = { enabled = true }
  }
}
