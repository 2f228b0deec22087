variable "display_name" {
  description = "Name of the enterprise application."
  type        = string
  default     = "myPolicies"
}

variable "tenant_url" {
  description = "myPolicies SCIM endpoint, https://<myPoliciesCustomDomain>.mypolicies.com/scim."
  type        = string
}

variable "secret_token" {
  description = "SCIM secret token from your myPolicies representative (support@mypolicies.com)."
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

variable "assigned_user_ids" {
  description = "Object IDs of the users to provision."
  type        = list(string)
  default     = []
}

variable "scoping_departments" {
  description = "Provision only users of these departments (a scoping filter); empty = every assigned user."
  type        = list(string)
  default     = []
}
