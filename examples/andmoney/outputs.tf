output "jobs" {
  description = "Service principal and job ID of each application."
  value = {
    for k, m in module.app : k => { service_principal_id = m.service_principal_id, job_id = m.job_id }
  }
}

output "on_demand_results" {
  description = "Provision-on-demand outcome per application and user."
  value       = { for k, m in module.app : k => m.on_demand_results if length(m.on_demand_results) > 0 }
}
