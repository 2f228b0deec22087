# A non-gallery SCIM application (the portal's "Create your own application").
resource "entra_enterprise_application" "scim_app" {
  display_name = "Contoso SCIM"
}

# A gallery application, found by its name in the Entra gallery.
data "entra_application_template" "mypolicies" {
  display_name = "myPolicies"
}

resource "entra_enterprise_application" "mypolicies" {
  display_name                  = "myPolicies (production)"
  template_id                   = data.entra_application_template.mypolicies.id
  app_role_assignment_required  = true
  permanently_delete_on_destroy = false
}

output "mypolicies_user_role_id" {
  value = entra_enterprise_application.mypolicies.app_role_ids["User"]
}
