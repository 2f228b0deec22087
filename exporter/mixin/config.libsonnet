// Settings of the entra-provisioning-exporter mixin. Override any of them:
//   (import 'mixin.libsonnet') + { _config+:: { exporterSelector: 'job="entra"' } }
// mixin.libsonnet checks every field and fails naming the field when a
// value is malformed.
{
  _config+:: {
    // Label matchers selecting the exporter's scrape job(s) in every rule
    // and panel (also the `up` series of the down/absent alerts).
    exporterSelector: 'job="entra-provisioning-exporter"',
    // Labels that identify one exporter replica (one scrape target).
    instanceLabels: ['job', 'instance'],
    // Labels kept when alerts and panels deduplicate replicas of one
    // exporter deployment (replicas differ in instance/pod only).
    groupLabels: ['job'],

    // Job metrics are stale when the last successful read of the jobs is
    // older than staleFactor × the exporter's poll interval.
    staleFactor: 3,
    staleFor: '10m',
    exporterDownFor: '5m',
    exporterAbsentFor: '10m',
    cannotPollFor: '15m',
    noJobsFor: '15m',

    consecutiveFailures: 3,
    // A job with no successful cycle for this many schedule intervals.
    noSuccessIntervals: 3,
    // Entry-level errors in this many cycles in a row, looked for within
    // entryLevelErrorWindow (at least (cycles - 1) schedule intervals long).
    entryLevelErrorCycles: 3,
    entryLevelErrorWindow: '2h',
    quarantineFor: '5m',
    // Entra disables a job quarantined for 28 days; warn this many days in.
    quarantineLongDays: 21,
    jobPausedFor: '1h',
    jobDisabledFor: '15m',
    // A job that vanished from Graph alerts for this long after it vanished.
    vanishedWindow: '1h',
    // Deprovisioning failures counted over this window.
    deprovisioningWindow: '1h',

    // Severities (critical, warning or info).
    quarantineSeverity: 'critical',
    disabledSeverity: 'critical',
    deprovisioningSeverity: 'warning',
    exporterDownSeverity: 'critical',

    // %s is replaced by the alert name in lower case (the runbook's anchor).
    runbookURLPattern: 'https://github.com/entra-provisioning/terraform-provider-entra/blob/main/docs/exporter/runbook.md#%s',

    dashboardUID: 'entra-provisioning',
    dashboardTitle: 'Entra provisioning',
    dashboardTimezone: 'utc',
    dashboardRefresh: '1m',
  },
}
