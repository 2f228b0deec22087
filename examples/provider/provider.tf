terraform {
  required_providers {
    entra = {
      source = "entra-provisioning/entra"
    }
  }
}

# Credentials usually come from the environment (ARM_TENANT_ID, ARM_CLIENT_ID,
# ARM_CLIENT_SECRET, or AZURE_*), so nothing secret lives in the configuration.
provider "entra" {}

# Explicit client secret (for example from a CI secret variable):
# provider "entra" {
#   tenant_id     = var.tenant_id
#   client_id     = var.client_id
#   client_secret = var.client_secret
# }

# Workload identity / OIDC in CI:
# provider "entra" {
#   tenant_id            = var.tenant_id
#   client_id            = var.client_id
#   use_oidc             = true
#   oidc_token_file_path = "/var/run/secrets/azure/tokens/azure-identity-token"
# }

# Another cloud:
# provider "entra" {
#   environment = "usgovernment"
# }
