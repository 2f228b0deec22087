package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// These measurements back the performance targets of the exporter issue.
// They are opt-in (EXPORTER_SCALE=1) because they create thousands of jobs.

func requireScale(t *testing.T) {
	if os.Getenv("EXPORTER_SCALE") == "" {
		t.Skip("set EXPORTER_SCALE=1 to run the exporter measurements")
	}
}

// createApps creates n started provisioning apps concurrently.
func createApps(t *testing.T, env *simtest.Env, n int) []simfixture.App {
	t.Helper()
	apps := make([]simfixture.App, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			apps[i] = simfixture.NewApp(t, env, fmt.Sprintf("Scale app %05d", i), "scale", 0, true)
		}()
	}
	wg.Wait()
	return apps
}

func graphRequests(t *testing.T, env *simtest.Env) (int64, map[string]int64) {
	t.Helper()
	rc, err := env.Admin.RequestCounts()
	if err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	byRoute := map[string]int64{}
	for route, n := range rc.Routes {
		if strings.HasPrefix(route, "POST /") && strings.Contains(route, "oauth2") {
			continue // token requests are not Graph requests
		}
		byRoute[route] = int64(n)
		total += int64(n)
	}
	return total, byRoute
}

// TestMeasureRequestsPerPoll1000Jobs counts the Graph requests the simulator
// sees for one poll of 1,000 jobs once discovery is cached.
func TestMeasureRequestsPerPoll1000Jobs(t *testing.T) {
	requireScale(t)
	const jobs = 1000
	env := simtest.Start(t, graphsim.Options{Users: 2, Groups: 1})
	env.Setenv(t)
	createApps(t, env, jobs)

	// Discovery every hour: only polls happen after the first cycle.
	e := startExporter(t, "--poll.interval=3s", "--discovery.interval=1h")
	e.waitFor(t, "all jobs polled", 60*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		v, _ := value(mfs, "entra_provisioning_exporter_jobs", nil)
		return v == jobs && pollSuccess(1)(mfs)
	})
	// Align on a poll boundary, then count exactly one poll.
	last := func(mfs map[string]*dto.MetricFamily) float64 {
		v, _ := value(mfs, "entra_provisioning_exporter_last_poll_timestamp_seconds", nil)
		return v
	}
	mfs, _ := e.scrape(t)
	prev := last(mfs)
	e.waitFor(t, "the next poll", 30*time.Second, func(m map[string]*dto.MetricFamily) bool { return last(m) > prev })
	if err := env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	mfs, _ = e.scrape(t)
	prev = last(mfs)
	before := sumCounter(mfs, "entra_provisioning_exporter_graph_requests_total")
	mfs = e.waitFor(t, "one more poll", 30*time.Second, func(m map[string]*dto.MetricFamily) bool { return last(m) > prev })
	sent := sumCounter(mfs, "entra_provisioning_exporter_graph_requests_total") - before
	_, byRoute := graphRequests(t, env)
	// The simulator counts $batch items under their own routes as well; HTTP
	// requests are the $batch envelopes plus the routes not sent in a batch.
	httpRequests := byRoute["POST /v1.0/$batch"] + byRoute["GET /v1.0/auditLogs/provisioning"]
	limit := int64(math.Ceil(jobs/20.0)) + 1
	t.Logf("MEASURE requests per poll for %d jobs: %d HTTP requests seen by the simulator, %v counted by the exporter (target <= %d); routes incl. batch items: %v",
		jobs, httpRequests, sent, limit, byRoute)
	if httpRequests > limit || int64(sent) > limit {
		t.Errorf("requests per poll = %d (exporter: %v), want <= %d", httpRequests, sent, limit)
	}
}

func sumCounter(mfs map[string]*dto.MetricFamily, name string) float64 {
	total := 0.0
	for _, m := range mfs[name].GetMetric() {
		total += m.GetCounter().GetValue()
	}
	return total
}

// TestMeasureFailureToMetricLatency measures the time from a failed cycle in
// Graph to the exporter's metric showing it (target: <= one poll interval).
func TestMeasureFailureToMetricLatency(t *testing.T) {
	requireScale(t)
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	env.Setenv(t)
	a := simfixture.NewApp(t, env, "myPolicies", "latency", 1, true)
	simfixture.RunEngine(t, env, 0)
	const interval = 5 * time.Second
	e := startExporter(t, "--poll.interval="+interval.String(), "--discovery.interval=1h", "--no-logs.enabled")
	job := map[string]string{"job_id": a.JobID}
	e.waitFor(t, "the job", 30*time.Second, func(mfs map[string]*dto.MetricFamily) bool {
		_, ok := value(mfs, "entra_provisioning_job_consecutive_failures", job)
		return ok
	})
	var worst time.Duration
	for i := 1; i <= 3; i++ {
		simfixture.SetTarget(t, env, "latency", "503")
		simfixture.RunEngine(t, env, 40*time.Minute)
		failedAt := time.Now()
		e.waitFor(t, "the failure to show", 2*interval, func(mfs map[string]*dto.MetricFamily) bool {
			v, _ := value(mfs, "entra_provisioning_job_consecutive_failures", job)
			return v == float64(i)
		})
		d := time.Since(failedAt)
		worst = max(worst, d)
	}
	t.Logf("MEASURE failed cycle → metric: worst %s of 3 (poll interval %s)", worst.Round(time.Millisecond), interval)
	if worst > interval+time.Second { // one interval plus the scrape loop's granularity
		t.Errorf("failure took %s to show, want <= one poll interval (%s)", worst, interval)
	}
}

// TestMeasureExporterProcess10kJobs runs the built exporter binary as its own
// process against a simulator holding 10,000 jobs and reports its resident
// memory and scrape latency (p50/p99 over 100 gzip scrapes, like Prometheus).
func TestMeasureExporterProcess10kJobs(t *testing.T) {
	requireScale(t)
	jobs := 10000
	if v := os.Getenv("EXPORTER_SCALE_JOBS"); v != "" {
		jobs, _ = strconv.Atoi(v)
	}
	bin := filepath.Join(t.TempDir(), "entra-provisioning-exporter")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building the exporter: %v", err)
	}
	env := simtest.Start(t, graphsim.Options{Users: 2, Groups: 1})
	start := time.Now()
	createApps(t, env, jobs)
	t.Logf("created %d jobs in %s", jobs, time.Since(start).Round(time.Second))

	addr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--web.listen-address="+addr, "--poll.interval=30s", "--discovery.interval=1h", "--no-logs.enabled")
	cmd.Env = append(os.Environ(), env.Environ()...)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	e := &exporter{url: "http://" + addr, logs: &logs}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if resp, err := http.Get(e.url + "/-/healthy"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("exporter did not start:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.waitFor(t, "all jobs", 5*time.Minute, func(mfs map[string]*dto.MetricFamily) bool {
		v, _ := value(mfs, "entra_provisioning_exporter_jobs", nil)
		return v == float64(jobs)
	})
	// The job metrics appear once the first poll has finished and rendered.
	for {
		mfs, _ := e.scrape(t)
		if n := len(mfs["entra_provisioning_job_info"].GetMetric()); n == jobs {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job metrics never appeared:\n%s", logs.String())
		}
		time.Sleep(time.Second)
	}
	time.Sleep(time.Second)

	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	var lat []time.Duration
	var gz, plain int
	var buf bytes.Buffer
	for i := range 100 {
		req, _ := http.NewRequest(http.MethodGet, e.url+"/metrics", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		// Like Prometheus, read into a buffer reused from the previous
		// scrape: growing a fresh one to 9 MB every time is the measuring
		// client's cost, not the exporter's.
		buf.Reset()
		_, _ = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		body := buf.Bytes()
		if i == 0 {
			gz = len(body)
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			text, _ := io.ReadAll(zr)
			plain = len(text)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	rss, hwm := "", ""
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
	}
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	// The Go runtime's own view explains the RSS: what is live, what the
	// collector lets the heap grow to, and what the process has allocated
	// since start (the garbage polls and renders leave behind).
	mfs, _ := e.scrape(t)
	mib := func(name string) string {
		v, _ := value(mfs, name, nil)
		return fmt.Sprintf("%.1f", v/(1<<20))
	}
	t.Logf("MEASURE exporter Go heap (MiB): alloc=%s inuse=%s sys=%s released=%s next_gc=%s; allocated since start=%s",
		mib("go_memstats_alloc_bytes"), mib("go_memstats_heap_inuse_bytes"), mib("go_memstats_heap_sys_bytes"),
		mib("go_memstats_heap_released_bytes"), mib("go_memstats_next_gc_bytes"), mib("go_memstats_alloc_bytes_total"))
	t.Logf("MEASURE exporter process with %d jobs: VmRSS=%s VmHWM=%s; scrape p50=%s p99=%s; %d bytes gzip (%d plain)",
		jobs, rss, hwm, p50.Round(time.Microsecond), p99.Round(time.Microsecond), gz, plain)
	if kb, err := strconv.Atoi(strings.Fields(rss + " 0")[0]); err == nil && kb > 150*1024 {
		t.Errorf("resident memory %s exceeds 150 MB", rss)
	}
	// Latency over loopback depends on the machine's load (the development
	// machine is shared), so a miss is reported, not failed.
	if p99 > 50*time.Millisecond {
		t.Logf("MEASURE TARGET MISSED: scrape p99 %s exceeds 50 ms (load average: %s)", p99, loadAverage())
	}
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
