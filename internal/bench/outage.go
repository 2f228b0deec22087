package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Outage is the exporter's behaviour through a Graph outage: every Graph
// request answers 503 for Duration while the exporter is scraped each second.
type Outage struct {
	Jobs, Scrapes int
	Duration      time.Duration
	PollInterval  time.Duration
	FailedScrapes int // /metrics did not answer 200
	MissingSeries int // scrapes in which some job's series was absent
	NoticedAfter  time.Duration
	Noticed       bool          // poll_success went to 0 during the outage
	Recovery      time.Duration // outage end → a successful poll
	Recovered     bool
	ScrapeDir     string // scrape bodies kept for the leak scan
	LogPath       string
	Secrets       []Secret // secrets the exporter had access to

	lastPollFailed bool
}

// MeasureOutage runs the exporter against jobs jobs, cuts Graph off for d
// through the simulator's fault API and measures gaps and recovery. The
// exporter polls on a real-time ticker, so the outage lasts d in real time;
// the simulated clock cannot shorten it.
func MeasureOutage(ctx context.Context, bins Bins, workDir string, jobs int, d, poll time.Duration) (Outage, error) {
	o := Outage{Jobs: jobs, Duration: d, PollInterval: poll, ScrapeDir: filepath.Join(workDir, "scrapes")}
	if err := os.MkdirAll(o.ScrapeDir, 0o700); err != nil {
		return o, err
	}
	sim, err := StartSim(bins.Graphsim, workDir, SimOptions{Users: 5, Groups: 1, Speed: 600})
	if err != nil {
		return o, err
	}
	defer sim.Stop()
	o.Secrets = []Secret{{"exporter client secret", sim.Ready.ClientSecret}, {"SCIM token of the exporter's jobs", "sim-token-outage"}}
	if _, err := sim.CreateStartedJobs(jobs, "outage app", "outage", 2); err != nil {
		return o, err
	}
	exp, err := StartExporter(bins.Exporter, workDir, sim, "--poll.interval="+poll.String(), "--discovery.interval=1h")
	if err != nil {
		return o, err
	}
	defer exp.Stop()
	o.LogPath = exp.LogPath
	if _, err := exp.WaitFor(ctx, "all jobs exported", 2*time.Minute, func(s Scrape) bool {
		ok, _ := s.Value(mPollSuccess, nil)
		return ok == 1 && len(s.Families[mJobInfo].GetMetric()) == jobs
	}); err != nil {
		return o, err
	}

	if err := sim.SetFaults("error=1,error-status=503"); err != nil {
		return o, err
	}
	start := time.Now()
	for time.Since(start) < d {
		o.observe(ctx, exp, jobs)
		if !o.Noticed && o.lastPollFailed {
			o.Noticed, o.NoticedAfter = true, time.Since(start)
		}
		sleepCtx(ctx, time.Second)
	}
	if err := sim.SetFaults(""); err != nil {
		return o, err
	}
	healed := time.Now()
	deadline := healed.Add(3*poll + 10*time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		s := o.observe(ctx, exp, jobs)
		good, _ := s.Value(mLastGoodPoll, nil)
		ok, _ := s.Value(mPollSuccess, nil)
		if ok == 1 && good >= float64(healed.UnixNano())/1e9 {
			o.Recovered, o.Recovery = true, time.Since(healed)
			break
		}
		sleepCtx(ctx, 200*time.Millisecond)
	}
	return o, nil
}

// lastPollFailed is set by observe from poll_success.
func (o *Outage) observe(ctx context.Context, exp *Exporter, jobs int) Scrape {
	o.Scrapes++
	s, err := exp.Scrape(ctx)
	if len(s.Body) > 0 {
		_ = os.WriteFile(filepath.Join(o.ScrapeDir, fmt.Sprintf("scrape-%04d.txt", o.Scrapes)), s.Body, 0o600)
	}
	if err != nil {
		o.FailedScrapes++
		return s
	}
	if len(s.Families[mJobInfo].GetMetric()) != jobs || !allJobsHaveStatus(s, jobs) {
		o.MissingSeries++
	}
	ok, _ := s.Value(mPollSuccess, nil)
	o.lastPollFailed = ok == 0
	return s
}

// allJobsHaveStatus reports whether every job still has a status series
// (any entra_provisioning_job_* family other than _info with jobs samples).
func allJobsHaveStatus(s Scrape, jobs int) bool {
	for name, f := range s.Families {
		if strings.HasPrefix(name, "entra_provisioning_job_") && name != mJobInfo && len(f.GetMetric()) >= jobs {
			return true
		}
	}
	return false
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
