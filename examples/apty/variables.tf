variable "display_name" {
  description = "Name of the enterprise application."
  type        = string
  default     = "Apty"
}

variable "tenant_url" {
  description = "Apty SCIM endpoint (Tenant URL from Apty's SCIM Config tab)."
  type        = string
}

variable "secret_token" {
  description = "Apty Open API key."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "secret_token_version" {
  description = "Increase to send a new secret_token."
  type        = number
  default     = 1
}

variable "assigned_principal_ids" {
  description = "Object IDs of the users and groups to provision."
  type        = list(string)
  default     = []
}
