// Alert rules. Every alert has summary, description and runbook_url; job
// alerts carry the application's display name (service_principal_name),
// are computed only from exporter replicas whose job data is fresh, and are
// deduplicated across replicas (max by the job's identity).
{
  local c = $._config,
  local sel = c.exporterSelector,
  local inst = std.join(', ', c.instanceLabels),
  local grp = std.join(', ', c.groupLabels),
  local jobKey = grp + ', service_principal_id, job_id',
  local targetJobKey = inst + ', service_principal_id, job_id',

  // Replicas (one series each) whose last successful read of the jobs is
  // at most staleFactor poll intervals old.
  local fresh = |||
    (time() - entra_provisioning_exporter_operation_last_success_timestamp_seconds{%(sel)s,operation="jobs"})
      <= on (%(inst)s) %(f)s * entra_provisioning_exporter_poll_interval_seconds{%(sel)s}
  ||| % { sel: sel, inst: inst, f: c.staleFactor },

  // The application's display name for each job, one series per job even
  // while replicas disagree (a rename seen by one replica first).
  local appName = 'topk by (%(k)s) (1, max by (%(k)s, service_principal_name) (entra_provisioning_job_info{%(sel)s}))' % { k: jobKey, sel: sel },

  // jobAlert deduplicates cond across fresh replicas and adds the name.
  local jobAlert(cond, extraBy=[]) =
    local by = std.join(', ', [jobKey] + extraBy);
    |||
      max by (%(by)s) (
        (
          %(cond)s
        )
        and on (%(inst)s) (
          %(fresh)s
        )
      )
      * on (%(jobKey)s) group_left (service_principal_name)
        %(appName)s
    ||| % { by: by, cond: std.strReplace(std.stripChars(cond, '\n'), '\n', '\n    '), inst: inst, fresh: std.strReplace(std.stripChars(fresh, '\n'), '\n', '\n    '), jobKey: jobKey, appName: appName },

  local alert(name, expr, forDur, severity, summary, description) = {
    alert: name,
    expr: expr,
    [if forDur != '0m' then 'for']: forDur,
    labels: { severity: severity },
    annotations: {
      summary: summary,
      description: description,
      runbook_url: c.runbookURLPattern % std.asciiLower(name),
    },
  },

  local m(metric, matchers='') = '%s{%s%s}' % [metric, sel, if matchers == '' then '' else ',' + matchers],

  local jobRef = '{{ $labels.service_principal_name }} (service principal {{ $labels.service_principal_id }}, job {{ $labels.job_id }})',

  prometheusAlerts+:: {
    groups+: [
      {
        name: 'entra-provisioning-exporter',
        rules: [
          alert('EntraProvisioningExporterDown',
                '%s == 0' % m('up'), c.exporterDownFor, c.exporterDownSeverity,
                'entra-provisioning-exporter {{ $labels.instance }} cannot be scraped',
                'Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for %s. While no replica is scraped, every provisioning alert is silent.' % c.exporterDownFor),
          alert('EntraProvisioningExporterAbsent',
                'absent(%s)' % m('up'), c.exporterAbsentFor, c.exporterDownSeverity,
                'No entra-provisioning-exporter target is scraped',
                'Prometheus has no scrape target matching %s (no up series) for %s: the exporter is not deployed, or service discovery lost it. Every provisioning alert is silent.' % [sel, c.exporterAbsentFor]),
          alert('EntraProvisioningExporterDataStale',
                |||
                  (time() - %s)
                    > on (%s) %s * %s
                ||| % [m('entra_provisioning_exporter_operation_last_success_timestamp_seconds', 'operation="jobs"'), inst, c.staleFactor, m('entra_provisioning_exporter_poll_interval_seconds')],
                c.staleFor, 'warning',
                'Provisioning job metrics of {{ $labels.instance }} are stale',
                'The exporter {{ $labels.instance }} last read the jobs from Microsoft Graph {{ $value | humanizeDuration }} ago, more than %s poll intervals. Job alerts of this replica are suppressed until it reads Graph again; see EntraProvisioningExporterCannotPoll for the failing operation.' % c.staleFactor),
          alert('EntraProvisioningExporterCannotPoll',
                '%s == 0' % m('entra_provisioning_exporter_operation_success'), c.cannotPollFor, 'warning',
                'entra-provisioning-exporter {{ $labels.instance }} cannot run its {{ $labels.operation }} operation against Microsoft Graph',
                'The {{ $labels.operation }} operation (discovery, jobs or logs) has been failing for %s. See entra_provisioning_exporter_graph_operation_errors_total and the logs for the reason; a tenant without the licence for provisioning logs needs --no-logs.enabled.' % c.cannotPollFor),
          alert('EntraProvisioningExporterPermissionMissing',
                'max by (%s, operation, permission) (%s) == 1' % [grp, m('entra_provisioning_exporter_permission_missing')], '5m', 'warning',
                'entra-provisioning-exporter lacks the Graph permission {{ $labels.permission }}',
                'Graph answered 403 to the exporter\'s {{ $labels.operation }} requests. Grant the application permission {{ $labels.permission }} to the exporter\'s app registration and give admin consent.'),
          alert('EntraProvisioningNoJobsDiscovered',
                |||
                  max by (%s) (
                    %s
                    and on (%s) (%s == 1)
                  ) == 0
                ||| % [grp, m('entra_provisioning_exporter_jobs'), inst, m('entra_provisioning_exporter_operation_success', 'operation="discovery"')],
                c.noJobsFor, 'warning',
                'entra-provisioning-exporter ({{ $labels.job }}) finds no provisioning jobs',
                'Discovery succeeds but finds no service principal with a synchronization job, so no job alert can fire. Check --discovery.include/--discovery.exclude/--discovery.graph-filter, the tenant (AZURE_TENANT_ID) and the exporter\'s permissions.'),
        ],
      },
      {
        name: 'entra-provisioning-jobs',
        rules: [
          alert('EntraProvisioningJobQuarantined',
                jobAlert('%s == 1\nunless on (%s) %s == 1' % [m('entra_provisioning_job_quarantined'), targetJobKey, m('entra_provisioning_job_schedule_state', 'state="Disabled"')]),
                c.quarantineFor, c.quarantineSeverity,
                'Provisioning job of {{ $labels.service_principal_name }} is in quarantine',
                'The provisioning job of %s is quarantined; Entra retries it only on a back-off schedule (up to once a day) and disables it after four weeks. entra_provisioning_job_quarantine_reason names the reason; fix the target (credentials, tenant URL, SCIM endpoint) and restart provisioning.' % jobRef),
          alert('EntraProvisioningQuarantineLong',
                jobAlert('%s == 1\nand on (%s) (time() - %s > %d)\nunless on (%s) %s == 1' % [m('entra_provisioning_job_quarantined'), targetJobKey, m('entra_provisioning_job_quarantine_since_timestamp_seconds'), c.quarantineLongDays * 86400, targetJobKey, m('entra_provisioning_job_schedule_state', 'state="Disabled"')]),
                '5m', 'critical',
                'Provisioning job of {{ $labels.service_principal_name }} has been quarantined for over %d days' % c.quarantineLongDays,
                'The provisioning job of %s has been in quarantine for more than %d days. Entra disables jobs quarantined for four weeks; then only a restart brings provisioning back.' % [jobRef, c.quarantineLongDays]),
          alert('EntraProvisioningJobDisabled',
                jobAlert('%s == 1\nunless on (%s) %s == 1' % [m('entra_provisioning_job_schedule_state', 'state="Disabled"'), targetJobKey, m('entra_provisioning_job_status', 'code=~"NotConfigured|NotRun"')]),
                c.jobDisabledFor, c.disabledSeverity,
                'Provisioning of {{ $labels.service_principal_name }} is disabled',
                'The provisioning job of %s has schedule state Disabled after it had run: no user is provisioned or deprovisioned until it is restarted. Entra does this to a job that stayed quarantined for four weeks.' % jobRef),
          alert('EntraProvisioningJobPaused',
                jobAlert('%s == 1' % m('entra_provisioning_job_schedule_state', 'state="Paused"')),
                c.jobPausedFor, 'warning',
                'Provisioning of {{ $labels.service_principal_name }} is paused',
                'The provisioning job of %s has been paused for %s (stopped in the portal or through Graph): joiners and leavers are not provisioned until it is started again.' % [jobRef, c.jobPausedFor]),
          alert('EntraProvisioningJobVanished',
                |||
                  (
                    max by (%(k)s, service_principal_name) (max_over_time(%(info)s[%(w)s]))
                    unless on (%(k)s) %(info)s
                  )
                  and on (%(grp)s) (
                    max by (%(grp)s) (
                      %(fresh)s
                    )
                  )
                ||| % { k: jobKey, info: m('entra_provisioning_job_info'), w: c.vanishedWindow, grp: grp, fresh: std.strReplace(std.stripChars(fresh, '\n'), '\n', '\n    ') },
                '5m', 'warning',
                'Provisioning job of {{ $labels.service_principal_name }} vanished',
                'The provisioning job of %s was reported within the last %s and is no longer: the job or its enterprise application was deleted, or the exporter\'s discovery filters now exclude it. The alert resolves by itself %s after the job vanished.' % [jobRef, c.vanishedWindow, c.vanishedWindow]),
          alert('EntraProvisioningJobConsecutiveFailures',
                jobAlert('%s >= %d' % [m('entra_provisioning_job_consecutive_failures'), c.consecutiveFailures]),
                '10m', 'warning',
                'Provisioning job of {{ $labels.service_principal_name }} failed {{ $value }} cycles in a row',
                'The provisioning job of %s has {{ $value }} complete failures in a row (countSuccessiveCompleteFailures); quarantine follows if this continues.' % jobRef),
          alert('EntraProvisioningJobEntryLevelErrors',
                jobAlert('min_over_time(%s[%s]) == 1\nand on (%s) changes(%s[%s]) >= %d' % [m('entra_provisioning_job_last_cycle_state', 'state="EntryLevelErrors"'), c.entryLevelErrorWindow, targetJobKey, m('entra_provisioning_job_last_cycle_end_timestamp_seconds'), c.entryLevelErrorWindow, c.entryLevelErrorCycles - 1]),
                '5m', 'warning',
                'Provisioning job of {{ $labels.service_principal_name }} has entry-level errors in %d cycles in a row' % c.entryLevelErrorCycles,
                'Every cycle of the provisioning job of %s for at least %d cycles ended with EntryLevelErrors: the cycles "succeed" while some users or groups fail to provision. entra_provisioning_errors_total and the provisioning logs name the failing entries.' % [jobRef, c.entryLevelErrorCycles]),
          alert('EntraProvisioningDeprovisioningFailures',
                jobAlert(|||
                  increase(%(ev)s[%(w)s]) > 0
                  or
                  (%(ev)s > 0 unless %(ev)s offset %(w)s)
                ||| % { ev: m('entra_provisioning_events_total', 'action=~"delete|disable|stagedDelete",status="failure"'), w: c.deprovisioningWindow }, ['action']),
                '0m', c.deprovisioningSeverity,
                'Deprovisioning ({{ $labels.action }}) fails for {{ $labels.service_principal_name }}',
                'Provisioning logs of %s show failed {{ $labels.action }} events in the last %s: users who left may keep access in the target application.' % [jobRef, c.deprovisioningWindow]),
          alert('EntraProvisioningJobNoSuccessfulCycle',
                // A job that never succeeded has no last-success timestamp; it
                // is caught once it also stops cycling, and while it keeps
                // failing by EntraProvisioningJobConsecutiveFailures.
                jobAlert(|||
                  (
                      (
                        time() - %(ls)s
                          > %(n)d * %(iv)s
                      )
                    or
                      (
                        (
                          time() - %(le)s
                            > %(n)d * %(iv)s
                        )
                        unless on (%(k)s)
                          %(ls)s
                      )
                  )
                  and on (%(k)s)
                    (%(active)s == 1)
                ||| % { ls: m('entra_provisioning_job_last_successful_cycle_timestamp_seconds'), le: m('entra_provisioning_job_last_cycle_end_timestamp_seconds'), iv: m('entra_provisioning_job_schedule_interval_seconds'), n: c.noSuccessIntervals, k: targetJobKey, active: m('entra_provisioning_job_schedule_state', 'state="Active"') }),
                '15m', 'warning',
                'Provisioning job of {{ $labels.service_principal_name }} has had no successful cycle for %d schedule intervals' % c.noSuccessIntervals,
                'The provisioning job of %s is active but has had no successful cycle for {{ $value | humanizeDuration }}, more than %d schedule intervals.' % [jobRef, c.noSuccessIntervals]),
          alert('EntraProvisioningEscrowsGrowing',
                jobAlert('%(e)s > 0\nand on (%(k)s) (delta(%(e)s[2h]) > 0)' % { e: m('entra_provisioning_job_last_cycle_escrowed_entries'), k: targetJobKey }),
                '30m', 'warning',
                'Escrowed entries of the provisioning job of {{ $labels.service_principal_name }} keep growing',
                'The last cycle of the provisioning job of %s escrowed {{ $value }} entries and the count has grown over the last two hours: the target keeps rejecting them. entra_provisioning_errors_total and the provisioning logs name them.' % jobRef),
        ],
      },
    ],
  },
}
