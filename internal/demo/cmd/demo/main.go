// Command demo runs `make demo`: the provider, the exporter and Prometheus
// against the local Graph simulator, then cleans up. See internal/demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/demo"
)

func main() {
	opts := demo.Options{Keep: os.Getenv("DEMO_KEEP") != "" && os.Getenv("DEMO_KEEP") != "0"}
	flag.StringVar(&opts.RepoDir, "repo", ".", "repository root (holds examples/demo and exporter/alerts)")
	flag.StringVar(&opts.BinDir, "bin-dir", "bin", "directory with terraform-provider-entra, entra-provisioning-exporter and graphsim (make build)")
	flag.StringVar(&opts.WorkDir, "work-dir", os.Getenv("DEMO_DIR"), "directory for logs and Terraform state (default: a temporary directory, removed after success)")
	flag.BoolVar(&opts.Keep, "keep", opts.Keep, "keep everything running after the summary until Ctrl-C (also DEMO_KEEP=1)")
	flag.Float64Var(&opts.Speed, "speed", 600, "simulator speed: simulated seconds per real second")
	flag.StringVar(&opts.Prometheus, "prometheus", "prometheus", "Prometheus executable for evaluating the alert rules; \"none\" skips it")
	flag.DurationVar(&opts.Timeout, "timeout", 90*time.Second, "how long to wait for the provisioning cycles to show the expected outcome")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := demo.Run(ctx, opts, os.Stdout)
	switch {
	case errors.Is(err, demo.ErrInterrupted):
		fmt.Fprintln(os.Stderr, "demo:", err, "(cleaned up)")
		os.Exit(130)
	case err != nil:
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}
