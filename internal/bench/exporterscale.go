package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"time"
)

// ExporterScale is the exporter measured against a tenant with Jobs jobs.
type ExporterScale struct {
	Jobs             int
	SetupTime        time.Duration // creating the jobs through $batch
	PollInterval     time.Duration
	HTTPPerPoll      float64       // HTTP requests of one poll, as the exporter counts them
	BatchEnvelopes   int           // $batch requests the simulator saw in that poll
	GraphOperations  int           // simulator's count, $batch items counted individually
	RequestTarget    int           // ⌈N/20⌉ + 1
	PollDuration     float64       // seconds, the exporter's own gauge
	Scrapes          int           // number of timed scrapes
	ScrapeP50        time.Duration // gzip scrape latency
	ScrapeP99        time.Duration
	GzipBytes, Bytes int
	RSSKiB, HWMKiB   int
}

const (
	mJobs         = "entra_provisioning_exporter_jobs"
	mPollSuccess  = "entra_provisioning_exporter_poll_success"
	mLastPoll     = "entra_provisioning_exporter_last_poll_timestamp_seconds"
	mLastGoodPoll = "entra_provisioning_exporter_last_successful_poll_timestamp_seconds"
	mPollDuration = "entra_provisioning_exporter_poll_duration_seconds"
	mGraphReqs    = "entra_provisioning_exporter_graph_requests_total"
	mJobInfo      = "entra_provisioning_job_info"
)

// MeasureExporterScale creates jobs started jobs on a fresh simulator, runs
// the exporter binary against it and measures one steady-state poll (after
// discovery is cached), scrape latency over `scrapes` scrapes, and memory.
func MeasureExporterScale(ctx context.Context, bins Bins, workDir string, jobs, scrapes int) (ExporterScale, error) {
	r := ExporterScale{Jobs: jobs, Scrapes: scrapes, RequestTarget: int(math.Ceil(float64(jobs)/batchSize)) + 1}
	if err := os.MkdirAll(workDir, 0o700); err != nil {
		return r, err
	}
	sim, err := StartSim(bins.Graphsim, workDir, SimOptions{Users: 2, Groups: 1})
	if err != nil {
		return r, err
	}
	defer sim.Stop()
	start := time.Now()
	if _, err := sim.CreateStartedJobs(jobs, "exporter scale", "scale", 4); err != nil {
		return r, fmt.Errorf("creating %d jobs: %w", jobs, err)
	}
	r.SetupTime = time.Since(start)

	// Polls far enough apart that one always finishes before the next.
	r.PollInterval = max(10*time.Second, time.Duration(jobs)*3*time.Millisecond)
	exp, err := StartExporter(bins.Exporter, workDir, sim,
		"--poll.interval="+r.PollInterval.String(), "--discovery.interval=1h", "--log.level=warn")
	if err != nil {
		return r, err
	}
	defer exp.Stop()
	ready := func(s Scrape) bool {
		n, _ := s.Value(mJobs, nil)
		ok, _ := s.Value(mPollSuccess, nil)
		return int(n) == jobs && ok == 1 && len(s.Families[mJobInfo].GetMetric()) == jobs
	}
	s, err := exp.WaitFor(ctx, fmt.Sprintf("all %d jobs exported", jobs), 5*time.Minute+3*r.PollInterval, ready)
	if err != nil {
		return r, err
	}
	// Count exactly one poll: align on a poll's end, reset, wait for the next.
	last, _ := s.Value(mLastPoll, nil)
	nextPoll := func(after float64) func(Scrape) bool {
		return func(s Scrape) bool { v, _ := s.Value(mLastPoll, nil); return v > after }
	}
	if s, err = exp.WaitFor(ctx, "a poll to finish", 3*r.PollInterval, nextPoll(last)); err != nil {
		return r, err
	}
	if err := sim.ResetRequests(); err != nil {
		return r, err
	}
	before := s.Sum(mGraphReqs)
	last, _ = s.Value(mLastPoll, nil)
	if s, err = exp.WaitFor(ctx, "the measured poll", 3*r.PollInterval, nextPoll(last)); err != nil {
		return r, err
	}
	rc, err := sim.Requests()
	if err != nil {
		return r, err
	}
	r.HTTPPerPoll = s.Sum(mGraphReqs) - before
	r.BatchEnvelopes = rc.Routes["POST /v1.0/$batch"]
	r.GraphOperations = rc.Total
	r.PollDuration, _ = s.Value(mPollDuration, nil)

	var lat []time.Duration
	for i := 0; i < scrapes; i++ {
		sc, err := exp.Scrape(ctx)
		if err != nil {
			return r, err
		}
		lat = append(lat, sc.Latency)
		r.GzipBytes, r.Bytes = sc.GzipSize, len(sc.Body)
	}
	r.ScrapeP50, r.ScrapeP99 = percentile(lat, 50), percentile(lat, 99)
	r.RSSKiB, r.HWMKiB = residentKiB(exp.Pid())
	return r, nil
}
