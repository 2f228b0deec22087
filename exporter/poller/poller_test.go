package poller

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/discovery"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi/graphapitest"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/telemetry"
)

func job(id, code string, failures int) string {
	return fmt.Sprintf(`{"id":%q,"templateId":"scim","schedule":{"interval":"PT40M","state":"Active"},
	 "status":{"code":%q,"countSuccessiveCompleteFailures":%d,"steadyStateLastAchievedTime":"0001-01-01T00:00:00Z"}}`, id, code, failures)
}

type harness struct {
	fake    *graphapitest.Fake
	store   *snapshot.Store
	metrics *telemetry.Metrics
	poller  *Poller
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = time.Minute
	}
	if cfg.DiscoveryInterval == 0 {
		cfg.DiscoveryInterval = 15 * time.Minute
	}
	h := &harness{fake: graphapitest.New(), store: snapshot.New(), metrics: telemetry.New(prometheus.NewRegistry())}
	h.poller = New(h.fake, h.store, h.metrics, nil, cfg)
	// The fake answers instantly; the real 5-per-10s limit is tested on its own.
	h.poller.logs.limiter = newWindowLimiter(1000, 10*time.Second)
	return h
}

func (h *harness) code(t *testing.T, spID, jobID string) string {
	t.Helper()
	var code string
	h.store.View(func(jobs map[string]map[string]*snapshot.JobEntry, _ map[snapshot.EventKey]float64, _ map[snapshot.ErrorKey]float64) {
		if e := jobs[spID][jobID]; e != nil {
			code = e.Job.Code
		}
	})
	return code
}

func TestDiscoveryKeepsOnlyPrincipalsWithJobsAndAppliesFilters(t *testing.T) {
	h := newHarness(t, Config{Discovery: discovery.Config{
		Include: regexp.MustCompile(`^(Sales|HR)`),
		Exclude: regexp.MustCompile(`(?i)test`),
	}})
	h.fake.PageSize = 2 // force paging of the service principal list
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "Sales SCIM", Jobs: []string{job("scim.a", "Active", 0)}})
	h.fake.PutSP(graphapitest.SP{ID: "b", DisplayName: "HR SCIM", Jobs: []string{job("scim.b1", "Active", 0), job("scim.b2", "Paused", 0)}})
	h.fake.PutSP(graphapitest.SP{ID: "c", DisplayName: "Sales no provisioning"})
	h.fake.PutSP(graphapitest.SP{ID: "d", DisplayName: "Sales TEST", Jobs: []string{job("scim.d", "Active", 0)}})
	h.fake.PutSP(graphapitest.SP{ID: "e", DisplayName: "Finance", Jobs: []string{job("scim.e", "Active", 0)}})

	if err := h.poller.Discover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.store.ServicePrincipalIDs(), ","); got != "a,b" {
		t.Fatalf("monitored service principals = %q, want a,b", got)
	}
	if h.store.JobCount() != 3 {
		t.Errorf("jobs = %d, want 3", h.store.JobCount())
	}
	if v := testutil.ToFloat64(h.metrics.ServicePrincipals); v != 2 {
		t.Errorf("service_principals = %v", v)
	}
	// 5 principals over 3 pages, then one $batch for the 4 name-matched candidates.
	if h.fake.Gets != 3 || h.fake.Batches != 1 || h.fake.BatchItems != 3 {
		t.Errorf("requests: gets=%d batches=%d items=%d", h.fake.Gets, h.fake.Batches, h.fake.BatchItems)
	}

	// A principal deleted in Graph disappears at the next discovery.
	h.fake.DeleteSP("b")
	if err := h.poller.Discover(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.store.ServicePrincipalIDs(), ","); got != "a" {
		t.Errorf("after delete: %q", got)
	}
}

func TestExplicitServicePrincipalIDs(t *testing.T) {
	h := newHarness(t, Config{Discovery: discovery.Config{ServicePrincipalIDs: []string{"b", "missing"}}})
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 0)}})
	h.fake.PutSP(graphapitest.SP{ID: "b", DisplayName: "B", AppID: "app-b", Jobs: []string{job("scim.b", "Active", 0)}})
	err := h.poller.Discover(context.Background())
	if err == nil || !strings.Contains(err.Error(), "missing") || !strings.Contains(err.Error(), "--graph.service-principal-id") {
		t.Fatalf("a configured id that does not exist must be reported by name, got %v", err)
	}
	if got := strings.Join(h.store.ServicePrincipalIDs(), ","); got != "b" {
		t.Fatalf("monitored = %q, want only the configured b", got)
	}
	if h.fake.Gets != 0 {
		t.Errorf("explicit ids must not list the tenant, got %d GETs", h.fake.Gets)
	}

	// A transient failure reading b's details must not drop its jobs.
	h.fake.Fail = func(path string) error {
		if strings.HasPrefix(path, "/servicePrincipals/b?") {
			return &graphapi.Error{StatusCode: 503}
		}
		return nil
	}
	_ = h.poller.Discover(context.Background())
	if got := strings.Join(h.store.ServicePrincipalIDs(), ","); got != "b" {
		t.Fatalf("after a transient failure: monitored = %q, want b", got)
	}
	var name string
	h.store.View(func(jobs map[string]map[string]*snapshot.JobEntry, _ map[snapshot.EventKey]float64, _ map[snapshot.ErrorKey]float64) {
		name = jobs["b"]["scim.b"].ServicePrincipal.DisplayName
	})
	if name != "B" {
		t.Errorf("display name lost after a transient failure: %q", name)
	}
}

func TestRequestsPerPollFor1000Jobs(t *testing.T) {
	h := newHarness(t, Config{})
	for i := range 1000 {
		id := fmt.Sprintf("sp%04d", i)
		h.fake.PutSP(graphapitest.SP{ID: id, DisplayName: id, Jobs: []string{job("scim."+id, "Active", 0)}})
	}
	ctx := context.Background()
	if err := h.poller.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	h.fake.ResetCounts()
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	// ⌈1000/20⌉ $batch calls for job status + 1 provisioning-log page.
	if got, limit := h.fake.Requests(), 1000/20+1; got > limit {
		t.Fatalf("requests per poll = %d, want <= %d", got, limit)
	}
	t.Logf("requests per poll for 1000 jobs: %d", h.fake.Requests())
}

func TestPollFailureKeepsLastValuesAndRecovers(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 0)}})
	ctx := context.Background()
	if err := h.poller.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if testutil.ToFloat64(h.metrics.PollSuccess) != 1 {
		t.Fatal("poll_success should be 1")
	}

	// Graph answers 503 to everything for a while; the job turns Quarantine meanwhile.
	h.fake.BatchFail = func() error { return &graphapi.Error{StatusCode: 503, Code: "ServiceUnavailable"} }
	h.fake.Fail = func(string) error { return &graphapi.Error{StatusCode: 503} }
	h.fake.SetJobs("a", job("scim.a", "Quarantine", 5))
	for range 3 {
		if err := h.poller.Poll(ctx); err == nil {
			t.Fatal("poll against a failing Graph must report an error")
		}
	}
	if testutil.ToFloat64(h.metrics.PollSuccess) != 0 {
		t.Error("poll_success should be 0 while Graph fails")
	}
	if got := h.code(t, "a", "scim.a"); got != "Active" {
		t.Errorf("last known value lost: code=%q", got)
	}
	if v := testutil.ToFloat64(h.metrics.OperationErrors.WithLabelValues("jobs", "server_error")); v != 3 {
		t.Errorf("jobs server_error count = %v, want 3", v)
	}

	h.fake.BatchFail, h.fake.Fail = nil, nil
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if testutil.ToFloat64(h.metrics.PollSuccess) != 1 || h.code(t, "a", "scim.a") != "Quarantine" {
		t.Error("did not recover after Graph came back")
	}
}

func TestForbiddenLogsNamePermission(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 0)}})
	h.fake.Fail = func(path string) error {
		if strings.HasPrefix(path, "/auditLogs/") {
			return &graphapi.Error{StatusCode: 403, Code: "Authorization_RequestDenied", Path: path}
		}
		return nil
	}
	var logs strings.Builder
	h.poller.log = slog.New(slog.NewTextHandler(&logs, nil))
	ctx := context.Background()
	_ = h.poller.Discover(ctx)
	if err := h.poller.Poll(ctx); err == nil {
		t.Fatal("want an error")
	}
	if !strings.Contains(logs.String(), "missing_permission=AuditLog.Read.All") || !strings.Contains(logs.String(), "403") {
		t.Errorf("the 403 log does not name the permission:\n%s", logs.String())
	}
	if v := testutil.ToFloat64(h.metrics.PermissionMissing.WithLabelValues("logs", "AuditLog.Read.All")); v != 1 {
		t.Errorf("permission_missing{operation=logs} = %v", v)
	}
	if v := testutil.ToFloat64(h.metrics.PermissionMissing.WithLabelValues("jobs", "Synchronization.Read.All")); v != 0 {
		t.Errorf("jobs permission wrongly flagged: %v", v)
	}
	if h.code(t, "a", "scim.a") != "Active" {
		t.Error("job status must still be published when only logs are forbidden")
	}
}

func TestMalformedAnswersNeverCrashAndKeepLastValues(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 2)}})
	ctx := context.Background()
	if err := h.poller.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	// A job that is not an object, next to one with a mistyped field.
	h.fake.SetJobs("a", `"garbage"`, `{"id":"scim.a2","status":{"code":"Active","countSuccessiveCompleteFailures":"lots"}}`)
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatalf("field-level problems must not fail the poll: %v", err)
	}
	if h.code(t, "a", "scim.a") != "Active" || h.code(t, "a", "scim.a2") != "Active" {
		t.Error("previous job or parsable job lost")
	}
	if v := testutil.ToFloat64(h.metrics.MalformedValues.WithLabelValues("job")); v != 1 {
		t.Errorf("malformed job count = %v", v)
	}
	if v := testutil.ToFloat64(h.metrics.MalformedValues.WithLabelValues("status.countSuccessiveCompleteFailures")); v != 1 {
		t.Errorf("malformed field count = %v", v)
	}
}

func TestProvisioningLogsIncrementalDedupAndCap(t *testing.T) {
	h := newHarness(t, Config{Logs: LogConfig{Overlap: 5 * time.Minute, MaxErrorCodes: 2, InitialLookback: time.Hour}})
	h.fake.PageSize = 3
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 0)}})
	ctx := context.Background()
	if err := h.poller.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-10 * time.Minute)
	ev := func(id, action, status, code string, at time.Time) graphapitest.Event {
		return graphapitest.Event{ID: id, SPID: "a", JobID: "scim.a", Action: action, Status: status, ErrorCode: code, At: at}
	}
	h.fake.AddEvents(
		ev("1", "create", "success", "", base),
		ev("2", "Update", "success", "", base.Add(time.Second)),
		ev("3", "create", "failure", "E1", base.Add(2*time.Second)),
		ev("4", "create", "failure", "E2", base.Add(3*time.Second)),
		ev("5", "delete", "failure", "E3", base.Add(4*time.Second)),
		ev("6", "weird", "failure", "E1", base.Add(5*time.Second)),
		graphapitest.Event{ID: "7", SPID: "unmonitored", JobID: "x", Action: "create", Status: "success", At: base.Add(6 * time.Second)},
	)
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	// A late-ingested event older than the watermark but inside the overlap, then a re-poll.
	h.fake.AddEvents(ev("8", "disable", "skipped", "", base.Add(3*time.Second+500*time.Millisecond)))
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	key := snapshot.JobKey{ServicePrincipalID: "a", JobID: "scim.a"}
	var events map[snapshot.EventKey]float64
	var errs map[snapshot.ErrorKey]float64
	h.store.View(func(_ map[string]map[string]*snapshot.JobEntry, e map[snapshot.EventKey]float64, r map[snapshot.ErrorKey]float64) {
		events, errs = map[snapshot.EventKey]float64{}, map[snapshot.ErrorKey]float64{}
		for k, v := range e {
			events[k] = v
		}
		for k, v := range r {
			errs[k] = v
		}
	})
	wantEvents := map[snapshot.EventKey]float64{
		{JobKey: key, Action: "create", Status: "success"}:       1,
		{JobKey: key, Action: "update", Status: "success"}:       1,
		{JobKey: key, Action: "create", Status: "failure"}:       2,
		{JobKey: key, Action: "delete", Status: "failure"}:       1,
		{JobKey: key, Action: "unrecognized", Status: "failure"}: 1,
		{JobKey: key, Action: "disable", Status: "skipped"}:      1,
	}
	if fmt.Sprint(events) != fmt.Sprint(wantEvents) {
		t.Errorf("events = %v\nwant     %v", events, wantEvents)
	}
	wantErrs := map[snapshot.ErrorKey]float64{
		{JobKey: key, Code: "E1"}: 2, {JobKey: key, Code: "E2"}: 1, {JobKey: key, Code: "other"}: 1,
	}
	if fmt.Sprint(errs) != fmt.Sprint(wantErrs) {
		t.Errorf("errors = %v, want %v", errs, wantErrs)
	}
	if v := testutil.ToFloat64(h.metrics.LogErrorCodesFolded); v != 1 {
		t.Errorf("folded = %v", v)
	}
	// The second read asked only for events after watermark-overlap.
	last := h.fake.LogRequests[len(h.fake.LogRequests)-1]
	wm := base.Add(6 * time.Second).Add(-5 * time.Minute).UTC().Format("2006-01-02T15:04:05")
	if !strings.Contains(last, "activityDateTime%20gt%20"+strings.ReplaceAll(wm, ":", "%3A")) && !strings.Contains(last, "$skip") {
		t.Errorf("second read did not start from the watermark: %s (want time %s)", last, wm)
	}
}

func TestLogReadFailureDoesNotDoubleCount(t *testing.T) {
	h := newHarness(t, Config{Logs: LogConfig{InitialLookback: time.Hour}})
	h.fake.PageSize = 2
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 0)}})
	ctx := context.Background()
	_ = h.poller.Discover(ctx)
	base := time.Now().Add(-time.Minute)
	for i := range 5 {
		h.fake.AddEvents(graphapitest.Event{ID: fmt.Sprint(i), SPID: "a", JobID: "scim.a", Action: "create", Status: "success", At: base.Add(time.Duration(i) * time.Second)})
	}
	// Fail the second page once: the first page is counted, the retry must not count it again.
	failed := false
	h.fake.Fail = func(path string) error {
		if strings.Contains(path, "$skip=2") && !failed {
			failed = true
			return &graphapi.Error{StatusCode: 429, Code: "TooManyRequests"}
		}
		return nil
	}
	if err := h.poller.Poll(ctx); err == nil {
		t.Fatal("want the throttled read to fail this poll")
	}
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	var total float64
	h.store.View(func(_ map[string]map[string]*snapshot.JobEntry, e map[snapshot.EventKey]float64, _ map[snapshot.ErrorKey]float64) {
		for _, v := range e {
			total += v
		}
	})
	if total != 5 {
		t.Errorf("events counted %v times, want 5", total)
	}
}

func TestWindowLimiterAllowsFivePerTenSeconds(t *testing.T) {
	now := time.Unix(0, 0)
	l := newWindowLimiter(5, 10*time.Second)
	l.now = func() time.Time { return now }
	var slept []time.Duration
	l.sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); now = now.Add(d); return nil }
	for i := range 5 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second * time.Duration(i))
	}
	if len(slept) != 0 {
		t.Fatalf("first five calls must not wait, slept %v", slept)
	}
	// Calls began at t=0,0,1,3,6 and now is t=10: the 6th waits until t=10 (immediately), the 7th until t=10.
	_ = l.Wait(context.Background())
	_ = l.Wait(context.Background())
	if len(slept) != 0 {
		t.Fatalf("unexpected waits %v", slept)
	}
	// 8th: the window's oldest call is t=1 → wait until t=11.
	_ = l.Wait(context.Background())
	if len(slept) != 1 || slept[0] != time.Second {
		t.Errorf("8th call slept %v, want [1s]", slept)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l.sleep = sleepCtx
	if err := l.Wait(ctx); err == nil {
		t.Error("a cancelled context must stop the wait")
	}
}

func TestCycleDoesNotReReadJobsDiscoveryJustRead(t *testing.T) {
	h := newHarness(t, Config{PollInterval: time.Minute, DiscoveryInterval: time.Hour})
	for i := range 30 {
		id := fmt.Sprintf("sp%02d", i)
		h.fake.PutSP(graphapitest.SP{ID: id, DisplayName: id, Jobs: []string{job("scim."+id, "Active", 0)}})
	}
	updates := 0
	h.poller.cfg.OnUpdate = func() { updates++ }
	ctx := context.Background()

	h.poller.cycle(ctx) // discovery due: list (1 GET) + 2 $batch + 1 log page
	if h.fake.Gets != 2 || h.fake.Batches != 2 {
		t.Errorf("first cycle: gets=%d batches=%d, want 2 and 2 (no second read of the job lists)", h.fake.Gets, h.fake.Batches)
	}
	h.fake.ResetCounts()
	h.poller.cycle(ctx) // discovery cached: 2 $batch + 1 log page
	if h.fake.Gets != 1 || h.fake.Batches != 2 {
		t.Errorf("second cycle: gets=%d batches=%d, want 1 and 2", h.fake.Gets, h.fake.Batches)
	}
	if updates != 2 || testutil.ToFloat64(h.metrics.PollSuccess) != 1 || h.store.JobCount() != 30 {
		t.Errorf("updates=%d poll_success=%v jobs=%d", updates, testutil.ToFloat64(h.metrics.PollSuccess), h.store.JobCount())
	}
}

func TestFailedFirstDiscoveryIsRetriedEveryCycleAndFailsThePoll(t *testing.T) {
	h := newHarness(t, Config{PollInterval: time.Minute, DiscoveryInterval: time.Hour})
	h.fake.PutSP(graphapitest.SP{ID: "a", DisplayName: "A", Jobs: []string{job("scim.a", "Active", 0)}})
	h.fake.Fail = func(path string) error {
		if strings.HasPrefix(path, "/servicePrincipals?") {
			return &graphapi.Error{StatusCode: 403, Code: "Authorization_RequestDenied"}
		}
		return nil
	}
	ctx := context.Background()
	h.poller.cycle(ctx)
	if testutil.ToFloat64(h.metrics.PollSuccess) != 0 || testutil.ToFloat64(h.metrics.DiscoverySuccess) != 0 {
		t.Error("a failed discovery must fail the poll")
	}
	if v := testutil.ToFloat64(h.metrics.PermissionMissing.WithLabelValues("discovery", "Application.Read.All")); v != 1 {
		t.Errorf("permission_missing{discovery} = %v", v)
	}
	if len(h.fake.LogRequests) != 0 {
		t.Error("logs were read before any job was known; their events would be lost")
	}
	h.fake.Fail = nil
	h.poller.cycle(ctx)
	if h.store.JobCount() != 1 || testutil.ToFloat64(h.metrics.PollSuccess) != 1 {
		t.Error("discovery was not retried on the next cycle")
	}
}
