# Import with "<service_principal_id>/<assignment_id>"; assignment ids are listed by
# GET /servicePrincipals/{id}/appRoleAssignedTo.
terraform import entra_app_role_assignment.sales 00000000-0000-0000-0000-000000000000/-WmtM5na7Uus0D8kI1yylpU9Mdo0Pb9OoBJvd3T5eKc
