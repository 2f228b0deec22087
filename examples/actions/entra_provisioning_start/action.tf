# Resume a paused job or release it from quarantine:
# terraform apply -invoke=action.entra_provisioning_start.hr
action "entra_provisioning_start" "hr" {
  config {
    service_principal_id = "00000000-0000-0000-0000-000000000000"
    job_id               = "scim.0123456789abcdef0123456789abcdef.11111111-2222-3333-4444-555555555555"
  }
}
