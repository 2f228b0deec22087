# Every provisioning job of the applications found by another list block;
# leave config empty for every job of the tenant.
list "entra_provisioning_job" "scim_jobs" {
  provider = entra

  config {
    service_principal_ids = [for app in list.entra_enterprise_application.scim_apps.data : app.identity.service_principal_id]
  }
}
