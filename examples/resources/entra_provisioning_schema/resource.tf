# Attribute mappings of a job created elsewhere (for example with the AzureAD
# provider's azuread_synchronization_job).
variable "service_principal_id" { type = string }
variable "job_id" { type = string }

resource "entra_provisioning_schema" "example" {
  service_principal_id = var.service_principal_id
  job_id               = var.job_id

  object_mappings = {
    User = {
      scoping_filter = [
        { clauses = [{ attribute = "department", operator = "EQUALS", values = ["Sales"] }] },
      ]
      attribute_mappings = {
        "userName"    = { source = "userPrincipalName", matching_priority = 1 }
        "active"      = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName" = { source = "displayName" }
      }
    }
  }

  target_attributes = {
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = {
      "userName" = { required = true }
    }
  }
}
