package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// schemaGETRoute is the job-schema read as the simulator names it in
// GET /_sim/requests.
const schemaGETRoute = "GET /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema"

// bigJobChangedSource is what the changed-mapping plan sets the "title"
// mapping's source to (the applied configuration uses jobTitle).
const bigJobChangedSource = "department"

// BigJob is issue 4's planning measurement: one job with 60 attribute
// mappings and 5 scoping groups, applied once, then planned with no change
// and with one mapping changed, Runs times each.
type BigJob struct {
	Mappings, ScopingGroups int
	Apply                   Phase
	NoChange, Changed       []Phase // one per run, successful or not
}

// medianPlans is the median wall time and request count of the successful
// plans.
func medianPlans(ps []Phase) (wall time.Duration, reqs int, ok bool) {
	var ds []time.Duration
	var rs []int
	for _, p := range ps {
		if p.OK {
			ds, rs = append(ds, p.Elapsed), append(rs, p.Requests.Total)
		}
	}
	return median(ds), medianInt(rs), len(ds) > 0
}

// spreadPlans is the fastest and slowest successful plan.
func spreadPlans(ps []Phase) (lo, hi time.Duration) {
	for _, p := range ps {
		if p.OK {
			if lo == 0 || p.Elapsed < lo {
				lo = p.Elapsed
			}
			hi = max(hi, p.Elapsed)
		}
	}
	return lo, hi
}

// RunBigJob starts a simulator with latency per Graph request, applies the
// big job once and measures runs no-change and changed-mapping plans. A
// plan fails (OK false, Err set) when it does not show what it should or
// reads the job's schema other than exactly once: the provider's target is
// one schema GET per refresh, and each plan refreshes the one job once.
func RunBigJob(ctx context.Context, bins Bins, workDir, latency string, runs int) (BigJob, error) {
	ms, _ := bigJobMappings()
	b := BigJob{Mappings: len(ms), ScopingGroups: len(bigJobScoping)}
	if err := os.MkdirAll(workDir, 0o700); err != nil {
		return b, err
	}
	faults := "latency=" + latency
	sim, err := StartSim(bins.Graphsim, workDir, SimOptions{Users: 5, Groups: 1, Faults: faults})
	if err != nil {
		return b, err
	}
	defer sim.Stop()
	ws, err := newWorkspace(filepath.Join(workDir, "tf"), bigJobHCL(), bins.ProviderDir, sim, 1, "")
	if err != nil {
		return b, err
	}
	measure := func(run func(context.Context) (Result, error)) (Phase, error) {
		if err := sim.ResetRequests(); err != nil {
			return Phase{}, err
		}
		res, runErr := run(ctx)
		p := Phase{Elapsed: res.Elapsed, OK: runErr == nil, Attempts: 1}
		if runErr != nil {
			p.Err = runErr.Error()
			p.Errs = []string{firstError(p.Err)}
		}
		rc, err := sim.Requests()
		p.Requests = rc
		if err == nil && p.OK {
			if got := rc.Routes[schemaGETRoute]; got != 1 {
				p.OK = false
				p.Err = fmt.Sprintf("%d schema GETs (`%s`) for one refresh of one job, want exactly 1; routes: %v", got, schemaGETRoute, rc.Routes)
				p.Errs = []string{p.Err}
			}
		}
		return p, err
	}
	if b.Apply, err = measure(ws.Apply); err != nil {
		return b, err
	}
	if !b.Apply.OK {
		// Nothing to plan against; the apply's own error says why.
		return b, fmt.Errorf("applying the %d-mapping job: %s (output under %s)", b.Mappings, firstError(b.Apply.Err), ws.Dir)
	}
	for range runs {
		p, err := measure(ws.Replan)
		if err != nil {
			return b, err
		}
		b.NoChange = append(b.NoChange, p)
		if p, err = measure(ws.planChangedMapping); err != nil {
			return b, err
		}
		b.Changed = append(b.Changed, p)
	}
	return b, nil
}

// planChangedMapping plans the big job with the "title" mapping's source
// changed and fails unless exactly the job is updated in place.
func (w *Workspace) planChangedMapping(ctx context.Context) (Result, error) {
	res, err := w.Run(ctx, "plan", "-detailed-exitcode", "-parallelism=10", "-var=title_source="+bigJobChangedSource)
	if err != nil {
		return res, err
	}
	if res.ExitCode != 2 || !strings.Contains(res.Output, "entra_provisioning_job.app will be updated in-place") ||
		!strings.Contains(res.Output, "0 to add, 1 to change, 0 to destroy") {
		return res, fmt.Errorf("plan with one mapping changed did not update exactly the job in place (exit %d); output in %s:\n%s", res.ExitCode, res.LogPath, lastLines(res.Output, 25))
	}
	return res, nil
}
