# <service_principal_id>/<job_id>
terraform import entra_provisioning_job.example "00000000-0000-0000-0000-000000000000/scim.0123456789abcdef0123456789abcdef.11111111-2222-3333-4444-555555555555"
