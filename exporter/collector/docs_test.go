package collector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every job metric must be documented in docs/exporter/metrics.md and say in
// its HELP text that it is served from the background poll's cache.
func TestEveryJobMetricIsDocumentedAndSaysCached(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "exporter", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if !strings.HasPrefix(f.name, "entra_provisioning_") {
			t.Errorf("%s lacks the fixed prefix entra_provisioning_", f.name)
		}
		if !strings.Contains(string(doc), "`"+f.name+"`") {
			t.Errorf("%s is not documented in docs/exporter/metrics.md", f.name)
		}
		if !strings.HasSuffix(f.help, cached) {
			t.Errorf("%s HELP does not say the value is cached from the background poll: %q", f.name, f.help)
		}
		if len(f.labels) < 2 || f.labels[0] != "service_principal_id" || f.labels[1] != "job_id" {
			t.Errorf("%s labels %v do not start with service_principal_id, job_id", f.name, f.labels)
		}
	}
}

// The per-job metrics /work/shared/design/interface.md promises, by the
// names users' alerts and dashboards use; renaming one breaks them.
func TestInterfaceMetricsExist(t *testing.T) {
	promised := map[string][]string{ // name → extra labels after service_principal_id, job_id
		"entra_provisioning_job_info":                                         {"service_principal_name", "app_id", "application_template_id", "template_id"},
		"entra_provisioning_job_status":                                       {"code"},
		"entra_provisioning_job_schedule_interval_seconds":                    nil,
		"entra_provisioning_job_consecutive_failures":                         nil,
		"entra_provisioning_job_last_cycle_start_timestamp_seconds":           nil,
		"entra_provisioning_job_last_cycle_end_timestamp_seconds":             nil,
		"entra_provisioning_job_last_cycle_duration_seconds":                  nil,
		"entra_provisioning_job_last_cycle_state":                             {"state"},
		"entra_provisioning_job_last_successful_cycle_timestamp_seconds":      nil,
		"entra_provisioning_job_quarantined":                                  nil,
		"entra_provisioning_job_quarantine_info":                              {"reason", "error_code"},
		"entra_provisioning_job_quarantine_since_timestamp_seconds":           nil,
		"entra_provisioning_job_quarantine_next_attempt_timestamp_seconds":    nil,
		"entra_provisioning_job_last_cycle_escrowed_entries":                  nil,
		"entra_provisioning_job_last_cycle_exported_entries":                  nil,
		"entra_provisioning_job_last_cycle_imported_entries":                  nil,
		"entra_provisioning_job_steady_state_last_achieved_timestamp_seconds": nil,
		"entra_provisioning_events_total":                                     {"action", "status"},
		"entra_provisioning_errors_total":                                     {"error_code"},
	}
	byName := map[string]*family{}
	for _, f := range families {
		byName[f.name] = f
	}
	for name, extra := range promised {
		f := byName[name]
		if f == nil {
			t.Errorf("%s is promised by the product interface but not published", name)
			continue
		}
		want := strings.Join(append([]string{"service_principal_id", "job_id"}, extra...), ",")
		if got := strings.Join(f.labels, ","); got != want {
			t.Errorf("%s labels = %s, want %s", name, got, want)
		}
	}
}
