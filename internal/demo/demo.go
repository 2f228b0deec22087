package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrInterrupted is returned when the run was interrupted (Ctrl-C) before
// it finished; everything has still been cleaned up.
var ErrInterrupted = errors.New("interrupted")

// cleanupTimeout bounds destroy and shutdown after the run, also after Ctrl-C.
const cleanupTimeout = 2 * time.Minute

// Run performs the demo; see the package documentation. Whatever happens,
// it destroys what it created and stops what it started before returning.
func Run(ctx context.Context, opts Options, out io.Writer) (err error) {
	opts, err = opts.withDefaults()
	if err != nil {
		return err
	}
	tfBin, err := exec.LookPath(opts.Terraform)
	if err != nil {
		return fmt.Errorf("the terraform CLI (1.11 or newer) is not on PATH: install it and re-run make demo (%w)", err)
	}
	if err := checkTerraformVersion(ctx, tfBin); err != nil {
		return err
	}
	workDir, removeWorkDir := opts.WorkDir, false
	if workDir == "" {
		if workDir, err = os.MkdirTemp("", "entra-demo-"); err != nil {
			return err
		}
		removeWorkDir = true
	} else if err := os.MkdirAll(workDir, 0o700); err != nil {
		return err
	}
	r := &run{opts: opts, out: out, workDir: workDir, tfBin: tfBin}
	defer func() {
		cleanupErr := r.cleanup()
		if err == nil && cleanupErr != nil {
			err = cleanupErr
		}
		switch {
		case err != nil && !errors.Is(err, ErrInterrupted):
			fmt.Fprintf(out, "\nThe demo failed; logs are kept in %s\n", workDir)
		case removeWorkDir && !opts.Keep:
			os.RemoveAll(workDir)
		}
	}()
	return r.do(ctx)
}

// run is the state of one demo run.
type run struct {
	opts    Options
	out     io.Writer
	workDir string
	tfBin   string

	sim  *simulator
	tf   *terraform
	exp  *exporter
	prom *prometheusServer

	cleanups []func(context.Context) error // run in reverse order
}

func (r *run) step(format string, args ...any) {
	fmt.Fprintf(r.out, "==> "+format+"\n", args...)
}

func (r *run) do(ctx context.Context) error {
	started := time.Now()
	r.step("Starting the Graph simulator (speed %g×: a 40-minute provisioning cycle takes %s)", r.opts.Speed,
		(40 * time.Minute / time.Duration(r.opts.Speed)).Round(100*time.Millisecond))
	sim, err := startSimulator(r.opts.BinDir, r.workDir, r.opts.Speed)
	if err != nil {
		return err
	}
	r.sim = sim
	r.cleanups = append(r.cleanups, func(context.Context) error { return sim.stop() })
	fmt.Fprintf(r.out, "    graph endpoint %s, tenant %s\n", sim.ready.GraphEndpoint, sim.ready.TenantID)
	groups, err := sim.directoryGroups(ctx)
	if err != nil {
		return err
	}
	simStart, err := r.simNow(ctx)
	if err != nil {
		return err
	}

	if err := r.prepareTerraform(groups[0].ID); err != nil {
		return err
	}
	r.step("terraform apply %s (3 apps; group %q assigned to each; &Money gets a wrong token)", demoConfigDir, groups[0].DisplayName)
	r.cleanups = append(r.cleanups, r.destroy)
	applyStart := time.Now()
	if err := r.tf.apply(ctx); err != nil {
		return interrupted(ctx, err)
	}
	applyTook := time.Since(applyStart)
	apps, err := r.tf.apps(ctx)
	if err != nil {
		return interrupted(ctx, err)
	}

	r.step("Starting entra-provisioning-exporter (poll every %s)", exporterPollInterval)
	if r.exp, err = startExporter(r.opts.BinDir, r.workDir, sim.ready); err != nil {
		return err
	}
	r.cleanups = append(r.cleanups, func(context.Context) error { return r.exp.stop() })
	exporterAddr := strings.TrimSuffix(strings.TrimPrefix(r.exp.metricsURL, "http://"), "/metrics")
	shippedRules, err := os.ReadFile(filepath.Join(r.opts.RepoDir, alertRulesFile))
	if err != nil {
		return err
	}
	demoRules, waits, err := scaleAlertRules(shippedRules, r.opts.Speed)
	if err != nil {
		return err
	}
	r.prom, err = startPrometheus(r.opts.Prometheus, r.workDir, exporterAddr, demoRules)
	if err != nil {
		return err
	}
	if r.prom != nil {
		r.step("Starting Prometheus with %s, for: durations divided by the simulator's speed (scrape and rule evaluation every 1s)", alertRulesFile)
		r.cleanups = append(r.cleanups, func(context.Context) error { return r.prom.stop() })
	} else {
		r.step("Prometheus is not installed (or -prometheus=none): alerts are shown from the metrics only (apt-get install prometheus)")
	}

	r.step("Waiting for provisioning cycles: the good apps succeed, the wrong token gets quarantined")
	obs, err := r.waitForOutcome(ctx, apps)
	if err != nil {
		return interrupted(ctx, err)
	}
	obs.ruleWaits, obs.speed = waits, r.opts.Speed
	simEnd, err := r.simNow(ctx)
	if err != nil {
		return err
	}
	obs.applyTook, obs.simElapsed, obs.realElapsed = applyTook, simEnd.Sub(simStart), time.Since(started)
	printSummary(r.out, obs)

	if r.opts.Keep {
		if err := r.explain(); err != nil {
			return err
		}
		<-ctx.Done()
		fmt.Fprintln(r.out, "\nInterrupted: destroying the demo estate and stopping everything.")
		return nil
	}
	return nil
}

// interrupted turns a failure caused by Ctrl-C into ErrInterrupted.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %v", ErrInterrupted, firstLine(err.Error()))
	}
	return err
}

// prepareTerraform writes the CLI configuration and the working copy.
func (r *run) prepareTerraform(groupID string) error {
	cliConfigPath := filepath.Join(r.workDir, "terraformrc")
	if err := os.WriteFile(cliConfigPath, []byte(cliConfig(r.opts.BinDir)), 0o600); err != nil {
		return fmt.Errorf("writing the Terraform CLI configuration: %w", err)
	}
	dir := filepath.Join(r.workDir, "terraform")
	if err := copyConfig(filepath.Join(r.opts.RepoDir, demoConfigDir), dir); err != nil {
		return err
	}
	vars := demoVars(r.sim.ready, cliConfigPath, []string{groupID})
	r.tf = &terraform{
		bin: r.tfBin, dir: dir, logPath: filepath.Join(r.workDir, "terraform.log"),
		vars: vars, env: terraformEnv(os.Environ(), vars),
	}
	return nil
}

// destroy runs terraform destroy and checks that the tenant is empty again.
func (r *run) destroy(ctx context.Context) error {
	if r.tf == nil || !r.tf.hasState() {
		return nil
	}
	r.step("terraform destroy")
	if err := r.tf.destroy(ctx); err != nil {
		return err
	}
	n, err := r.sim.applicationCount(ctx)
	if err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("terraform destroy left %d applications in the simulated tenant", n)
	}
	fmt.Fprintln(r.out, "    the simulated tenant has no applications left")
	return nil
}

// cleanup runs the cleanups in reverse order with a fresh deadline, so
// that it also works after Ctrl-C cancelled the run's context.
func (r *run) cleanup() error {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	var errs []error
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		if err := r.cleanups[i](ctx); err != nil {
			errs = append(errs, err)
		}
	}
	r.cleanups = nil
	if len(errs) == 0 && r.sim != nil {
		r.step("Stopped every process the demo started")
	}
	return errors.Join(errs...)
}

// simNow reads the simulator's clock.
func (r *run) simNow(ctx context.Context) (time.Time, error) {
	var c struct {
		Now time.Time `json:"now"`
	}
	err := r.sim.adminGet(ctx, "/_sim/clock", &c)
	return c.Now, err
}

// explain writes demo.env and tells how to explore the running demo.
func (r *run) explain() error {
	envPath := filepath.Join(r.workDir, "demo.env")
	var b strings.Builder
	b.WriteString("# Source this file to run terraform against the demo's simulator.\n")
	for _, kv := range r.tf.vars {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v))
	}
	if err := os.WriteFile(envPath, []byte(b.String()), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(r.out, "\nEverything keeps running (DEMO_KEEP=1). In another shell:\n")
	fmt.Fprintf(r.out, "  source %s\n      # provider credentials, CLI config and variables (file mode 0600)\n", envPath)
	fmt.Fprintf(r.out, "  terraform -chdir=%s plan\n      # expect \"No changes\"; try editing %s/main.tf\n", r.tf.dir, r.tf.dir)
	fmt.Fprintf(r.out, "  curl -s %s | grep ^entra_provisioning_\n", r.exp.metricsURL)
	if r.prom != nil {
		fmt.Fprintf(r.out, "  open %s/alerts\n      # Prometheus evaluating %s (the demo's time-scaled copy of %s)\n",
			r.prom.url, filepath.Join(r.workDir, demoRulesFile), alertRulesFile)
	}
	fmt.Fprintf(r.out, "  logs: %s\nPress Ctrl-C to destroy the demo estate and stop everything.\n", r.workDir)
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
