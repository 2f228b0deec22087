package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// FaultCase is one row of the fault matrix.
type FaultCase struct {
	Name  string
	Spec  string // simulator fault spec for the whole lifecycle
	Spike *Spike
}

// DefaultFaultMatrix is the matrix of the reliability issue.
func DefaultFaultMatrix() []FaultCase {
	return []FaultCase{
		{Name: "no faults (throttling 0 %, lag 0 s): baseline"},
		{Name: "throttling 20 % (Retry-After 1 s)", Spec: "throttle=0.2,retry-after=1s"},
		{Name: "throttling 50 % (Retry-After 1 s)", Spec: "throttle=0.5,retry-after=1s"},
		{Name: "5xx 5 % (503)", Spec: "error=0.05"},
		{Name: "replication lag 2 s", Spec: "lag=2s"},
		{Name: "replication lag 10 s", Spec: "lag=10s"},
		{Name: "latency spikes (+1.5 s per request, 3 s of every 8 s)", Spike: &Spike{Spec: "latency=1500ms", On: 3 * time.Second, Off: 5 * time.Second}},
	}
}

// SoakOptions size the soak.
type SoakOptions struct {
	N           int           // configurations per fault case
	GrowthSizes []int         // extra sizes for the throttling-20 % growth rows
	Cases       []FaultCase   // default DefaultFaultMatrix
	Outage      time.Duration // exporter's Graph outage
	OutagePoll  time.Duration // exporter poll interval during the outage test
	OutageJobs  int
	LeakN       int    // configurations in the TF_LOG=trace leak run
	MaxAttempts int    // applies (and destroys) an operator would run before giving up
	Seed        uint64 // simulator seed: fault draws repeat for the same seed
}

// CaseResult is one fault case's lifecycle.
type CaseResult struct {
	Case FaultCase
	Lifecycle
	Err string // the harness itself failed (not the provider)
}

// SoakResult is everything docs/reliability.md reports.
type SoakResult struct {
	Options   SoakOptions
	Cases     []CaseResult
	Growth    []CaseResult // throttling 20 % at GrowthSizes
	Outage    Outage
	OutageErr string
	Leaks     []LeakResult
	LeakErr   string
	Elapsed   time.Duration
}

// RunSoak runs the fault matrix, the growth rows and the leak scan one
// after another, and the exporter outage concurrently on its own simulator
// (it has its own request counters, so the two cannot disturb each other's
// counts).
func RunSoak(ctx context.Context, bins Bins, workDir string, o SoakOptions, progress func(string)) SoakResult {
	if o.Cases == nil {
		o.Cases = DefaultFaultMatrix()
	}
	res := SoakResult{Options: o}
	start := time.Now()
	outageDone := make(chan struct{})
	go func() {
		defer close(outageDone)
		out, err := MeasureOutage(ctx, bins, filepath.Join(workDir, "outage"), o.OutageJobs, o.Outage, o.OutagePoll)
		res.Outage = out
		if err != nil {
			res.OutageErr = err.Error()
		}
		progress(fmt.Sprintf("exporter outage: %d scrapes, %d failed, %d with missing series, recovered=%v after %s",
			out.Scrapes, out.FailedScrapes, out.MissingSeries, out.Recovered, out.Recovery.Round(time.Millisecond)))
	}()
	runCase := func(dir string, c FaultCase, n int) CaseResult {
		l, err := RunLifecycle(ctx, bins, dir, LifecycleOptions{N: n, Faults: c.Spec, Spike: c.Spike, MaxAttempts: o.MaxAttempts, Seed: o.Seed})
		cr := CaseResult{Case: c, Lifecycle: l}
		if err != nil {
			cr.Err = err.Error()
		}
		progress(fmt.Sprintf("%-55s N=%-3d converged=%-5v attempts=%d/%d requests=%d+%d+%d dup=%d orphans=%d %s", c.Name, n, l.Converged(), l.Apply.Attempts, l.Destroy.Attempts,
			l.Apply.Requests.Total, l.Replan.Requests.Total, l.Destroy.Requests.Total, l.AfterApply.Duplicates, l.AfterDestroy.Orphans(), cr.Err))
		return cr
	}
	for i, c := range o.Cases {
		res.Cases = append(res.Cases, runCase(filepath.Join(workDir, fmt.Sprintf("case-%02d", i)), c, o.N))
	}
	growth := FaultCase{Name: "throttling 20 % (Retry-After 1 s)", Spec: "throttle=0.2,retry-after=1s"}
	for _, n := range o.GrowthSizes {
		res.Growth = append(res.Growth, runCase(filepath.Join(workDir, fmt.Sprintf("growth-%03d", n)), growth, n))
	}
	l, sources, secrets, err := leakLifecycle(ctx, bins, filepath.Join(workDir, "leak"), o.LeakN)
	if err != nil {
		res.LeakErr = err.Error()
	} else if !l.Converged() {
		res.LeakErr = "the leak-scan lifecycle did not converge: " + l.Apply.Err + l.Replan.Err + l.Destroy.Err
	}
	<-outageDone
	sources = append(sources,
		LeakSource{"exporter log", glob(res.Outage.LogPath)},
		LeakSource{"exporter /metrics output (every scrape of the outage test)", glob(filepath.Join(res.Outage.ScrapeDir, "*.txt"))})
	secrets = append(secrets, res.Outage.Secrets...)
	res.Leaks = ScanForSecrets(sources, secrets)
	res.Elapsed = time.Since(start)
	return res
}

// Baseline is the fault-free case, the minimum the other cases are
// compared with (nil if the matrix has none).
func (r SoakResult) Baseline() *CaseResult {
	for i := range r.Cases {
		if r.Cases[i].Case.Spec == "" && r.Cases[i].Case.Spike == nil {
			return &r.Cases[i]
		}
	}
	return nil
}
