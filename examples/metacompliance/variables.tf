variable "display_name" {
  description = "Name of the enterprise application."
  type        = string
  default     = "MetaCompliance"
}

variable "tenant_url" {
  description = "Tenant URL from your MetaCompliance technical representative."
  type        = string
}

variable "secret_token" {
  description = "SCIM secret token."
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
  default     = "iam-alerts@example.com"
}

variable "assigned_principal_ids" {
  description = "Object IDs of the users and groups to provision."
  type        = list(string)
  default     = []
}
