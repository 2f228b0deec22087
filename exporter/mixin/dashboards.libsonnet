// The Grafana dashboard. Plain JSON objects (no grafonnet, so the generator
// needs no network); its variables select the data source, the exporter's
// job and instances, and applications by display name. Panels deduplicate
// replicas with max by the job's identity.
{
  local c = $._config,
  local grp = std.join(', ', c.groupLabels),
  local inst = std.join(', ', c.instanceLabels),
  local jobKey = grp + ', service_principal_id, job_id',
  local targetJobKey = inst + ', service_principal_id, job_id',
  local ds = { type: 'prometheus', uid: '${datasource}' },
  local sel = 'job=~"$job",instance=~"$instance"',
  local m(metric, matchers='') = '%s{%s%s}' % [metric, sel, if matchers == '' then '' else ',' + matchers],
  // Joins the application name onto per-replica job series, keeping only
  // the selected applications.
  local named(expr) = '(%s) * on (%s) group_left (service_principal_name) %s' % [expr, targetJobKey, m('entra_provisioning_job_info', 'service_principal_name=~"$app"')],

  local target(expr, legend='', instant=false, format='time_series', ref='A') = {
    datasource: ds,
    expr: expr,
    legendFormat: legend,
    refId: ref,
    [if instant then 'instant']: true,
    [if format != 'time_series' then 'format']: format,
  },
  local panel(type, title, description, gridPos, targets, extra={}) = {
    type: type,
    title: title,
    description: description,
    datasource: ds,
    gridPos: gridPos,
    targets: targets,
  } + extra,
  local stat(title, description, x, expr, unit='none', thresholds=[]) =
    panel('stat', title, description, { x: x, y: 0, w: 4, h: 4 }, [target(expr, instant=true)], {
      fieldConfig: { defaults: { unit: unit, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] + thresholds } }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'none' },
    }),
  local timeseries(title, description, gridPos, targets, unit='none') =
    panel('timeseries', title, description, gridPos, targets, {
      fieldConfig: { defaults: { unit: unit, custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0 } }, overrides: [] },
      options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    }),
  local stateMapping(pairs) = [{
    type: 'value',
    options: { [std.toString(p[0])]: { text: p[1], color: p[2], index: p[0] } for p in pairs },
  }],

  local statusCodes = [[1, 'Active', 'green'], [2, 'Paused', 'yellow'], [3, 'Quarantine', 'red'], [4, 'NotRun', 'blue'], [5, 'NotConfigured', 'text']],
  local scheduleStates = [[1, 'Active', 'green'], [2, 'Paused', 'yellow'], [3, 'Disabled', 'red']],
  // One number per job from a state set: the member that is 1, encoded.
  local encoded(metric, label, pairs) = std.join('\n  + ignoring (%s) ' % label, [
    '%s * %d' % [m(metric, '%s="%s"' % [label, p[1]]), p[0]]
    for p in pairs
  ]),

  local alertNames = std.flattenArrays([[r.alert for r in g.rules if std.objectHas(r, 'alert')] for g in $.prometheusAlerts.groups]),

  grafanaDashboards+:: {
    'entra-provisioning.json': {
      uid: c.dashboardUID,
      title: c.dashboardTitle,
      description: 'Microsoft Entra ID application provisioning (SCIM) jobs, from entra-provisioning-exporter. Generated from exporter/mixin; do not edit.',
      tags: ['entra', 'provisioning', 'scim'],
      editable: false,
      schemaVersion: 39,
      version: 1,
      timezone: c.dashboardTimezone,
      refresh: c.dashboardRefresh,
      time: { from: 'now-24h', to: 'now' },
      links: [
        { type: 'link', title: 'Runbook', url: c.runbookURLPattern % '', targetBlank: true, icon: 'doc' },
      ],
      annotations: { list: [] },
      templating: {
        list: [
          { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
          {
            name: 'job', label: 'Job', type: 'query', datasource: ds, refresh: 2, includeAll: false, multi: false, current: {},
            query: { query: 'label_values(entra_provisioning_exporter_poll_interval_seconds{%s}, job)' % c.exporterSelector, refId: 'job' },
          },
          {
            name: 'instance', label: 'Instance', type: 'query', datasource: ds, refresh: 2, includeAll: true, multi: true, allValue: '.*', current: {},
            query: { query: 'label_values(entra_provisioning_exporter_poll_interval_seconds{job=~"$job"}, instance)', refId: 'instance' },
          },
          {
            name: 'app', label: 'Application', type: 'query', datasource: ds, refresh: 2, includeAll: true, multi: true, allValue: '.*', current: {},
            query: { query: 'label_values(entra_provisioning_job_info{job=~"$job",instance=~"$instance"}, service_principal_name)', refId: 'app' },
          },
        ],
      },
      panels: [
        stat('Jobs monitored', 'Jobs the exporter reports (max over replicas).', 0, 'max(%s)' % m('entra_provisioning_exporter_jobs'), thresholds=[]),
        stat('Jobs in quarantine', 'Quarantined jobs of the selected applications.', 4,
             'count(max by (%s) (%s == 1)) or vector(0)' % [jobKey, named(m('entra_provisioning_job_quarantined'))], thresholds=[{ color: 'red', value: 1 }]),
        stat('Jobs not active', 'Jobs whose schedule is Paused or Disabled.', 8,
             'count(max by (%s) (%s == 1)) or vector(0)' % [jobKey, named(m('entra_provisioning_job_schedule_state', 'state=~"Paused|Disabled"'))], thresholds=[{ color: 'orange', value: 1 }]),
        stat('Deprovisioning failures', 'Failed delete/disable/stagedDelete events in the dashboard range.', 12,
             'sum(max by (%s, action) (%s)) or vector(0)' % [jobKey, named('increase(%s[$__range])' % m('entra_provisioning_events_total', 'action=~"delete|disable|stagedDelete",status="failure"'))], thresholds=[{ color: 'red', value: 1 }]),
        stat('Age of job data', 'Time since the freshest replica last read the jobs from Graph; alerts call it stale beyond %s poll intervals.' % c.staleFactor, 16,
             'min(time() - %s)' % m('entra_provisioning_exporter_operation_last_success_timestamp_seconds', 'operation="jobs"'), unit='s',
             thresholds=[{ color: 'orange', value: 600 }]),
        stat('Exporter targets up', 'Scrape targets of the exporter that answer.', 20, 'sum(up{%s})' % sel),

        panel('state-timeline', 'Job status', 'status.code of each job over time (state set entra_provisioning_job_status).', { x: 0, y: 4, w: 24, h: 8 },
              [target('max by (service_principal_name, job_id) (\n  %s\n)' % named(encoded('entra_provisioning_job_status', 'code', statusCodes)), '{{service_principal_name}} {{job_id}}')],
              { fieldConfig: { defaults: { mappings: stateMapping(statusCodes), color: { mode: 'thresholds' } }, overrides: [] }, options: { showValue: 'never', mergeValues: true, rowHeight: 0.9 } }),
        panel('state-timeline', 'Schedule state', 'schedule.state of each job over time: Disabled after four weeks of quarantine needs a restart.', { x: 0, y: 12, w: 24, h: 8 },
              [target('max by (service_principal_name, job_id) (\n  %s\n)' % named(encoded('entra_provisioning_job_schedule_state', 'state', scheduleStates)), '{{service_principal_name}} {{job_id}}')],
              { fieldConfig: { defaults: { mappings: stateMapping(scheduleStates), color: { mode: 'thresholds' } }, overrides: [] }, options: { showValue: 'never', mergeValues: true, rowHeight: 0.9 } }),

        panel('table', 'Quarantined jobs and why', 'status.quarantine of each quarantined job: reason, error code, since when.', { x: 0, y: 20, w: 12, h: 8 },
              [
                target('max by (service_principal_name, job_id, reason, error_code) (%s)' % named(m('entra_provisioning_job_quarantine_reason')), instant=true, format='table', ref='A'),
              ],
              { transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true } } }], fieldConfig: { defaults: {}, overrides: [] }, options: { showHeader: true } }),
        timeseries('Deprovisioning failures', 'Failed delete, disable and stagedDelete events from the provisioning logs: leavers who may keep access.', { x: 12, y: 20, w: 12, h: 8 },
                   [target('max by (service_principal_name, action) (%s)' % named('increase(%s[$__rate_interval])' % m('entra_provisioning_events_total', 'action=~"delete|disable|stagedDelete",status="failure"')), '{{service_principal_name}} {{action}}')]),

        timeseries('Consecutive failures', 'countSuccessiveCompleteFailures per job.', { x: 0, y: 28, w: 12, h: 8 },
                   [target('max by (service_principal_name, job_id) (%s)' % named(m('entra_provisioning_job_consecutive_failures')), '{{service_principal_name}}')]),
        timeseries('Time since last successful cycle', 'Per job; compare with the schedule interval (usually 40 minutes).', { x: 12, y: 28, w: 12, h: 8 },
                   [target('max by (service_principal_name, job_id) (time() - %s)' % named(m('entra_provisioning_job_last_successful_cycle_timestamp_seconds')), '{{service_principal_name}}')], unit='s'),
        timeseries('Provisioning events by action and status', 'From the provisioning logs.', { x: 0, y: 36, w: 12, h: 8 },
                   [target('sum by (action, status) (max by (%s, action, status) (%s))' % [jobKey, named('rate(%s[$__rate_interval])' % m('entra_provisioning_events_total'))], '{{action}} {{status}}')], unit='ops'),
        timeseries('Provisioning errors by error code', 'Failed provisioning-log events by errorCode (per job at most --logs.max-error-codes codes, then "other").', { x: 12, y: 36, w: 12, h: 8 },
                   [target('sum by (error_code) (max by (%s, error_code) (%s))' % [jobKey, named('rate(%s[$__rate_interval])' % m('entra_provisioning_errors_total'))], '{{error_code}}')], unit='ops'),
        timeseries('Escrowed entries (last cycle)', 'Entries the last cycle put into escrow.', { x: 0, y: 44, w: 12, h: 8 },
                   [target('max by (service_principal_name, job_id) (%s)' % named(m('entra_provisioning_job_last_cycle_escrowed_entries')), '{{service_principal_name}}')]),
        timeseries('Exporter operations', 'operation_success of discovery, jobs and logs per replica: 0 names the failing operation.', { x: 12, y: 44, w: 12, h: 8 },
                   [target(m('entra_provisioning_exporter_operation_success'), '{{instance}} {{operation}}')]),
        timeseries('Graph requests by status code', 'HTTP requests the exporter sends to Microsoft Graph.', { x: 0, y: 52, w: 12, h: 8 },
                   [target('sum by (code) (rate(%s[$__rate_interval]))' % m('entra_provisioning_exporter_graph_requests_total'), '{{code}}')], unit='reqps'),
        timeseries('Graph operation errors', 'Failed operations by operation and reason.', { x: 12, y: 52, w: 12, h: 8 },
                   [target('sum by (operation, reason) (rate(%s[$__rate_interval]))' % m('entra_provisioning_exporter_graph_operation_errors_total'), '{{operation}} {{reason}}')], unit='ops'),

        panel('text', 'Runbooks', 'What each alert means and what to do.', { x: 0, y: 60, w: 24, h: 6 }, [], {
          options: {
            mode: 'markdown',
            content: 'Every alert links its runbook section:\n\n' + std.join('\n', ['- [%s](%s)' % [a, c.runbookURLPattern % std.asciiLower(a)] for a in alertNames]) + '\n',
          },
        }),
      ],
    },
  },
}
