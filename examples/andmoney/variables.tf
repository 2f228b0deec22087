variable "name_prefix" {
  description = "Prefix of the enterprise application names."
  type        = string
  default     = "&Money"
}

variable "tenant_urls" {
  description = "SCIM endpoint per application (keys: test-advisors, test-rooms, production-advisors, production-rooms)."
  type        = map(string)
  default = {
    "test-advisors"       = "https://api.test-env.booking.andmoney.dk/advisors/scim"
    "test-rooms"          = "https://api.test-env.booking.andmoney.dk/rooms/scim"
    "production-advisors" = "https://api.booking.andmoney.dk/advisors/scim"
    "production-rooms"    = "https://api.booking.andmoney.dk/rooms/scim"
  }
}

variable "secret_tokens" {
  description = "Secret token per application, provided by &Money (same keys as tenant_urls)."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

variable "notification_email" {
  description = "Who receives provisioning failure notifications."
  type        = string
  default     = "iam-alerts@example.com"
}

variable "assigned_principal_ids" {
  description = "Object IDs to assign per application (same keys as tenant_urls)."
  type        = map(list(string))
  default     = {}
}

variable "provision_on_demand_user_ids" {
  description = "Assigned users to provision right away per application (same keys as tenant_urls)."
  type        = map(list(string))
  default     = {}
}
