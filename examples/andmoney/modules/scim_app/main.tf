# One &Money SCIM application (advisors or rooms) in one environment: the
# enterprise application, its assignments and its provisioning job.

terraform {
  required_providers {
    entra = {
      source = "entra-provisioning/entra"
    }
  }
}

locals {
  active = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")"

  # The attribute mapping tables of the &Money "SCIM Provisioning Setup" guide.
  mappings = {
    advisors = {
      "active"                                = { expression = local.active }
      "userName"                              = { source = "userPrincipalName", matching_priority = 1 }
      "displayName"                           = { source = "displayName" }
      "name.givenName"                        = { source = "givenName" }
      "name.familyName"                       = { source = "surname" }
      "addresses[type eq \"work\"].formatted" = { source = "physicalDeliveryOfficeName" }
      "externalId"                            = { source = "objectId" }
    }
    rooms = {
      "active"                                = { expression = local.active }
      "userName"                              = { source = "userPrincipalName", matching_priority = 1 }
      "displayName"                           = { source = "displayName" }
      "addresses[type eq \"work\"].formatted" = { source = "physicalDeliveryOfficeName" }
      "externalId"                            = { source = "objectId" }
    }
  }
}

resource "entra_enterprise_application" "this" {
  display_name = var.display_name
}

resource "entra_app_role_assignment" "members" {
  for_each             = toset(var.assigned_principal_ids)
  service_principal_id = entra_enterprise_application.this.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

resource "entra_provisioning_job" "this" {
  service_principal_id = entra_enterprise_application.this.service_principal_id
  # The non-gallery template: known at plan, so the mappings are checked
  # against it before the application is created.
  template_id = "scim"

  tenant_url              = var.tenant_url
  secret_token_wo         = var.secret_token
  secret_token_wo_version = var.secret_token_version
  validate_credentials    = true

  # Monitoring: "Enable Send Email" for each application.
  notification_email = var.notification_email
  enabled            = true

  object_mappings = {
    User = {
      enabled            = true
      attribute_mappings = local.mappings[var.kind]
    }
  }
}

# "Provision on demand": provision these (assigned) users right away instead
# of waiting for the next cycle, e.g. a newly assigned advisor.
resource "entra_provisioning_on_demand" "now" {
  count                = length(var.provision_on_demand_user_ids) > 0 ? 1 : 0
  service_principal_id = entra_enterprise_application.this.service_principal_id
  job_id               = entra_provisioning_job.this.job_id
  subjects             = [for id in var.provision_on_demand_user_ids : { object_id = id, object_type = "User" }]

  depends_on = [entra_app_role_assignment.members]
}
