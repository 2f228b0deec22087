package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Bins are the binaries under test.
type Bins struct {
	ProviderDir string // holds terraform-provider-entra (dev_overrides)
	Graphsim    string
	Exporter    string
}

// Phase is one terraform command's measurement.
type Phase struct {
	Elapsed  time.Duration
	Requests RequestCounts // Graph requests the simulator saw during the command
	OK       bool
	Err      string   // the last attempt's error ("" when OK)
	Attempts int      // commands run (re-runs after failures)
	Errs     []string // first error line of each failed attempt
}

// Lifecycle is apply, re-plan and destroy of n configurations on a fresh
// simulator, with what the simulator held after apply and after destroy.
type Lifecycle struct {
	N                      int
	Faults                 string
	Apply, Replan, Destroy Phase
	AfterApply             Audit
	AfterDestroy           Audit
	WorkDir                string

	clientSecret string // the simulator's, for the leak scan
}

// Converged reports whether every phase succeeded and nothing was
// duplicated, missing or left behind.
func (l Lifecycle) Converged() bool {
	return l.Apply.OK && l.Replan.OK && l.Destroy.OK &&
		l.AfterApply.Duplicates == 0 && l.AfterApply.Missing == 0 && l.AfterDestroy.Orphans() == 0
}

// LifecycleOptions configure one RunLifecycle.
type LifecycleOptions struct {
	N        int
	Faults   string   // simulator fault spec during the terraform commands
	ExtraEnv []string // added to every terraform run (e.g. TF_LOG=trace)
	Speed    float64
	Seed     uint64 // simulator seed (fault draws); 0 = its default
	// MaxAttempts re-runs a failed apply or destroy up to this many times in
	// all, as an operator would; 0 or 1 = run once.
	MaxAttempts int
	// Spike, when set, alternates the fault spec between Spike.Spec and
	// Faults while each terraform command runs (latency spikes).
	Spike *Spike
	// BeforeApply and AfterApply run in the workspace with faults lifted
	// (the leak scan plans and copies state there).
	BeforeApply, AfterApply func(ctx context.Context, ws *Workspace) error
}

// Spike is a fault spec switched on for On out of every On+Off.
type Spike struct {
	Spec    string
	On, Off time.Duration
}

// benchPrefix names every application the harness creates.
const benchPrefix = "bench app"

// RunLifecycle starts a simulator, applies o.N configurations, re-plans and
// destroys them, measuring each command and auditing the simulator in
// between. Faults are lifted only while the harness itself audits.
func RunLifecycle(ctx context.Context, bins Bins, workDir string, o LifecycleOptions) (Lifecycle, error) {
	l := Lifecycle{N: o.N, Faults: o.Faults, WorkDir: workDir}
	if err := os.MkdirAll(workDir, 0o700); err != nil {
		return l, err
	}
	sim, err := StartSim(bins.Graphsim, workDir, SimOptions{Users: 5, Groups: 1, Speed: o.Speed, Faults: o.Faults, Seed: o.Seed})
	if err != nil {
		return l, err
	}
	defer sim.Stop()
	l.clientSecret = sim.Ready.ClientSecret
	st, err := sim.State()
	if err != nil {
		return l, err
	}
	if len(st.Groups) == 0 {
		return l, fmt.Errorf("the simulator seeded no group to assign")
	}
	ws, err := NewWorkspace(filepath.Join(workDir, "tf"), bins.ProviderDir, sim, o.N, st.Groups[0].ID, o.ExtraEnv...)
	if err != nil {
		return l, err
	}
	// measure runs a command up to attempts times (as an operator re-runs a
	// failed apply), summing wall time and requests over the attempts.
	measure := func(run func(context.Context) (Result, error), attempts int) (Phase, error) {
		if err := sim.ResetRequests(); err != nil {
			return Phase{}, err
		}
		var p Phase
		for p.Attempts < attempts && !p.OK {
			p.Attempts++
			stopSpikes := startSpikes(sim, o.Faults, o.Spike)
			res, runErr := run(ctx)
			if err := stopSpikes(); err != nil {
				return p, err
			}
			p.Elapsed += res.Elapsed
			p.OK = runErr == nil
			if runErr != nil {
				p.Errs = append(p.Errs, firstError(runErr.Error()))
				p.Err = runErr.Error()
			} else {
				p.Err = ""
			}
		}
		rc, err := sim.Requests()
		p.Requests = rc
		return p, err
	}
	audit := func(want int) (Audit, error) {
		if err := sim.SetFaults(""); err != nil {
			return Audit{}, err
		}
		a, err := sim.AuditDirectory(benchPrefix, want)
		if err != nil {
			return a, err
		}
		return a, sim.SetFaults(o.Faults)
	}

	hook := func(h func(context.Context, *Workspace) error) error {
		if h == nil {
			return nil
		}
		if err := sim.SetFaults(""); err != nil {
			return err
		}
		if err := h(ctx, ws); err != nil {
			return err
		}
		return sim.SetFaults(o.Faults)
	}
	if err := hook(o.BeforeApply); err != nil {
		return l, err
	}
	if l.Apply, err = measure(ws.Apply, max(o.MaxAttempts, 1)); err != nil {
		return l, err
	}
	if err := hook(o.AfterApply); err != nil {
		return l, err
	}
	if l.AfterApply, err = audit(o.N); err != nil {
		return l, err
	}
	if l.Apply.OK {
		if l.Replan, err = measure(ws.Replan, 1); err != nil {
			return l, err
		}
	} else {
		l.Replan.Err = "skipped: apply failed"
	}
	if l.Destroy, err = measure(ws.Destroy, max(o.MaxAttempts, 1)); err != nil {
		return l, err
	}
	// A failed destroy is reported with what it left behind; the simulator
	// is discarded afterwards, so no clean-up run is needed.
	l.AfterDestroy, err = audit(0)
	return l, err
}

// startSpikes toggles the simulator's faults between base and spike.Spec
// until the returned stop function is called, which restores base.
func startSpikes(sim *Sim, base string, spike *Spike) (stop func() error) {
	if spike == nil {
		return func() error { return nil }
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			_ = sim.SetFaults(joinSpecs(base, spike.Spec))
			select {
			case <-done:
				return
			case <-time.After(spike.On):
			}
			_ = sim.SetFaults(base)
			select {
			case <-done:
				return
			case <-time.After(spike.Off):
			}
		}
	}()
	return func() error {
		close(done)
		<-finished
		return sim.SetFaults(base)
	}
}

func joinSpecs(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "," + b
}

// firstError extracts the first diagnostic of terraform output in an error
// ("Error: summary" plus its detail line, or what a non-empty plan wanted).
func firstError(msg string) string {
	lines := strings.Split(msg, "\n")
	var planned []string
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "Error: ") {
			detail := ""
			for _, next := range lines[i+1:] {
				n := strings.TrimSpace(next)
				if n != "" && !strings.HasPrefix(n, "with ") && !strings.HasPrefix(n, "on ") && !strings.Contains(n, ": resource ") && !strings.HasPrefix(n, "│") {
					detail = n
					break
				}
			}
			return strings.TrimSpace(t + " — " + detail)
		}
		if strings.HasPrefix(t, "# ") && strings.Contains(t, " will be ") || strings.HasPrefix(t, "# ") && strings.Contains(t, " must be replaced") {
			planned = append(planned, strings.TrimPrefix(t, "# "))
		}
	}
	if len(planned) > 0 {
		if len(planned) > 3 {
			planned = append(planned[:3], fmt.Sprintf("… (%d in all)", len(planned)))
		}
		return "re-plan not empty: " + strings.Join(planned, "; ")
	}
	return strings.SplitN(msg, "\n", 2)[0]
}
