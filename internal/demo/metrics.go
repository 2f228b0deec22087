package demo

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// metricSet is one parsed scrape of the exporter.
type metricSet struct {
	families map[string]*dto.MetricFamily
	text     string // the raw exposition, for printing selected lines
}

// parseMetrics parses the Prometheus text exposition format.
func parseMetrics(body []byte) (*metricSet, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parsing the exporter's /metrics: %w", err)
	}
	return &metricSet{families: families, text: string(body)}, nil
}

// jobKey identifies one provisioning job in the exporter's labels.
type jobKey struct{ servicePrincipalID, jobID string }

// jobSeries returns metric name's value per job, for series whose extra
// labels match want (nil matches all).
func (m *metricSet) jobSeries(name string, want map[string]string) map[jobKey]float64 {
	out := map[jobKey]float64{}
	fam := m.families[name]
	if fam == nil {
		return out
	}
	for _, metric := range fam.GetMetric() {
		labels := labelMap(metric)
		if !matches(labels, want) {
			continue
		}
		out[jobKey{labels["service_principal_id"], labels["job_id"]}] = value(metric)
	}
	return out
}

// jobSum sums metric name per job over the series whose extra labels match
// want (e.g. events_total{status="success"} across actions).
func (m *metricSet) jobSum(name string, want map[string]string) map[jobKey]float64 {
	out := map[jobKey]float64{}
	if fam := m.families[name]; fam != nil {
		for _, metric := range fam.GetMetric() {
			labels := labelMap(metric)
			if matches(labels, want) {
				out[jobKey{labels["service_principal_id"], labels["job_id"]}] += value(metric)
			}
		}
	}
	return out
}

// stateOf returns, per job, the label value of a state-set metric whose
// series is 1 (e.g. job_status{code="Quarantine"} 1 → "Quarantine").
func (m *metricSet) stateOf(name, label string) map[jobKey]string {
	out := map[jobKey]string{}
	fam := m.families[name]
	if fam == nil {
		return out
	}
	for _, metric := range fam.GetMetric() {
		if value(metric) != 1 {
			continue
		}
		labels := labelMap(metric)
		out[jobKey{labels["service_principal_id"], labels["job_id"]}] = labels[label]
	}
	return out
}

// labelOf returns, per job, one label of an info-style metric.
func (m *metricSet) labelOf(name, label string) map[jobKey]string {
	out := map[jobKey]string{}
	if fam := m.families[name]; fam != nil {
		for _, metric := range fam.GetMetric() {
			labels := labelMap(metric)
			out[jobKey{labels["service_principal_id"], labels["job_id"]}] = labels[label]
		}
	}
	return out
}

// scalar returns the value of an unlabelled metric, NaN if absent.
func (m *metricSet) scalar(name string) float64 {
	fam := m.families[name]
	if fam == nil || len(fam.GetMetric()) == 0 {
		return math.NaN()
	}
	return value(fam.GetMetric()[0])
}

// linesFor returns the exposition lines of the given metrics that concern
// the job (or all unlabelled lines when sp is empty), in exposition order.
func (m *metricSet) linesFor(sp string, names ...string) []string {
	var out []string
	for _, line := range strings.Split(m.text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, _, _ := strings.Cut(line, "{")
		name, _, _ = strings.Cut(name, " ")
		for _, n := range names {
			if name == n && (sp == "" || strings.Contains(line, `service_principal_id="`+sp+`"`)) {
				out = append(out, line)
			}
		}
	}
	return out
}

// jobView is what the summary says about one job.
type jobView struct {
	Status, LastCycle, ErrorCode, QuarantineReason string
	ConsecutiveFailures                            float64
	EventsOK, EventsFailed                         float64 // provisioning-log events
	Quarantined                                    bool
	Observed                                       bool
}

// job collects the per-job values the summary needs.
func (m *metricSet) job(k jobKey) jobView {
	v := jobView{
		Status:    m.stateOf("entra_provisioning_job_status", "code")[k],
		LastCycle: m.stateOf("entra_provisioning_job_last_cycle_state", "state")[k],
		ErrorCode: m.labelOf("entra_provisioning_job_last_cycle_error_info", "error_code")[k],
	}
	_, v.Observed = m.jobSeries("entra_provisioning_job_info", nil)[k]
	v.ConsecutiveFailures = m.jobSeries("entra_provisioning_job_consecutive_failures", nil)[k]
	v.Quarantined = m.jobSeries("entra_provisioning_job_quarantined", nil)[k] == 1
	v.QuarantineReason = m.labelOf("entra_provisioning_job_quarantine_info", "reason")[k]
	v.EventsOK = m.jobSum("entra_provisioning_events_total", map[string]string{"status": "success"})[k]
	v.EventsFailed = m.jobSum("entra_provisioning_events_total", map[string]string{"status": "failure"})[k]
	return v
}

func labelMap(m *dto.Metric) map[string]string {
	out := make(map[string]string, len(m.GetLabel()))
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func matches(labels, want map[string]string) bool {
	for k, v := range want {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Untyped != nil:
		return m.GetUntyped().GetValue()
	}
	return math.NaN()
}

func sortApps(apps []demoApp) {
	sort.Slice(apps, func(i, j int) bool { return apps[i].Key < apps[j].Key })
}
