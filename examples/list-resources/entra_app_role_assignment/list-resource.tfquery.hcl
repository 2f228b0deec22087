# The users and groups assigned to one application.
list "entra_app_role_assignment" "hr_assignments" {
  provider = entra

  config {
    service_principal_id = "00000000-0000-0000-0000-000000000000"
  }
}
