package collector

import "github.com/prometheus/client_golang/prometheus"

const prefix = "entra_provisioning_"

// cached is appended to every HELP text: values come from the background
// poll, never from Graph calls made during the scrape.
const cached = " Cached from the last background poll of Graph, not fetched at scrape time."

var jobLabels = []string{"service_principal_id", "job_id"}

// family is one metric family: its Desc for the Collector and what the
// text renderer needs (name, help, type, label names).
type family struct {
	name   string
	help   string
	kind   prometheus.ValueType
	labels []string
	desc   *prometheus.Desc
}

func newFamily(name, help string, kind prometheus.ValueType, labels []string) *family {
	f := &family{name: prefix + name, help: help + cached, kind: kind, labels: labels}
	f.desc = prometheus.NewDesc(f.name, f.help, labels, nil)
	return f
}

// jobFamily is a gauge family labelled by job, plus extra labels.
func jobFamily(name, help string, extra ...string) *family {
	return newFamily(name, help, prometheus.GaugeValue, append(append([]string{}, jobLabels...), extra...))
}

var (
	descJobInfo = jobFamily("job_info",
		"Always 1; labels name the job's service principal (enterprise application), its appId, application template and synchronization template.",
		"service_principal_name", "app_id", "application_template_id", "template_id")
	descStatus = jobFamily("job_status",
		"State set of the job's status.code: one series per code (NotConfigured, NotRun, Active, Paused, Quarantine), 1 for the current one, 0 for the others.", "code")
	descScheduleState = jobFamily("job_schedule_state",
		"State set of the job's schedule.state: one series per state (Active, Disabled, Paused), 1 for the current one, 0 for the others.", "state")
	descScheduleInterval = jobFamily("job_schedule_interval_seconds",
		"Time between incremental provisioning cycles (schedule.interval). Absent while Graph reports no schedule (TimeSpan.MaxValue).")
	descConsecutiveFailures = jobFamily("job_consecutive_failures",
		"Cycles in a row that failed completely (status.countSuccessiveCompleteFailures).")
	descLastCycleStart = jobFamily("job_last_cycle_start_timestamp_seconds",
		"Unix time the last provisioning cycle began (status.lastExecution.timeBegan).")
	descLastCycleEnd = jobFamily("job_last_cycle_end_timestamp_seconds",
		"Unix time the last provisioning cycle ended (status.lastExecution.timeEnded).")
	descLastCycleDuration = jobFamily("job_last_cycle_duration_seconds",
		"Duration of the last provisioning cycle (timeEnded - timeBegan of status.lastExecution).")
	descLastCycleState = jobFamily("job_last_cycle_state",
		"State set of the last cycle's result (status.lastExecution.state): one series per state (Succeeded, Failed, EntryLevelErrors), 1 for the current one, 0 for the others.", "state")
	descLastCycleError = jobFamily("job_last_cycle_error",
		"1 while the last cycle reported an error; error_code is status.lastExecution.error.code. Absent when the last cycle had no error.", "error_code")
	descLastCycleErrorInfo = jobFamily("job_last_cycle_error_info",
		"Deprecated: use entra_provisioning_job_last_cycle_error; removed in the next release. Same series under its old name.", "error_code")
	descEscrowed = jobFamily("job_last_cycle_escrowed_entries",
		"Entries put into escrow (to retry later) by the last cycle (status.lastExecution.countEscrowed).")
	descExported = jobFamily("job_last_cycle_exported_entries",
		"Entries written to the target system by the last cycle (status.lastExecution.countExported).")
	descImported = jobFamily("job_last_cycle_imported_entries",
		"Entries read from the source by the last cycle (status.lastExecution.countImported).")
	descLastSuccess = jobFamily("job_last_successful_cycle_timestamp_seconds",
		"Unix time the last successful cycle ended (status.lastSuccessfulExecution.timeEnded). Absent if no cycle ever succeeded.")
	descQuarantined = jobFamily("job_quarantined",
		"1 if the job is in quarantine (status.code = Quarantine), else 0.")
	descQuarantineReason = jobFamily("job_quarantine_reason",
		"1 while the job is quarantined; reason is status.quarantine.reason, error_code status.quarantine.error.code. Absent while not quarantined.", "reason", "error_code")
	descQuarantineInfo = jobFamily("job_quarantine_info",
		"Deprecated: use entra_provisioning_job_quarantine_reason; removed in the next release. Same series under its old name.", "reason", "error_code")
	descQuarantineSince = jobFamily("job_quarantine_since_timestamp_seconds",
		"Unix time the job's quarantine series began (status.quarantine.seriesBegan, else currentBegan). Entra disables a job quarantined for four weeks.")
	descQuarantineNext = jobFamily("job_quarantine_next_attempt_timestamp_seconds",
		"Unix time of the next attempt to leave quarantine (status.quarantine.nextAttempt).")
	descSteadyState = jobFamily("job_steady_state_last_achieved_timestamp_seconds",
		"Unix time the job last reached steady state (status.steadyStateLastAchievedTime). Absent before the first steady state.")
	descSynchronized = jobFamily("job_synchronized_entries",
		"Objects kept in sync by the job, by mapping (status.synchronizedEntryCountByType key, e.g. \"user to User\").", "object_type")
	descObserved = jobFamily("job_last_observed_timestamp_seconds",
		"Unix time the exporter last read this job's status from Graph successfully; old values mean the job's metrics are stale.")

	descEvents = newFamily("events_total",
		"Provisioning-log events since the exporter started, by provisioningAction and provisioningStatusInfo.status.",
		prometheus.CounterValue, append(append([]string{}, jobLabels...), "action", "status"))
	descErrors = newFamily("errors_total",
		"Failed provisioning-log events since the exporter started, by provisioningStatusInfo.errorInformation.errorCode; each job's codes beyond --logs.max-error-codes are counted as \"other\".",
		prometheus.CounterValue, append(append([]string{}, jobLabels...), "error_code"))
)

// families lists every family in output order.
var families = []*family{
	descJobInfo, descStatus, descScheduleState, descScheduleInterval, descConsecutiveFailures,
	descLastCycleStart, descLastCycleEnd, descLastCycleDuration, descLastCycleState, descLastCycleError, descLastCycleErrorInfo,
	descEscrowed, descExported, descImported, descLastSuccess, descQuarantined, descQuarantineReason, descQuarantineInfo,
	descQuarantineSince, descQuarantineNext, descSteadyState, descSynchronized, descObserved,
	descEvents, descErrors,
}
