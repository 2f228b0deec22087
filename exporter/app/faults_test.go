package app_test

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

func pollSuccess(want float64) func(map[string]*dto.MetricFamily) bool {
	return func(mfs map[string]*dto.MetricFamily) bool {
		v, ok := value(mfs, "entra_provisioning_exporter_poll_success", nil)
		return ok && v == want
	}
}

func counter(mfs map[string]*dto.MetricFamily, name string, match map[string]string) float64 {
	v, _ := value(mfs, name, match)
	return v
}

// TestFaultsKeepServingAndRecover drives the exporter through Graph answering
// 5xx, a 429 storm and malformed-free recovery: it keeps serving the last job
// values, reports the failure in its self-metrics and logs, and recovers by
// itself when the faults stop.
func TestFaultsKeepServingAndRecover(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 5, Groups: 1})
	env.Setenv(t)
	a := simfixture.NewApp(t, env, "myPolicies", "faults", 2, true)
	simfixture.RunEngine(t, env, 0)

	e := startExporter(t, "--poll.interval=1s", "--discovery.interval=1s", "--no-logs.enabled")
	job := map[string]string{"service_principal_id": a.SPID, "job_id": a.JobID, "code": "Active"}
	e.waitFor(t, "a first successful poll", 20*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		v, ok := value(mfs, "entra_provisioning_job_status", job)
		return pollSuccess(1)(mfs) && ok && v == 1
	})

	// Graph answers 503 to everything (every $batch item too) for a while.
	if err := env.Admin.SetFaults("error=1,retry-after=0s"); err != nil {
		t.Fatal(err)
	}
	mfs := e.waitFor(t, "poll_success to drop to 0 under 5xx", 20*time.Second, pollSuccess(0))
	if v, ok := value(mfs, "entra_provisioning_job_status", job); !ok || v != 1 {
		t.Error("last known job status not served while Graph fails")
	}
	e.waitFor(t, "server_error to be counted", 10*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		return counter(mfs, "entra_provisioning_exporter_graph_operation_errors_total", map[string]string{"reason": "server_error"}) > 0 &&
			counter(mfs, "entra_provisioning_exporter_graph_requests_total", map[string]string{"code": "503"}) > 0
	})
	time.Sleep(3 * time.Second) // several failing polls in a row
	if err := env.Admin.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, "recovery after 5xx", 20*time.Second, pollSuccess(1))

	// A 429 storm: every request and item throttled.
	if err := env.Admin.SetFaults("throttle=1,retry-after=1s"); err != nil {
		t.Fatal(err)
	}
	mfs = e.waitFor(t, "poll_success to drop to 0 under a 429 storm", 30*time.Second, pollSuccess(0))
	if counter(mfs, "entra_provisioning_exporter_graph_throttled_requests_total", nil) == 0 {
		t.Error("throttled requests not counted")
	}
	if v, ok := value(mfs, "entra_provisioning_job_status", job); !ok || v != 1 {
		t.Error("last known job status not served during the 429 storm")
	}
	if err := env.Admin.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, "recovery after the 429 storm", 30*time.Second, pollSuccess(1))

	logs := e.logs.String()
	if !strings.Contains(logs, "reason=server_error") {
		t.Errorf("5xx failures not logged with their reason; logs:\n%s", logs)
	}
}

// authorityProxy stands in front of the simulator's token endpoint. While
// down it drops every connection (the authority is unreachable); while up it
// forwards, rewriting the simulator's address in discovery documents so that
// MSAL's issuer check accepts the proxy as the authority.
type authorityProxy struct {
	srv    *httptest.Server
	up     atomic.Bool
	bundle string // PEM file trusting both the simulator and the proxy
}

func newAuthorityProxy(t *testing.T, env *simtest.Env) *authorityProxy {
	t.Helper()
	target, err := url.Parse(env.Ready.AuthorityHost)
	if err != nil {
		t.Fatal(err)
	}
	p := &authorityProxy{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = env.HTTPClient().Transport
	p.srv = httptest.NewUnstartedServer(nil)
	rp.ModifyResponse = func(resp *http.Response) error {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		body = bytes.ReplaceAll(body, []byte(target.Host), []byte(p.srv.Listener.Addr().String()))
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		resp.Header.Del("Content-Encoding")
		return nil
	}
	p.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.up.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					_ = c.Close()
					return
				}
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		r.Header.Del("Accept-Encoding")
		rp.ServeHTTP(w, r)
	})
	p.srv.StartTLS()
	t.Cleanup(p.srv.Close)
	simCA, err := os.ReadFile(env.Ready.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	proxyCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	p.bundle = filepath.Join(t.TempDir(), "bundle.pem")
	if err := os.WriteFile(p.bundle, append(simCA, proxyCA...), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTokenEndpointDownThenUp starts the exporter while its authority host
// drops connections: it must serve, report the failure, and start reporting
// jobs on its own once the authority answers.
func TestTokenEndpointDownThenUp(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	env.Setenv(t)
	a := simfixture.NewApp(t, env, "myPolicies", "tokens", 1, true)
	simfixture.RunEngine(t, env, 0)
	proxy := newAuthorityProxy(t, env)
	t.Setenv("SSL_CERT_FILE", proxy.bundle)

	e := startExporter(t, "--poll.interval=1s", "--discovery.interval=1s", "--no-logs.enabled",
		"--graph.authority-host="+proxy.srv.URL+"/")
	mfs := e.waitFor(t, "a failed poll while the token endpoint is down", 30*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		_, polled := value(mfs, "entra_provisioning_exporter_last_poll_timestamp_seconds", nil)
		return polled && pollSuccess(0)(mfs) &&
			counter(mfs, "entra_provisioning_exporter_graph_operation_errors_total", map[string]string{"operation": "discovery"}) > 0
	})
	if _, ok := mfs["entra_provisioning_job_status"]; ok {
		t.Error("job metrics without ever reaching Graph")
	}

	proxy.up.Store(true)
	e.waitFor(t, "recovery once the token endpoint answers", 60*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		v, ok := value(mfs, "entra_provisioning_job_quarantined", map[string]string{"job_id": a.JobID})
		return pollSuccess(1)(mfs) && ok && v == 0
	})
	if !strings.Contains(e.logs.String(), "reason=token") {
		t.Error("token failures not logged as reason=token")
	}
}

// TestSecretsNeverInLogsOrMetrics runs the exporter at debug level through
// successful and failing cycles and checks that neither the client secret
// nor the SCIM token nor an access token appears in its logs or metrics.
func TestSecretsNeverInLogsOrMetrics(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	env.Setenv(t)
	a := simfixture.NewApp(t, env, "myPolicies", "secrets", 2, true)
	simfixture.RunEngine(t, env, 0)

	e := startExporter(t, "--poll.interval=2s", "--discovery.interval=2s", "--log.level=debug", "--logs.initial-lookback=1h")
	e.waitFor(t, "job metrics and event counters", 30*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		_, ok := value(mfs, "entra_provisioning_events_total", map[string]string{"job_id": a.JobID})
		return pollSuccess(1)(mfs) && ok
	})
	// Force failures too, so error paths get logged.
	simfixture.SetTarget(t, env, "secrets", "401")
	simfixture.RunEngine(t, env, 40*time.Minute)
	time.Sleep(2500 * time.Millisecond)
	_, body := e.scrape(t)
	logs := e.logs.String()
	secrets := []string{env.Ready.ClientSecret, "sim-token-secrets"}
	if leaked := contains(body, secrets...); len(leaked) > 0 {
		t.Errorf("metrics contain secrets %q", leaked)
	}
	// Every other endpoint the exporter serves, readiness included.
	for _, path := range []string{"/-/ready", "/-/healthy", "/"} {
		_, page := e.get(t, path)
		if leaked := contains(page, secrets...); len(leaked) > 0 {
			t.Errorf("%s contains secrets %q", path, leaked)
		}
		if strings.Contains(page, "eyJ") {
			t.Errorf("%s contains what looks like a JWT access token", path)
		}
	}
	if leaked := contains(logs, secrets...); len(leaked) > 0 {
		t.Errorf("logs contain secrets %q", leaked)
	}
	if !strings.Contains(logs, "level=DEBUG") {
		t.Error("debug logging was not active; the check proves nothing")
	}
	if strings.Contains(logs, "eyJ") {
		t.Error("logs contain what looks like a JWT access token")
	}
}

// TestThrottledBatchItemsAreCounted throttles only the job GETs inside
// $batch (Graph limits each item on its own; the envelope is never
// throttled). The Graph client re-sends those items after their Retry-After
// and usually succeeds, so no caller sees the 429s: the batch-item hook must
// still count every one. The exporter's counter has to end up equal to the
// number of 429s the simulator injected.
func TestThrottledBatchItemsAreCounted(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	env.Setenv(t)
	for i := range 3 {
		simfixture.NewApp(t, env, fmt.Sprintf("Throttled app %d", i), "throttled", 0, true)
	}
	e := startExporter(t, "--poll.interval=2s", "--discovery.interval=1h", "--no-logs.enabled")
	mfs := e.waitFor(t, "a first successful poll", 20*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		v, _ := value(mfs, "entra_provisioning_exporter_jobs", nil)
		return pollSuccess(1)(mfs) && v == 3
	})
	before := counter(mfs, "entra_provisioning_exporter_graph_throttled_requests_total", nil)
	beforeRequests := sumCounter(mfs, "entra_provisioning_exporter_graph_requests_total")
	if err := env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	if err := env.Admin.SetFaults("throttle=0.5,retry-after=0s,only=/synchronization/jobs"); err != nil {
		t.Fatal(err)
	}
	last := func(mfs map[string]*dto.MetricFamily) float64 {
		v, _ := value(mfs, "entra_provisioning_exporter_last_poll_timestamp_seconds", nil)
		return v
	}
	start := last(mfs)
	polls := 0
	e.waitFor(t, "four polls under item throttling", 30*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		if l := last(mfs); l > start {
			start, polls = l, polls+1
		}
		return polls >= 4
	})
	if err := env.Admin.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	rc, err := env.Admin.RequestCounts()
	if err != nil {
		t.Fatal(err)
	}
	if rc.Throttled == 0 {
		t.Fatal("the simulator throttled no $batch item; the test proves nothing")
	}
	// In-flight answers may still arrive; the counts must converge.
	var counted, requests float64
	deadline := time.Now().Add(10 * time.Second)
	for {
		mfs, _ = e.scrape(t)
		counted = counter(mfs, "entra_provisioning_exporter_graph_throttled_requests_total", nil) - before
		requests = sumCounter(mfs, "entra_provisioning_exporter_graph_requests_total") - beforeRequests
		if counted == float64(rc.Throttled) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if counted != float64(rc.Throttled) {
		t.Errorf("throttled requests counted = %v, simulator injected %d 429s into $batch items", counted, rc.Throttled)
	}
	// The envelopes were never throttled: no 429 in the per-status request
	// counter, so the throttled counter really comes from the items.
	if v, _ := value(mfs, "entra_provisioning_exporter_graph_requests_total", map[string]string{"code": "429"}); v != 0 {
		t.Errorf("graph_requests_total{code=429} = %v, want 0 (only items were throttled)", v)
	}
	if requests <= 0 {
		t.Error("no Graph requests counted during the throttled polls")
	}
}
