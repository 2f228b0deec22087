# &Money booking: one SCIM application for advisors and one for rooms, in the
# test and the production environment, following "SCIM Provisioning Setup".

locals {
  apps = {
    "test-advisors"       = { kind = "advisors", environment = "Test" }
    "test-rooms"          = { kind = "rooms", environment = "Test" }
    "production-advisors" = { kind = "advisors", environment = "Production" }
    "production-rooms"    = { kind = "rooms", environment = "Production" }
  }
}

module "app" {
  source   = "./modules/scim_app"
  for_each = local.apps

  kind                   = each.value.kind
  display_name           = "${var.name_prefix} ${title(each.value.kind)} (${each.value.environment})"
  tenant_url             = var.tenant_urls[each.key]
  secret_token           = var.secret_tokens[each.key]
  notification_email     = var.notification_email
  assigned_principal_ids = lookup(var.assigned_principal_ids, each.key, [])

  provision_on_demand_user_ids = lookup(var.provision_on_demand_user_ids, each.key, [])
}
