# A non-gallery SCIM application provisioned from Entra ID.
resource "entra_enterprise_application" "example" {
  display_name = "Example SCIM app"
}

variable "scim_token" {
  type      = string
  sensitive = true
  ephemeral = true # never written to state or plan (Terraform 1.11+)
}

resource "entra_provisioning_job" "example" {
  service_principal_id = entra_enterprise_application.example.service_principal_id

  tenant_url              = "https://scim.example.com/scim/v2"
  secret_token_wo         = var.scim_token
  secret_token_wo_version = 1 # bump after changing the token

  notification_email            = "iam-alerts@example.com"
  accidental_deletion_threshold = 500
  scope                         = "assigned"
  enabled                       = true
  restart_triggers              = { mappings = "v1" }

  object_mappings = {
    User = {
      attribute_mappings = {
        "userName"                       = { source = "userPrincipalName", matching_priority = 1 }
        "active"                         = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName"                    = { source = "displayName" }
        "emails[type eq \"work\"].value" = { source = "mail" }
        "externalId"                     = { source = "objectId" }
      }
    }
    Group = { enabled = false }
  }
}
