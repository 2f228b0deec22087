output "jobs" {
  description = "Service principal and job ID of each application."
  value = {
    for k, m in module.app : k => { service_principal_id = m.service_principal_id, job_id = m.job_id }
  }
}
