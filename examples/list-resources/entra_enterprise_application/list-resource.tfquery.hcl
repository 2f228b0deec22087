# query.tfquery.hcl: every application with a provisioning job whose name
# starts with "SCIM " (run: terraform query -generate-config-out=generated.tf).
list "entra_enterprise_application" "scim_apps" {
  provider = entra

  config {
    display_name_prefix  = "SCIM "
    has_provisioning_job = true
  }
}
