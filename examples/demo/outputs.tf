# Read by `make demo` to print what it configured.
output "apps" {
  description = "Each demo app: display name, service principal id, provisioning job id and SCIM tenant URL."
  value = {
    for key, app in {
      apty              = { app = entra_enterprise_application.apty, job = entra_provisioning_job.apty }
      mypolicies        = { app = entra_enterprise_application.mypolicies, job = entra_provisioning_job.mypolicies }
      andmoney_advisors = { app = entra_enterprise_application.andmoney_advisors, job = entra_provisioning_job.andmoney_advisors }
      } : key => {
      display_name         = app.app.display_name
      service_principal_id = app.app.service_principal_id
      job_id               = app.job.job_id
      tenant_url           = app.job.tenant_url
    }
  }
}
