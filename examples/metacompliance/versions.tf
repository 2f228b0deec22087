terraform {
  required_version = ">= 1.11" # secret_token_wo is write-only
  required_providers {
    entra = {
      source = "entra-provisioning/entra"
    }
  }
}

# Credentials come from ARM_* / AZURE_* variables (see the provider docs).
provider "entra" {}
