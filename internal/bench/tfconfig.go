package bench

// configHCL is one Terraform root module with var.n complete provisioning
// configurations: an enterprise application, a group assignment and a
// provisioning job with credentials (Test Connection on), custom mappings
// and the job started, the shape every vendor guide in examples/ produces.
const configHCL = `terraform {
  required_version = ">= 1.11"
  required_providers {
    entra = { source = "entra-provisioning/entra" }
  }
}

provider "entra" {}

variable "n" { type = number }
variable "prefix" { type = string }
variable "scim_base_url" { type = string }
variable "group_id" { type = string }
variable "scim_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "entra_enterprise_application" "app" {
  count        = var.n
  display_name = "${var.prefix} ${count.index}"
}

resource "entra_app_role_assignment" "app" {
  count                = var.n
  service_principal_id = entra_enterprise_application.app[count.index].service_principal_id
  principal_id         = var.group_id
  app_role             = "User"
}

resource "entra_provisioning_job" "app" {
  count                   = var.n
  service_principal_id    = entra_enterprise_application.app[count.index].service_principal_id
  tenant_url              = "${var.scim_base_url}/_sim/scim/bench/"
  secret_token_wo         = var.scim_token
  secret_token_wo_version = 1
  validate_credentials    = true
  enabled                 = true
  notification_email      = "bench-alerts@example.com"

  object_mappings = {
    User = {
      attribute_mappings = {
        "userName"                       = { source = "userPrincipalName", matching_priority = 1 }
        "active"                         = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName"                    = { source = "displayName" }
        "emails[type eq \"work\"].value" = { source = "mail" }
        "name.formatted"                 = { expression = "Join(\" \", [givenName], [surname])" }
        "externalId"                     = { source = "objectId" }
      }
    }
    Group = { enabled = false }
  }

  depends_on = [entra_app_role_assignment.app]
}
`

// scimToken is the SCIM secret token of the simulator's "bench" target. It
// is the known secret the leak scan searches for.
const scimToken = "sim-token-bench"

// resourcesPerConfig is how many Terraform resources one configuration has.
const resourcesPerConfig = 3
