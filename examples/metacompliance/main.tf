# MetaCompliance (MyCompliance portal) as a non-gallery SCIM application,
# following "Microsoft Entra ID SCIM Auto User Provisioning Integration".

resource "entra_enterprise_application" "metacompliance" {
  display_name = var.display_name # 3.1: non-gallery application
}

# 3.3: add users and groups before starting provisioning.
resource "entra_app_role_assignment" "members" {
  for_each             = toset(var.assigned_principal_ids)
  service_principal_id = entra_enterprise_application.metacompliance.service_principal_id
  principal_id         = each.value
  app_role             = "User"
}

locals {
  enterprise_user = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
  scim_group      = "urn:ietf:params:scim:schemas:core:2.0:Group"
}

resource "entra_provisioning_job" "metacompliance" {
  service_principal_id = entra_enterprise_application.metacompliance.service_principal_id
  # The non-gallery template: known at plan, so the mappings are checked
  # against it before the application is created.
  template_id = "scim"

  # 3.2: Tenant URL https://scim.metacompliance.com/scim/<uniquecompanykeyguid>, Test Connection, Save.
  tenant_url              = var.tenant_url
  secret_token_wo         = var.secret_token
  secret_token_wo_version = var.secret_token_version
  validate_credentials    = true

  notification_email = var.notification_email
  enabled            = true # 3.8: Start provisioning

  # 3.7: "Select Save, followed by Restart provisioning".
  restart_triggers = { mappings = "group-members-enterprise-user-only" }

  object_mappings = {
    User = {
      # 3.5: Source Object Scope: only enabled accounts with an e-mail address.
      scoping_filter = [
        {
          clauses = [
            { attribute = "accountEnabled", operator = "IS TRUE" },
            { attribute = "mail", operator = "IS NOT NULL" },
          ]
        },
      ]
      # 3.4: the template's mappings without displayName, telephoneNumber,
      # mobile, facsimileTelephoneNumber and employeeid.
      attribute_mappings = {
        "userName"                                                              = { source = "userPrincipalName", matching_priority = 1 }
        "active"                                                                = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "title"                                                                 = { source = "jobTitle" }
        "emails[type eq \"work\"].value"                                        = { source = "mail" }
        "preferredLanguage"                                                     = { source = "preferredLanguage" }
        "name.givenName"                                                        = { source = "givenName" }
        "name.familyName"                                                       = { source = "surname" }
        "name.formatted"                                                        = { expression = "Join(\" \", [givenName], [surname])" }
        "addresses[type eq \"work\"].formatted"                                 = { source = "physicalDeliveryOfficeName" }
        "addresses[type eq \"work\"].streetAddress"                             = { source = "streetAddress" }
        "addresses[type eq \"work\"].locality"                                  = { source = "city" }
        "addresses[type eq \"work\"].region"                                    = { source = "state" }
        "addresses[type eq \"work\"].postalCode"                                = { source = "postalCode" }
        "addresses[type eq \"work\"].country"                                   = { source = "country" }
        "externalId"                                                            = { source = "mailNickname" }
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" = { source = "department" }
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"    = { source = "manager" }
      }
    }
    Group = { enabled = true }
  }

  target_attributes = {
    # 3.6: Edit attribute list: Required on id, work e-mail, userName,
    # givenName, familyName and externalId.
    (local.enterprise_user) = {
      "id"                             = { required = true }
      "emails[type eq \"work\"].value" = { required = true }
      "userName"                       = { required = true }
      "name.givenName"                 = { required = true }
      "name.familyName"                = { required = true }
      "externalId"                     = { required = true }
    }
    # 3.7: group members reference only the enterprise User object.
    (local.scim_group) = {
      "members" = { referenced_objects = [local.enterprise_user] }
    }
  }

  # 3.2 "Add users and groups before starting provisioning."
  depends_on = [entra_app_role_assignment.members]
}
