terraform {
  required_version = ">= 1.11" # secret_token_wo is write-only
  required_providers {
    entra = {
      source = "entra-provisioning/entra"
    }
  }
}

# `make demo` points the provider at the local Graph simulator through the
# environment (ARM_*, ENTRA_GRAPH_ENDPOINT, ENTRA_AUTHORITY_HOST, SSL_CERT_FILE),
# exactly as it would point at a real tenant.
provider "entra" {}
