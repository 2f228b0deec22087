package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// BenchOptions size `make bench`.
type BenchOptions struct {
	Sizes        []int  // configurations per lifecycle; the largest is the headline
	Runs         int    // repetitions of each wall-clock measurement (median reported)
	Latency      string // simulator latency per Graph request
	StartupRuns  int
	ExporterJobs []int
	Scrapes      int
	GoBenchmarks []GoBenchmark
	RepoRoot     string
}

// SizeResult is every run of one size.
type SizeResult struct {
	N    int
	Runs []Lifecycle
	Errs []string
}

// Median phase figures over the successful runs.
func (s SizeResult) Median(phase func(Lifecycle) Phase) (time.Duration, int, bool) {
	var ds []time.Duration
	var reqs []int
	for _, l := range s.Runs {
		if p := phase(l); p.OK {
			ds, reqs = append(ds, p.Elapsed), append(reqs, p.Requests.Total)
		}
	}
	return median(ds), medianInt(reqs), len(ds) > 0
}

// Spread is the fastest and slowest successful run of a phase.
func (s SizeResult) Spread(phase func(Lifecycle) Phase) (lo, hi time.Duration) {
	for _, l := range s.Runs {
		if p := phase(l); p.OK {
			if lo == 0 || p.Elapsed < lo {
				lo = p.Elapsed
			}
			hi = max(hi, p.Elapsed)
		}
	}
	return lo, hi
}

// PerfResult is everything docs/performance.md reports.
type PerfResult struct {
	Options     BenchOptions
	Sizes       []SizeResult
	BigJob      BigJob // issue 4: planning one job with 60 mappings and 5 scoping groups
	BigJobErr   string
	Startup     Startup
	StartupErr  string
	Exporter    []ExporterScale
	ExporterErr []string
	GoBench     []GoBenchResult
	Elapsed     time.Duration
}

// DefaultGoBenchmarks are the per-package benchmarks the documents quote.
func DefaultGoBenchmarks() []GoBenchmark {
	return []GoBenchmark{
		{Package: "./internal/expression", Pattern: "^BenchmarkParseValidate$", Why: "mapping expressions parsed and validated per second (plan-time validation)"},
		{Package: "./internal/syncschema", Pattern: "^BenchmarkApplyValidate$", Why: "planning a job with 60 attribute mappings and 5 scoping groups: validate the configuration and compute the schema to PUT"},
		{Package: "./internal/syncschema", Pattern: "^BenchmarkRefresh$", Why: "refreshing that job when nothing changed: extract the configured view from the schema and compare"},
		{Package: "./internal/graphsim", Pattern: "^BenchmarkAuthenticatedGET$", Why: "simulator throughput for a typical authenticated GET over HTTPS"},
		{Package: "./internal/graphsim", Pattern: "^BenchmarkTenantMemory$", BenchTime: "1x", Why: "simulator heap with 10,000 users and 1,000 jobs after 10 simulated days of cycles"},
		{Package: "./exporter/collector", Pattern: "^BenchmarkCollect10kJobs$", Why: "exporter: rendering 10,000 jobs' metrics in-process"},
	}
}

// RunBench measures the lifecycle sizes, start-up, the exporter and the Go
// benchmarks, in that order. Failures are recorded per row, so one broken
// piece leaves the others measured.
func RunBench(ctx context.Context, bins Bins, workDir string, o BenchOptions, progress func(string)) PerfResult {
	res := PerfResult{Options: o}
	start := time.Now()
	for _, n := range o.Sizes {
		sr := SizeResult{N: n}
		for run := 0; run < o.Runs; run++ {
			l, err := RunLifecycle(ctx, bins, filepath.Join(workDir, fmt.Sprintf("lifecycle-%03d-%d", n, run)), LifecycleOptions{N: n, Faults: "latency=" + o.Latency})
			if err == nil && !l.Converged() {
				err = fmt.Errorf("did not converge: %s %s %s (dup %d, missing %d, orphans %d)", l.Apply.Err, l.Replan.Err, l.Destroy.Err,
					l.AfterApply.Duplicates, l.AfterApply.Missing, l.AfterDestroy.Orphans())
			}
			if err != nil {
				sr.Errs = append(sr.Errs, err.Error())
				progress(fmt.Sprintf("lifecycle N=%d run %d: %v", n, run+1, err))
				continue
			}
			sr.Runs = append(sr.Runs, l)
			progress(fmt.Sprintf("lifecycle N=%-3d run %d: apply %s (%d requests), re-plan %s (%d), destroy %s (%d)", n, run+1,
				l.Apply.Elapsed.Round(time.Millisecond), l.Apply.Requests.Total, l.Replan.Elapsed.Round(time.Millisecond), l.Replan.Requests.Total,
				l.Destroy.Elapsed.Round(time.Millisecond), l.Destroy.Requests.Total))
		}
		res.Sizes = append(res.Sizes, sr)
	}
	bj, err := RunBigJob(ctx, bins, filepath.Join(workDir, "bigjob"), o.Latency, o.Runs)
	res.BigJob = bj
	if err != nil {
		res.BigJobErr = err.Error()
		progress(fmt.Sprintf("%d-mapping job: %v", bj.Mappings, err))
	}
	for i := range bj.NoChange {
		progress(fmt.Sprintf("%d-mapping job run %d: no-change plan %s (%d requests, %d schema GET), changed plan %s (%d, %d) %s%s", bj.Mappings, i+1,
			bj.NoChange[i].Elapsed.Round(time.Millisecond), bj.NoChange[i].Requests.Total, bj.NoChange[i].Requests.Routes[schemaGETRoute],
			bj.Changed[i].Elapsed.Round(time.Millisecond), bj.Changed[i].Requests.Total, bj.Changed[i].Requests.Routes[schemaGETRoute],
			firstError(bj.NoChange[i].Err), firstError(bj.Changed[i].Err)))
	}
	st, err := MeasureStartup(ctx, bins, filepath.Join(workDir, "startup"), o.StartupRuns)
	res.Startup = st
	if err != nil {
		res.StartupErr = err.Error()
	}
	progress(fmt.Sprintf("provider start-up: schema -json %s with the provider, %s terraform alone", st.WithProvider.Round(time.Millisecond), st.TerraformOnly.Round(time.Millisecond)))
	for _, jobs := range o.ExporterJobs {
		r, err := MeasureExporterScale(ctx, bins, filepath.Join(workDir, fmt.Sprintf("exporter-%d", jobs)), jobs, o.Scrapes)
		if err != nil {
			res.ExporterErr = append(res.ExporterErr, fmt.Sprintf("%d jobs: %v", jobs, err))
			progress(fmt.Sprintf("exporter %d jobs: %v", jobs, err))
			continue
		}
		res.Exporter = append(res.Exporter, r)
		progress(fmt.Sprintf("exporter %d jobs: %.0f HTTP requests/poll, scrape p50 %s p99 %s, RSS %d MiB", jobs, r.HTTPPerPoll,
			r.ScrapeP50.Round(time.Microsecond), r.ScrapeP99.Round(time.Microsecond), r.RSSKiB/1024))
	}
	for _, b := range o.GoBenchmarks {
		rs := RunGoBenchmarks(ctx, o.RepoRoot, []GoBenchmark{b})
		res.GoBench = append(res.GoBench, rs...)
		for _, r := range rs {
			progress(fmt.Sprintf("go benchmark %s %s: %v %s", b.Package, r.Name, r.Metrics, r.Err))
		}
	}
	res.Elapsed = time.Since(start)
	return res
}
