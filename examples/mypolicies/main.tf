# myPolicies from the Entra gallery, provisioned over SCIM, following
# "Tutorial: Configure myPolicies for automatic user provisioning".

data "entra_application_template" "mypolicies" {
  display_name = "myPolicies"
}

resource "entra_enterprise_application" "mypolicies" {
  display_name = var.display_name
  template_id  = data.entra_application_template.mypolicies.id
}

# "Assigning users to myPolicies": users with a real role (not Default Access).
resource "entra_app_role_assignment" "users" {
  for_each             = toset(var.assigned_user_ids)
  service_principal_id = entra_enterprise_application.mypolicies.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

resource "entra_provisioning_job" "mypolicies" {
  service_principal_id = entra_enterprise_application.mypolicies.service_principal_id

  # Admin Credentials: https://<myPoliciesCustomDomain>.mypolicies.com/scim
  tenant_url              = var.tenant_url
  secret_token_wo         = var.secret_token
  secret_token_wo_version = var.secret_token_version
  validate_credentials    = true # Test Connection

  notification_email = var.notification_email # "Send an email notification when a failure occurs"
  scope              = "assigned"
  enabled            = true # Provisioning Status: On

  # The nine user attributes myPolicies synchronizes.
  object_mappings = {
    User = {
      enabled = true
      # "To configure scoping filters": optionally only users of these
      # departments (one group per department; groups are OR-ed). Left
      # unmanaged when the list is empty.
      scoping_filter = length(var.scoping_departments) == 0 ? null : [
        for d in var.scoping_departments : { clauses = [{ attribute = "department", operator = "EQUALS", values = [d] }] }
      ]
      attribute_mappings = {
        "userName"                                                           = { source = "userPrincipalName", matching_priority = 1 }
        "active"                                                             = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "emails[type eq \"work\"].value"                                     = { source = "mail" }
        "name.givenName"                                                     = { source = "givenName" }
        "name.familyName"                                                    = { source = "surname" }
        "name.formatted"                                                     = { expression = "Join(\" \", [givenName], [surname])" }
        "externalId"                                                         = { source = "mailNickname" }
        "addresses[type eq \"work\"].country"                                = { source = "country" }
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" = { source = "manager" }
      }
    }
  }

  # Assign users before provisioning starts, as the tutorial asks.
  depends_on = [entra_app_role_assignment.users]
}
