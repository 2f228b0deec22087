variable "scim_base_url" {
  description = "Base URL of the SCIM targets: the simulator serves one per name at {graph_endpoint}/_sim/scim/{name}/. In a real tenant each app has its vendor's own tenant URL."
  type        = string

  validation {
    condition     = can(regex("^https://", var.scim_base_url))
    error_message = "scim_base_url must be an https URL, for example the simulator's graph_endpoint."
  }
}

variable "scim_tokens" {
  description = "Secret token per app (apty, mypolicies, andmoney_advisors). Write-only: never stored in state or plan."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

variable "assigned_group_ids" {
  description = "Object ids of directory groups assigned to every app; with the default \"assigned\" scope their members are provisioned."
  type        = list(string)
  default     = []
}

variable "notification_email" {
  description = "Where Entra sends provisioning failure notifications."
  type        = string
  default     = "iam-alerts@example.com"
}
