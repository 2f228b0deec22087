package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

func (e *exporter) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(e.url + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestReadyAfterFirstSuccessfulPoll: /-/ready answers 503 while Graph has
// never answered the job poll (here: every request fails with 503) and 200
// from the first successful one; /-/healthy is 200 throughout. The
// self-metrics name the failing operation and export the poll interval and
// the tenant.
func TestReadyAfterFirstSuccessfulPoll(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	env.Setenv(t)
	a := simfixture.NewApp(t, env, "myPolicies", "ready", 1, true)
	simfixture.RunEngine(t, env, 0)
	if err := env.Admin.SetFaults("error=1,retry-after=0s"); err != nil {
		t.Fatal(err)
	}
	e := startExporter(t, "--poll.interval=1s", "--discovery.interval=1s", "--no-logs.enabled")
	mfs := e.waitFor(t, "discovery to fail", 20*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		v, ok := value(mfs, "entra_provisioning_exporter_operation_success", map[string]string{"operation": "discovery"})
		return ok && v == 0
	})
	if code, body := e.get(t, "/-/ready"); code != http.StatusServiceUnavailable || !strings.Contains(body, "first successful poll") {
		t.Errorf("/-/ready before any successful poll: %d %q, want 503", code, body)
	}
	if code, _ := e.get(t, "/-/healthy"); code != 200 {
		t.Errorf("/-/healthy = %d while Graph fails; liveness must not depend on Graph", code)
	}
	if v, ok := value(mfs, "entra_provisioning_exporter_operation_last_success_timestamp_seconds", map[string]string{"operation": "jobs"}); !ok || v != 0 {
		t.Errorf("jobs last-success timestamp = %v (present %v), want 0 before the first success", v, ok)
	}
	if _, ok := value(mfs, "entra_provisioning_exporter_operation_last_success_timestamp_seconds", map[string]string{"operation": "logs"}); ok {
		t.Error("logs are disabled, yet a logs last-success series is exported")
	}
	if v, ok := value(mfs, "entra_provisioning_exporter_poll_interval_seconds", nil); !ok || v != 1 {
		t.Errorf("poll_interval_seconds = %v (present %v), want 1", v, ok)
	}
	if _, ok := value(mfs, "entra_provisioning_exporter_tenant_info", map[string]string{"tenant_id": env.Ready.TenantID, "cloud": "custom"}); !ok {
		t.Errorf("tenant_info{tenant_id=%q,cloud=\"custom\"} missing", env.Ready.TenantID)
	}

	if err := env.Admin.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	mfs = e.waitFor(t, "the jobs operation to succeed", 20*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		v, ok := value(mfs, "entra_provisioning_exporter_operation_success", map[string]string{"operation": "jobs"})
		return ok && v == 1
	})
	if code, body := e.get(t, "/-/ready"); code != 200 {
		t.Errorf("/-/ready after a successful poll: %d %q, want 200", code, body)
	}
	if v, _ := value(mfs, "entra_provisioning_exporter_operation_last_success_timestamp_seconds", map[string]string{"operation": "jobs"}); time.Since(time.Unix(int64(v), 0)) > time.Minute {
		t.Errorf("jobs last-success timestamp %v is not recent", v)
	}
	if _, ok := value(mfs, "entra_provisioning_job_info", map[string]string{"job_id": a.JobID, "service_principal_name": "myPolicies"}); !ok {
		t.Error("ready, but the job is not reported")
	}
}

// --web.disable-exporter-metrics drops go_* and process_* but keeps the
// exporter's own metrics, which the alerts need.
func TestDisableExporterMetrics(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 1, Groups: 1})
	env.Setenv(t)
	e := startExporter(t, "--web.disable-exporter-metrics", "--no-logs.enabled")
	mfs, _ := e.scrape(t)
	for name := range mfs {
		if strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") {
			t.Errorf("%s exported despite --web.disable-exporter-metrics", name)
		}
	}
	if _, ok := mfs["entra_provisioning_exporter_poll_interval_seconds"]; !ok {
		t.Error("the exporter's own metrics were dropped too")
	}
	plain := startExporter(t, "--no-logs.enabled")
	if mfs, _ := plain.scrape(t); mfs["go_goroutines"] == nil {
		t.Error("go_goroutines missing without the flag")
	}
}
