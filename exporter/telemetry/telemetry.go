// Package telemetry defines the exporter's own metrics: whether polling and
// discovery work, how long they take, and what Graph answers. They are
// ordinary client_golang metrics updated as work happens.
package telemetry

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

const ns = "entra_provisioning_exporter"

// Operations the exporter performs against Graph (the "operation" label).
const (
	OpDiscovery = "discovery"
	OpJobs      = "jobs"
	OpLogs      = "logs"
)

// RequiredPermission is the least-privileged application permission each
// operation needs; a 403 on that operation means it is missing.
var RequiredPermission = map[string]string{
	OpDiscovery: "Application.Read.All",
	OpJobs:      "Synchronization.Read.All",
	OpLogs:      "AuditLog.Read.All",
}

// Metrics are the exporter's self-metrics.
type Metrics struct {
	PollSuccess         prometheus.Gauge
	PollInterval        prometheus.Gauge
	DiscoveryInterval   prometheus.Gauge
	OperationSuccess    *prometheus.GaugeVec
	OperationLastOK     *prometheus.GaugeVec
	TenantInfo          *prometheus.GaugeVec
	LastPoll            prometheus.Gauge
	LastSuccessfulPoll  prometheus.Gauge
	PollDuration        prometheus.Gauge
	OperationErrors     *prometheus.CounterVec
	PermissionMissing   *prometheus.GaugeVec
	GraphRequests       *prometheus.CounterVec
	GraphThrottled      prometheus.Counter
	DiscoverySuccess    prometheus.Gauge
	LastDiscovery       prometheus.Gauge
	ServicePrincipals   prometheus.Gauge
	Jobs                prometheus.Gauge
	MalformedValues     *prometheus.CounterVec
	LogsWatermark       prometheus.Gauge
	LogEventsProcessed  prometheus.Counter
	LogErrorCodesFolded prometheus.Counter
}

// New creates the metrics and registers them with reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		PollSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "poll_success",
			Help: "1 if the last background poll of Graph (job status and provisioning logs) fully succeeded, 0 if any part failed; job metrics then keep their last known values."}),
		PollInterval: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "poll_interval_seconds",
			Help: "The configured --poll.interval: job metrics are at most this old while polls succeed. Alerts call data stale after a multiple of it."}),
		DiscoveryInterval: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "discovery_interval_seconds",
			Help: "The configured --discovery.interval."}),
		OperationSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "operation_success",
			Help: "1 if the last attempt of the operation (discovery, jobs, logs) against Graph succeeded, 0 if it failed. Absent until its first attempt."},
			[]string{"operation"}),
		OperationLastOK: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "operation_last_success_timestamp_seconds",
			Help: "Unix time the operation (discovery, jobs, logs) last succeeded; 0 until it first does. time() minus the jobs value is the age of the job metrics."},
			[]string{"operation"}),
		TenantInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "tenant_info",
			Help: "Always 1; labels name the Entra tenant the exporter reads (tenant_id as configured) and its cloud (global, usgovernment, china, or custom for a non-standard Graph endpoint)."},
			[]string{"tenant_id", "cloud"}),
		LastPoll: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "last_poll_timestamp_seconds",
			Help: "Unix time when the last background poll finished, successful or not."}),
		LastSuccessfulPoll: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "last_successful_poll_timestamp_seconds",
			Help: "Unix time when the last fully successful background poll finished."}),
		PollDuration: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "poll_duration_seconds",
			Help: "Wall-clock duration of the last background poll, including rate-limit waits."}),
		OperationErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "graph_operation_errors_total",
			Help: "Failed Graph operations by operation (discovery, jobs, logs) and reason (forbidden, unauthorized, token, throttled, not_found, server_error, client_error, malformed, timeout, transport)."},
			[]string{"operation", "reason"}),
		PermissionMissing: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "permission_missing",
			Help: "1 if Graph answered 403 to the named operation on its last attempt: grant the application permission in the label (admin consent required)."},
			[]string{"operation", "permission"}),
		GraphRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "graph_requests_total",
			Help: "HTTP requests sent to Graph, each retry included (token requests to the authority are not counted), by status code (\"none\" when no answer arrived). A $batch counts once."},
			[]string{"code"}),
		GraphThrottled: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "graph_throttled_requests_total",
			Help: "Graph answers with status 429: whole requests, and items inside a $batch (each throttled answer counts, including those re-sent after their Retry-After)."}),
		DiscoverySuccess: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "discovery_success",
			Help: "Deprecated: use entra_provisioning_exporter_operation_success{operation=\"discovery\"}; removed in the next release. 1 if the last discovery of service principals with synchronization jobs succeeded, 0 otherwise."}),
		LastDiscovery: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "last_discovery_timestamp_seconds",
			Help: "Unix time when the last discovery finished."}),
		ServicePrincipals: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "service_principals",
			Help: "Service principals with at least one synchronization job that the exporter monitors (after include/exclude filters)."}),
		Jobs: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "jobs",
			Help: "Synchronization jobs the exporter currently reports."}),
		MalformedValues: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "malformed_values_total",
			Help: "Values in Graph answers that were not in the documented shape and were dropped, by field (\"job\" or \"log_event\" when a whole object was unusable)."},
			[]string{"field"}),
		LogsWatermark: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "logs_watermark_timestamp_seconds",
			Help: "activityDateTime of the newest provisioning-log event read; the next read asks only for newer events."}),
		LogEventsProcessed: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "log_events_processed_total",
			Help: "Provisioning-log events read and counted (events of unmonitored jobs are not counted)."}),
		LogErrorCodesFolded: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "log_error_codes_folded_total",
			Help: "Provisioning-log errors counted under error_code=\"other\" because the distinct error-code limit (--logs.max-error-codes) was reached."}),
	}
	reg.MustRegister(m.PollSuccess, m.PollInterval, m.DiscoveryInterval, m.OperationSuccess, m.OperationLastOK, m.TenantInfo, m.LastPoll, m.LastSuccessfulPoll, m.PollDuration, m.OperationErrors,
		m.PermissionMissing, m.GraphRequests, m.GraphThrottled, m.DiscoverySuccess, m.LastDiscovery,
		m.ServicePrincipals, m.Jobs, m.MalformedValues, m.LogsWatermark, m.LogEventsProcessed, m.LogErrorCodesFolded)
	for op, perm := range RequiredPermission {
		m.PermissionMissing.WithLabelValues(op, perm).Set(0)
	}
	return m
}

// ObserveResponse records one HTTP attempt against Graph.
func (m *Metrics) ObserveResponse(statusCode int) {
	code := "none"
	if statusCode > 0 {
		code = strconv.Itoa(statusCode)
	}
	m.GraphRequests.WithLabelValues(code).Inc()
	if statusCode == 429 {
		m.GraphThrottled.Inc()
	}
}

// ObserveBatchItem records one answer to a request inside a $batch. Items
// are not HTTP requests (graph_requests_total counts the $batch once), but a
// throttled item is throttling: Graph limits each item on its own.
func (m *Metrics) ObserveBatchItem(statusCode int) {
	if statusCode == 429 {
		m.GraphThrottled.Inc()
	}
}

// Expect publishes operation_last_success_timestamp_seconds{operation=op}
// as 0 before the operation first runs, so that "never succeeded" reads as
// stale data rather than as no data at all.
func (m *Metrics) Expect(ops ...string) {
	for _, op := range ops {
		m.OperationLastOK.WithLabelValues(op)
	}
}

// OperationResult records the outcome of one operation that ended at `at`:
// reason is "" on success. It keeps operation_success, the last-success
// timestamp and permission_missing in step with the last answer.
func (m *Metrics) OperationResult(op, reason string, at time.Time) {
	perm := RequiredPermission[op]
	if reason == "" {
		m.OperationSuccess.WithLabelValues(op).Set(1)
		m.OperationLastOK.WithLabelValues(op).Set(float64(at.UnixNano()) / 1e9)
		m.PermissionMissing.WithLabelValues(op, perm).Set(0)
		return
	}
	m.OperationSuccess.WithLabelValues(op).Set(0)
	m.OperationErrors.WithLabelValues(op, reason).Inc()
	if reason == "forbidden" {
		m.PermissionMissing.WithLabelValues(op, perm).Set(1)
	}
}
