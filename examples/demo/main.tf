# The `make demo` estate: three SCIM applications from the vendor setup guides
# in examples/, each with its SCIM target on the local simulator.
#
# - Apty:            non-gallery ("Create your own application"), three mappings.
# - myPolicies:      gallery application, instantiated from its template.
# - &Money advisors: non-gallery, deliberately configured with a WRONG token and
#                    validate_credentials = false, so the apply succeeds but
#                    every provisioning cycle fails and Entra quarantines the
#                    job. That is what the exporter's alerts are for.

locals {
  # SCIM "active" from Entra's soft-delete flag, as every guide maps it.
  active = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")"
}

# ---------------------------------------------------------------- Apty
resource "entra_enterprise_application" "apty" {
  display_name = "Apty (demo)"
}

resource "entra_app_role_assignment" "apty" {
  for_each             = toset(var.assigned_group_ids)
  service_principal_id = entra_enterprise_application.apty.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

resource "entra_provisioning_job" "apty" {
  service_principal_id = entra_enterprise_application.apty.service_principal_id
  # The non-gallery template: known at plan, so the mappings are checked
  # against it before the application is created.
  template_id = "scim"

  tenant_url              = "${trimsuffix(var.scim_base_url, "/")}/_sim/scim/apty/"
  secret_token_wo         = var.scim_tokens["apty"]
  secret_token_wo_version = 1
  validate_credentials    = true # Test Connection before saving

  notification_email = var.notification_email
  enabled            = true

  object_mappings = {
    User = {
      attribute_mappings = {
        "userName"    = { source = "userPrincipalName", matching_priority = 1 }
        "active"      = { expression = local.active }
        "displayName" = { source = "displayName" }
      }
    }
    Group = { enabled = false }
  }

  depends_on = [entra_app_role_assignment.apty]
}

# ---------------------------------------------------------- myPolicies
data "entra_application_template" "mypolicies" {
  display_name = "myPolicies"
}

resource "entra_enterprise_application" "mypolicies" {
  display_name = "myPolicies (demo)"
  template_id  = data.entra_application_template.mypolicies.id
}

resource "entra_app_role_assignment" "mypolicies" {
  for_each             = toset(var.assigned_group_ids)
  service_principal_id = entra_enterprise_application.mypolicies.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

resource "entra_provisioning_job" "mypolicies" {
  service_principal_id = entra_enterprise_application.mypolicies.service_principal_id

  tenant_url              = "${trimsuffix(var.scim_base_url, "/")}/_sim/scim/mypolicies/"
  secret_token_wo         = var.scim_tokens["mypolicies"]
  secret_token_wo_version = 1
  validate_credentials    = true

  notification_email            = var.notification_email
  accidental_deletion_threshold = 500
  scope                         = "assigned"
  enabled                       = true

  object_mappings = {
    User = {
      attribute_mappings = {
        "userName"                       = { source = "userPrincipalName", matching_priority = 1 }
        "active"                         = { expression = local.active }
        "emails[type eq \"work\"].value" = { source = "mail" }
        "name.givenName"                 = { source = "givenName" }
        "name.familyName"                = { source = "surname" }
        "name.formatted"                 = { expression = "Join(\" \", [givenName], [surname])" }
        "externalId"                     = { source = "mailNickname" }
      }
    }
  }

  depends_on = [entra_app_role_assignment.mypolicies]
}

# ---------------------------------------------------- &Money advisors
resource "entra_enterprise_application" "andmoney_advisors" {
  display_name = "&Money Advisors (demo)"
}

resource "entra_app_role_assignment" "andmoney_advisors" {
  for_each             = toset(var.assigned_group_ids)
  service_principal_id = entra_enterprise_application.andmoney_advisors.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

resource "entra_provisioning_job" "andmoney_advisors" {
  service_principal_id = entra_enterprise_application.andmoney_advisors.service_principal_id
  # The non-gallery template: known at plan, so the mappings are checked
  # against it before the application is created.
  template_id = "scim"

  tenant_url              = "${trimsuffix(var.scim_base_url, "/")}/_sim/scim/andmoney-advisors/"
  secret_token_wo         = var.scim_tokens["andmoney_advisors"] # the demo passes a wrong one
  secret_token_wo_version = 1
  # Skip Test Connection so the wrong token is saved: the failure then shows
  # up where operators see it, in the provisioning cycles and the exporter.
  validate_credentials = false

  notification_email = var.notification_email
  enabled            = true

  object_mappings = {
    User = {
      attribute_mappings = {
        "active"          = { expression = local.active }
        "userName"        = { source = "userPrincipalName", matching_priority = 1 }
        "displayName"     = { source = "displayName" }
        "name.givenName"  = { source = "givenName" }
        "name.familyName" = { source = "surname" }
        "externalId"      = { source = "objectId" }
      }
    }
  }

  depends_on = [entra_app_role_assignment.andmoney_advisors]
}
