// Command bench measures the provider and the exporter against the local
// Graph simulator and writes docs/performance.md (`bench`) or
// docs/reliability.md (`soak`). `make bench` and `make soak` run it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/bench"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "bench" && args[0] != "soak") {
		fmt.Fprintln(stderr, "usage: bench bench|soak [flags]   (run `bench bench -h` or `bench soak -h` for the flags)")
		return 2
	}
	mode := args[0]
	fs := flag.NewFlagSet(mode, flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "repository root (the binaries are built from it)")
	work := fs.String("work", "", "work `directory` for simulators, terraform working copies and logs (default: a new temporary directory, removed unless -keep)")
	keep := fs.Bool("keep", false, "keep the work directory (logs, state, terraform output) for inspection")
	out := fs.String("out", "", "document to write (default docs/performance.md or docs/reliability.md under -root)")
	// bench
	sizes := fs.String("sizes", "1,10,30,100", "bench: configurations per lifecycle, comma-separated; the largest is the headline")
	runs := fs.Int("runs", 3, "bench: repetitions of each lifecycle (wall times are medians)")
	latency := fs.Duration("latency", 20*time.Millisecond, "bench: simulator latency added to every Graph request")
	startupRuns := fs.Int("startup-runs", 7, "bench: runs of `terraform providers schema -json`")
	exporterJobs := fs.String("exporter-jobs", "1000,10000", "bench: exporter sizes in jobs, comma-separated (empty: skip)")
	scrapes := fs.Int("scrapes", 100, "bench: timed /metrics scrapes per exporter size")
	goBench := fs.Bool("go-bench", true, "bench: run the per-package Go benchmarks")
	// soak
	n := fs.Int("n", 10, "soak: configurations per fault case")
	growth := fs.String("growth", "3,25", "soak: extra sizes for the throttling growth rows, comma-separated")
	outage := fs.Duration("outage", 5*time.Minute, "soak: length of the exporter's Graph outage (real time)")
	outagePoll := fs.Duration("outage-poll", 10*time.Second, "soak: exporter poll interval in the outage test")
	outageJobs := fs.Int("outage-jobs", 20, "soak: jobs in the outage test")
	leakN := fs.Int("leak-n", 2, "soak: configurations in the TF_LOG=trace leak-scan run")
	attemptsFlag := fs.Int("attempts", 3, "soak: applies (and destroys) to run before a case counts as not converged, as an operator re-runs a failed apply")
	seed := fs.Uint64("seed", 1, "soak: simulator seed; fault draws repeat for the same seed")
	cases := fs.String("cases", "", "soak: only fault cases whose name contains one of these comma-separated words (default: all)")
	if err := fs.Parse(args[1:]); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	absRoot, err := filepath.Abs(*root)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *out == "" {
		*out = filepath.Join(absRoot, "docs", map[string]string{"bench": "performance.md", "soak": "reliability.md"}[mode])
	}
	workDir := *work
	if workDir == "" {
		if workDir, err = os.MkdirTemp("", "entra-"+mode+"-"); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if !*keep {
			defer os.RemoveAll(workDir)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	progress := func(s string) { fmt.Fprintf(stderr, "%s %s\n", time.Now().Format("15:04:05"), s) }
	command := "go run ./internal/bench/cmd/bench " + strings.Join(args, " ")
	machine := bench.DescribeMachine(command)

	progress("building the provider, the simulator and the exporter")
	bins, err := bench.BuildBinaries(ctx, absRoot, filepath.Join(workDir, "bin"))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	var doc, summary string
	switch mode {
	case "bench":
		o := bench.BenchOptions{Runs: *runs, Latency: latency.String(), StartupRuns: *startupRuns, Scrapes: *scrapes, RepoRoot: absRoot}
		if o.Sizes, err = ints(*sizes); err != nil || len(o.Sizes) == 0 {
			fmt.Fprintf(stderr, "-sizes %q: want comma-separated positive integers\n", *sizes)
			return 2
		}
		if o.ExporterJobs, err = ints(*exporterJobs); err != nil {
			fmt.Fprintf(stderr, "-exporter-jobs %q: want comma-separated positive integers\n", *exporterJobs)
			return 2
		}
		if *goBench {
			o.GoBenchmarks = bench.DefaultGoBenchmarks()
		}
		res := bench.RunBench(ctx, bins, workDir, o, progress)
		doc, summary = bench.RenderPerformance(machine, res), bench.SummaryTable(res)
	case "soak":
		o := bench.SoakOptions{N: *n, Outage: *outage, OutagePoll: *outagePoll, OutageJobs: *outageJobs, LeakN: *leakN, MaxAttempts: *attemptsFlag, Seed: *seed}
		if o.GrowthSizes, err = ints(*growth); err != nil {
			fmt.Fprintf(stderr, "-growth %q: want comma-separated positive integers\n", *growth)
			return 2
		}
		o.Cases = selectCases(*cases)
		res := bench.RunSoak(ctx, bins, workDir, o, progress)
		doc, summary = bench.RenderReliability(machine, res), bench.ReliabilitySummary(res)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "interrupted: no document written")
		return 130
	}
	if err := os.WriteFile(*out, []byte(doc), 0o644); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprint(stdout, summary)
	fmt.Fprintf(stdout, "\nwritten: %s", *out)
	if *keep || *work != "" {
		fmt.Fprintf(stdout, " (work directory: %s)", workDir)
	}
	fmt.Fprintln(stdout)
	return 0
}

// selectCases filters the default fault matrix by name words. The
// fault-free baseline is always kept: retries are counted against it.
func selectCases(words string) []bench.FaultCase {
	all := bench.DefaultFaultMatrix()
	if words == "" {
		return all
	}
	var out []bench.FaultCase
	for _, c := range all {
		if c.Spec == "" && c.Spike == nil {
			out = append(out, c)
			continue
		}
		for _, w := range strings.Split(words, ",") {
			if w = strings.TrimSpace(w); w != "" && strings.Contains(c.Name, w) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// ints parses "10,30,100".
func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.Atoi(f)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, v)
	}
	return out, nil
}
