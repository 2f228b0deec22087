package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Startup is the provider's start-up cost: `terraform providers schema
// -json` with the provider, against the same command in an empty
// configuration (terraform alone), medians over the same runs.
type Startup struct {
	Runs          int
	WithProvider  time.Duration
	TerraformOnly time.Duration
	SchemaBytes   int
}

// MeasureStartup times the schema command in two working directories.
func MeasureStartup(ctx context.Context, bins Bins, workDir string, runs int) (Startup, error) {
	s := Startup{Runs: runs}
	withDir, emptyDir := filepath.Join(workDir, "with-provider"), filepath.Join(workDir, "empty")
	for _, d := range []string{withDir, emptyDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return s, err
		}
	}
	if err := os.WriteFile(filepath.Join(withDir, "main.tf"), []byte(`terraform {
  required_providers {
    entra = { source = "entra-provisioning/entra" }
  }
}
`), 0o600); err != nil {
		return s, err
	}
	cli := filepath.Join(workDir, "cli.tfrc")
	cliText := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"entra-provisioning/entra\" = %s\n  }\n  direct {}\n}\n", strconv.Quote(bins.ProviderDir))
	if err := os.WriteFile(cli, []byte(cliText), 0o600); err != nil {
		return s, err
	}
	env := append(cleanEnv(os.Environ()), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1")
	run := func(dir string) (time.Duration, int, error) {
		cmd := exec.CommandContext(ctx, "terraform", "providers", "schema", "-json")
		cmd.Dir, cmd.Env = dir, env
		start := time.Now()
		out, err := cmd.Output()
		if err != nil {
			return 0, 0, fmt.Errorf("terraform providers schema -json in %s: %w", dir, err)
		}
		return time.Since(start), len(out), nil
	}
	var with, empty []time.Duration
	// One untimed run each warms the page cache with both binaries.
	for i := -1; i < runs; i++ {
		d, size, err := run(withDir)
		if err != nil {
			return s, err
		}
		e, _, err := run(emptyDir)
		if err != nil {
			return s, err
		}
		if i >= 0 {
			with, empty = append(with, d), append(empty, e)
			s.SchemaBytes = size
		}
	}
	s.WithProvider, s.TerraformOnly = median(with), median(empty)
	return s, nil
}
