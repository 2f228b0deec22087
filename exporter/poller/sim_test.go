package poller

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/collector"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/telemetry"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// stateText renders the deterministic per-job metrics of one job in the
// exposition format, for testutil.CollectAndCompare.
func stateText(sp, job, code, cycleState string, failures int) string {
	var b strings.Builder
	l := fmt.Sprintf(`job_id=%q,service_principal_id=%q`, job, sp)
	b.WriteString("# HELP entra_provisioning_job_consecutive_failures Cycles in a row that failed completely (status.countSuccessiveCompleteFailures). Cached from the last background poll of Graph, not fetched at scrape time.\n")
	b.WriteString("# TYPE entra_provisioning_job_consecutive_failures gauge\n")
	fmt.Fprintf(&b, "entra_provisioning_job_consecutive_failures{%s} %d\n", l, failures)
	b.WriteString("# HELP entra_provisioning_job_last_cycle_state State set of the last cycle's result (status.lastExecution.state): one series per state (Succeeded, Failed, EntryLevelErrors), 1 for the current one, 0 for the others. Cached from the last background poll of Graph, not fetched at scrape time.\n")
	b.WriteString("# TYPE entra_provisioning_job_last_cycle_state gauge\n")
	for _, st := range []string{"Succeeded", "Failed", "EntryLevelErrors"} {
		fmt.Fprintf(&b, "entra_provisioning_job_last_cycle_state{%s,state=%q} %d\n", l, st, b2i(st == cycleState))
	}
	b.WriteString("# HELP entra_provisioning_job_quarantined 1 if the job is in quarantine (status.code = Quarantine), else 0. Cached from the last background poll of Graph, not fetched at scrape time.\n")
	b.WriteString("# TYPE entra_provisioning_job_quarantined gauge\n")
	fmt.Fprintf(&b, "entra_provisioning_job_quarantined{%s} %d\n", l, b2i(code == "Quarantine"))
	b.WriteString("# HELP entra_provisioning_job_status State set of the job's status.code: one series per code (NotConfigured, NotRun, Active, Paused, Quarantine), 1 for the current one, 0 for the others. Cached from the last background poll of Graph, not fetched at scrape time.\n")
	b.WriteString("# TYPE entra_provisioning_job_status gauge\n")
	for _, c := range []string{"NotConfigured", "NotRun", "Active", "Paused", "Quarantine"} {
		fmt.Fprintf(&b, "entra_provisioning_job_status{code=%q,%s} %d\n", c, l, b2i(c == code))
	}
	return b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

var lifecycleMetrics = []string{
	"entra_provisioning_job_consecutive_failures", "entra_provisioning_job_last_cycle_state",
	"entra_provisioning_job_quarantined", "entra_provisioning_job_status",
}

// TestSimulatorJobLifecycle follows one job through Active → Failed →
// Quarantine → recovered as its SCIM target goes down and comes back, on the
// simulated clock, through the real Graph client and $batch.
func TestSimulatorJobLifecycle(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 5, Groups: 1})
	app := simfixture.NewApp(t, env, "myPolicies", "lifecycle", 3, true)
	simfixture.RunEngine(t, env, 0) // initial cycle

	store := snapshot.New()
	metrics := telemetry.New(prometheus.NewRegistry())
	p := New(simfixture.Client(t, simfixture.GraphConfig(env)), store, metrics, nil, Config{
		PollInterval: time.Minute, DiscoveryInterval: time.Hour, DisableLogs: true,
	})
	ctx := context.Background()
	if err := p.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	c := collector.New(store)
	poll := func(step string) {
		t.Helper()
		if err := p.Poll(ctx); err != nil {
			t.Fatalf("%s: poll: %v", step, err)
		}
	}
	expect := func(step, code, cycleState string, failures int) {
		t.Helper()
		want := stateText(app.SPID, app.JobID, code, cycleState, failures)
		if err := testutil.CollectAndCompare(c, strings.NewReader(want), lifecycleMetrics...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}

	poll("healthy")
	expect("healthy", "Active", "Succeeded", 0)
	if n := testutil.CollectAndCount(c, "entra_provisioning_job_last_cycle_exported_entries"); n != 1 {
		t.Errorf("exported entries series = %d", n)
	}

	simfixture.SetTarget(t, env, "lifecycle", "503")
	for i := 1; i <= 2; i++ {
		simfixture.RunEngine(t, env, 40*time.Minute)
		poll("failing")
		expect(fmt.Sprintf("failure %d", i), "Active", "Failed", i)
	}
	simfixture.RunEngine(t, env, 40*time.Minute)
	poll("quarantined")
	expect("quarantined", "Quarantine", "Failed", 3)
	info := fmt.Sprintf(`
# HELP entra_provisioning_job_quarantine_reason 1 while the job is quarantined; reason is status.quarantine.reason, error_code status.quarantine.error.code. Absent while not quarantined. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_quarantine_reason gauge
entra_provisioning_job_quarantine_reason{error_code="SystemForCrossDomainIdentityManagementBadResponse",job_id=%q,reason="EncounteredQuarantineException",service_principal_id=%q} 1
`, app.JobID, app.SPID)
	if err := testutil.CollectAndCompare(c, strings.NewReader(info), "entra_provisioning_job_quarantine_reason"); err != nil {
		t.Fatalf("quarantine_reason: %v", err)
	}
	for _, name := range []string{"entra_provisioning_job_quarantine_since_timestamp_seconds", "entra_provisioning_job_quarantine_next_attempt_timestamp_seconds"} {
		if n := testutil.CollectAndCount(c, name); n != 1 {
			t.Errorf("%s series = %d, want 1 while quarantined", name, n)
		}
	}

	simfixture.SetTarget(t, env, "lifecycle", "none")
	simfixture.RunEngine(t, env, 81*time.Minute) // first quarantine retry is due 80m after quarantine
	poll("recovered")
	expect("recovered", "Active", "Succeeded", 0)
	for _, name := range []string{"entra_provisioning_job_quarantine_info", "entra_provisioning_job_quarantine_since_timestamp_seconds"} {
		if n := testutil.CollectAndCount(c, name); n != 0 {
			t.Errorf("%s still exported after recovery", name)
		}
	}
}

// TestSimulatorSentinelsAndLogs checks a job that never ran (sentinels must
// not be exported) next to a running one, and that provisioning-log events
// of the running job are counted through the simulator's audit-log route.
func TestSimulatorSentinelsAndLogs(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 5, Groups: 1})
	running := simfixture.NewApp(t, env, "Running app", "running", 3, true)
	idle := simfixture.NewApp(t, env, "Idle app", "idle", 0, false)
	simfixture.RunEngine(t, env, 0)

	store := snapshot.New()
	metrics := telemetry.New(prometheus.NewRegistry())
	p := New(simfixture.Client(t, simfixture.GraphConfig(env)), store, metrics, nil, Config{
		PollInterval: time.Minute, DiscoveryInterval: time.Hour,
		Logs: LogConfig{InitialLookback: 24 * time.Hour},
	})
	ctx := context.Background()
	if err := p.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	c := collector.New(store)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	idleSeries := map[string]float64{}
	runningEvents := 0.0
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			if labels["job_id"] == idle.JobID && v != 0 {
				idleSeries[mf.GetName()] = v
			}
			if mf.GetName() == "entra_provisioning_events_total" && labels["job_id"] == running.JobID {
				runningEvents += v
			}
		}
	}
	for name, v := range idleSeries {
		switch name {
		case "entra_provisioning_job_info", "entra_provisioning_job_status", "entra_provisioning_job_schedule_state",
			"entra_provisioning_job_last_observed_timestamp_seconds",
			// A created job reports its real (PT40M) interval even while disabled.
			"entra_provisioning_job_schedule_interval_seconds":
		default:
			t.Errorf("job that never ran exports %s = %g (sentinel or placeholder leaked)", name, v)
		}
	}
	if runningEvents < 3 {
		t.Errorf("provisioning events of the running job = %v, want at least one per assigned user (3)", runningEvents)
	}
	if v := testutil.ToFloat64(metrics.PollSuccess); v != 1 {
		t.Errorf("poll_success = %v", v)
	}
}

// scheduleState returns the member of the job's schedule-state set that is 1.
func scheduleState(t *testing.T, store *snapshot.Store, spID string) string {
	t.Helper()
	c := collector.New(filtered(store, spID))
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "entra_provisioning_job_schedule_state" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if m.GetGauge().GetValue() == 1 {
				for _, lp := range m.GetLabel() {
					if lp.GetName() == "state" {
						return lp.GetValue()
					}
				}
			}
		}
	}
	return ""
}

// TestSimulatorPausedAndDisabledAfterFourWeeksOfQuarantine drives the two
// ways provisioning stops without failing loudly: a pause, and Entra
// disabling a job that stayed quarantined for four weeks (on graphsim's
// clock). The schedule-state set must say so, with the quarantine still
// visible next to it.
func TestSimulatorPausedAndDisabledAfterFourWeeksOfQuarantine(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	paused := simfixture.NewApp(t, env, "Paused app", "paused", 1, true)
	broken := simfixture.NewApp(t, env, "Broken app", "broken", 1, true)
	simfixture.RunEngine(t, env, 0)

	store := snapshot.New()
	p := New(simfixture.Client(t, simfixture.GraphConfig(env)), store, telemetry.New(prometheus.NewRegistry()), nil, Config{
		PollInterval: time.Minute, DiscoveryInterval: time.Hour, DisableLogs: true,
	})
	ctx := context.Background()
	if err := p.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	quarantineReasons := func() int {
		return testutil.CollectAndCount(collector.New(filtered(store, broken.SPID)), "entra_provisioning_job_quarantine_reason")
	}
	if got := scheduleState(t, store, paused.SPID); got != "Active" {
		t.Fatalf("started job: schedule state %q, want Active", got)
	}

	simfixture.PauseJob(t, env, paused)
	simfixture.SetTarget(t, env, "broken", "401")
	for i := 0; i < 3; i++ {
		simfixture.RunEngine(t, env, 40*time.Minute)
	}
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got := scheduleState(t, store, paused.SPID); got != "Paused" {
		t.Errorf("paused job: schedule state %q, want Paused", got)
	}
	if got := scheduleState(t, store, broken.SPID); got != "Active" {
		t.Errorf("freshly quarantined job: schedule state %q, want Active", got)
	}
	if n := quarantineReasons(); n != 1 {
		t.Fatalf("broken job not quarantined yet (quarantine_reason series = %d)", n)
	}

	// Entra retries a quarantined job at most daily and disables it after
	// four weeks in quarantine.
	for day := 0; day < 29; day++ {
		simfixture.RunEngine(t, env, 24*time.Hour)
	}
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got := scheduleState(t, store, broken.SPID); got != "Disabled" {
		t.Errorf("after four weeks of quarantine: schedule state %q, want Disabled", got)
	}
	if n := quarantineReasons(); n != 1 {
		t.Errorf("graphsim keeps the quarantine on the disabled job; quarantine_reason series = %d", n)
	}
}

// filtered is a store holding only one service principal's jobs of src.
func filtered(src *snapshot.Store, spID string) *snapshot.Store {
	dst := snapshot.New()
	src.View(func(jobs map[string]map[string]*snapshot.JobEntry, _ map[snapshot.EventKey]float64, _ map[snapshot.ErrorKey]float64) {
		for _, e := range jobs[spID] {
			dst.SetServicePrincipalJobs(e.ServicePrincipal, []*jobstatus.Job{e.Job}, e.ObservedAt)
		}
	})
	return dst
}
