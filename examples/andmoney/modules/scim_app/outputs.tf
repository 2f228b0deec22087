output "service_principal_id" {
  value = entra_enterprise_application.this.service_principal_id
}

output "job_id" {
  value = entra_provisioning_job.this.job_id
}

output "on_demand_results" {
  description = "Outcome per user provisioned on demand (empty when none were asked for)."
  value       = length(entra_provisioning_on_demand.now) > 0 ? entra_provisioning_on_demand.now[0].results : []
}
