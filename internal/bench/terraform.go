package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Workspace is a Terraform working directory holding configHCL (or the big
// job's bigJobHCL), run against one simulator with the provider binary
// served through dev_overrides.
type Workspace struct {
	Dir     string
	env     []string
	logDir  string
	runs    int
	Timeout time.Duration // per terraform command
}

// NewWorkspace writes the configuration and a CLI configuration into dir.
// extraEnv (e.g. TF_LOG) is added to every terraform run.
func NewWorkspace(dir, providerDir string, sim *Sim, n int, groupID string, extraEnv ...string) (*Workspace, error) {
	return newWorkspace(dir, configHCL, providerDir, sim, n, groupID, extraEnv...)
}

// newWorkspace is NewWorkspace with another root module; variables it does
// not declare are ignored by terraform (they arrive as TF_VAR_ variables).
func newWorkspace(dir, hcl, providerDir string, sim *Sim, n int, groupID string, extraEnv ...string) (*Workspace, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		return nil, err
	}
	cli := filepath.Join(dir, "cli.tfrc")
	cliText := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"entra-provisioning/entra\" = %s\n  }\n  direct {}\n}\n", strconv.Quote(providerDir))
	if err := os.WriteFile(cli, []byte(cliText), 0o600); err != nil {
		return nil, err
	}
	r := sim.Ready
	env := append(cleanEnv(os.Environ()),
		"CHECKPOINT_DISABLE=1",
		"TF_CLI_CONFIG_FILE="+cli,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"ARM_TENANT_ID="+r.TenantID,
		"ARM_CLIENT_ID="+r.ClientID,
		"ARM_CLIENT_SECRET="+r.ClientSecret,
		"ENTRA_GRAPH_ENDPOINT="+r.GraphEndpoint,
		"ENTRA_AUTHORITY_HOST="+r.AuthorityHost,
		"SSL_CERT_FILE="+r.CAFile,
		"TF_VAR_n="+strconv.Itoa(n),
		"TF_VAR_prefix=bench app",
		"TF_VAR_scim_base_url="+r.GraphEndpoint,
		"TF_VAR_group_id="+groupID,
		"TF_VAR_scim_token="+scimToken,
	)
	env = append(env, extraEnv...)
	return &Workspace{Dir: dir, env: env, logDir: dir, Timeout: 30 * time.Minute}, nil
}

// cleanEnv drops variables from the caller's shell that would change how
// terraform or the provider behave (another tenant's credentials, CLI args).
func cleanEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		key, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(key, "ARM_"), strings.HasPrefix(key, "AZURE_"), strings.HasPrefix(key, "ENTRA_"),
			strings.HasPrefix(key, "TF_"), key == "SSL_CERT_FILE", key == "SSL_CERT_DIR":
			continue
		}
		out = append(out, kv)
	}
	return out
}

// Result is one terraform command's outcome.
type Result struct {
	Elapsed  time.Duration
	ExitCode int
	Output   string // stdout and stderr
	LogPath  string // where Output was saved
}

// Run runs `terraform args...` and saves its output under the workspace.
// A non-zero exit is reported in Result, not as an error, because
// `plan -detailed-exitcode` uses exit code 2 for "changes present".
func (w *Workspace) Run(ctx context.Context, args ...string) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "terraform", append([]string{args[0], "-no-color"}, args[1:]...)...)
	cmd.Dir = w.Dir
	cmd.Env = w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	res := Result{Elapsed: time.Since(start), Output: out.String()}
	w.runs++
	res.LogPath = filepath.Join(w.logDir, fmt.Sprintf("terraform-%02d-%s.log", w.runs, args[0]))
	_ = os.WriteFile(res.LogPath, out.Bytes(), 0o600)
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ctx.Err() == nil {
			res.ExitCode = ee.ExitCode()
			return res, nil
		}
		return res, fmt.Errorf("terraform %s: %w (output in %s)", strings.Join(args, " "), err, res.LogPath)
	}
	return res, nil
}

// Apply runs `terraform apply` and fails with the output's tail when it fails.
func (w *Workspace) Apply(ctx context.Context) (Result, error) {
	return w.mustSucceed(ctx, "apply", "-auto-approve", "-parallelism=10")
}

// Destroy runs `terraform destroy`.
func (w *Workspace) Destroy(ctx context.Context) (Result, error) {
	return w.mustSucceed(ctx, "destroy", "-auto-approve", "-parallelism=10")
}

// Replan runs `terraform plan -detailed-exitcode` and fails unless the plan
// is empty (exit 0): a re-plan after apply must show no drift.
func (w *Workspace) Replan(ctx context.Context) (Result, error) {
	res, err := w.Run(ctx, "plan", "-detailed-exitcode", "-parallelism=10")
	if err != nil {
		return res, err
	}
	if res.ExitCode != 0 {
		return res, fmt.Errorf("re-plan after apply was not empty (exit %d); output in %s:\n%s", res.ExitCode, res.LogPath, res.Output)
	}
	return res, nil
}

func (w *Workspace) mustSucceed(ctx context.Context, args ...string) (Result, error) {
	res, err := w.Run(ctx, args...)
	if err == nil && res.ExitCode != 0 {
		err = fmt.Errorf("terraform %s failed (exit %d); output in %s:\n%s", args[0], res.ExitCode, res.LogPath, lastLines(res.Output, 25))
	}
	return res, err
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
