package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Options configure one demo run.
type Options struct {
	// RepoDir is the repository root (holds examples/demo and exporter/alerts).
	RepoDir string
	// BinDir holds terraform-provider-entra, entra-provisioning-exporter and
	// graphsim, as built by `make build`.
	BinDir string
	// WorkDir receives logs, the Terraform working copy and state; empty
	// means a new temporary directory, removed after a successful run.
	WorkDir string
	// Keep leaves everything running after the summary until interrupted.
	Keep bool
	// Speed is the simulator's clock speed (simulated seconds per second).
	Speed float64
	// Timeout bounds the wait for the provisioning cycles to show up.
	Timeout time.Duration
	// Terraform and Prometheus are the executables to use; empty means
	// "terraform" and "prometheus" from PATH (Prometheus is optional).
	Terraform, Prometheus string
}

// Binary names inside BinDir.
const (
	providerBinary  = "terraform-provider-entra"
	exporterBinary  = "entra-provisioning-exporter"
	simulatorBinary = "graphsim"
)

// withDefaults fills the zero values and checks that everything the run
// needs is where it should be, so a missing build fails before anything starts.
func (o Options) withDefaults() (Options, error) {
	if o.RepoDir == "" {
		o.RepoDir = "."
	}
	if o.BinDir == "" {
		o.BinDir = filepath.Join(o.RepoDir, "bin")
	}
	if o.Speed == 0 {
		o.Speed = 600
	}
	if o.Timeout == 0 {
		o.Timeout = 90 * time.Second
	}
	if o.Terraform == "" {
		o.Terraform = "terraform"
	}
	if o.Prometheus == "" {
		o.Prometheus = "prometheus"
	}
	var err error
	if o.RepoDir, err = filepath.Abs(o.RepoDir); err != nil {
		return o, err
	}
	if o.BinDir, err = filepath.Abs(o.BinDir); err != nil {
		return o, err
	}
	var problems []error
	for _, name := range []string{providerBinary, exporterBinary, simulatorBinary} {
		if _, err := os.Stat(filepath.Join(o.BinDir, name)); err != nil {
			problems = append(problems, fmt.Errorf("%s is missing from %s: run `make build` first", name, o.BinDir))
		}
	}
	for _, rel := range []string{demoConfigDir, alertRulesFile} {
		if _, err := os.Stat(filepath.Join(o.RepoDir, rel)); err != nil {
			problems = append(problems, fmt.Errorf("%s not found under %s: run the demo from the repository root", rel, o.RepoDir))
		}
	}
	return o, errors.Join(problems...)
}
