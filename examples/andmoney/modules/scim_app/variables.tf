variable "kind" {
  description = "Which &Money resource the application provisions: advisors or rooms."
  type        = string
  validation {
    condition     = contains(["advisors", "rooms"], var.kind)
    error_message = "kind must be \"advisors\" or \"rooms\"."
  }
}

variable "display_name" {
  description = "Name of the enterprise application."
  type        = string
}

variable "tenant_url" {
  description = "&Money SCIM endpoint for this environment and kind."
  type        = string
}

variable "secret_token" {
  description = "Secret token provided by &Money."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "secret_token_version" {
  description = "Increase to send a new secret_token."
  type        = number
  default     = 1
}

variable "notification_email" {
  description = "Who receives provisioning failure notifications."
  type        = string
}

variable "assigned_principal_ids" {
  description = "Object IDs of the advisors (or room accounts) to provision."
  type        = list(string)
  default     = []
}

variable "provision_on_demand_user_ids" {
  description = "Object IDs of assigned users to provision right away (the portal's Provision on demand)."
  type        = list(string)
  default     = []
}
