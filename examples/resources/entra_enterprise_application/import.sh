# Import by the service principal's object id
# (Enterprise applications → the app → Properties → Object ID).
terraform import entra_enterprise_application.mypolicies 00000000-0000-0000-0000-000000000000
