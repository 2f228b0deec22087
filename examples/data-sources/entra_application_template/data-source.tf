# Exact display name, compared case-insensitively. A typo fails the plan and
# lists the closest template names.
data "entra_application_template" "mypolicies" {
  display_name = "myPolicies"
}

# Or by id.
data "entra_application_template" "custom" {
  id = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
}

output "mypolicies_supports_provisioning" {
  value = contains(data.entra_application_template.mypolicies.supported_provisioning_types, "sync")
}
