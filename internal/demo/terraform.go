package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// demoConfigDir is the Terraform configuration the demo applies.
const demoConfigDir = "examples/demo"

// providerSource is the provider's registry address (fixed).
const providerSource = "entra-provisioning/entra"

// cliConfig is a Terraform CLI configuration that serves the provider from
// binDir through dev_overrides. With dev_overrides and no other providers,
// `terraform init` is neither needed nor wanted: it would try the registry.
func cliConfig(binDir string) string {
	return fmt.Sprintf(`# Written by make demo: use the provider binary built from this repository.
provider_installation {
  dev_overrides {
    %s = %s
  }
  # Any other provider would come from the registry as usual.
  direct {}
}
`, strconv.Quote(providerSource), strconv.Quote(binDir))
}

// terraform runs the terraform CLI in the demo's working copy.
type terraform struct {
	bin     string
	vars    []string // demoVars, also part of env
	dir     string   // working copy of examples/demo
	env     []string // full environment of every run
	logPath string   // every run's output is appended here
}

// wrongToken is the deliberately wrong secret token of the &Money app.
const wrongToken = "not-the-andmoney-token"

// demoTokens are the SCIM secret tokens per app key of examples/demo: the
// simulator's targets accept only "sim-token-{target}".
func demoTokens() map[string]string {
	return map[string]string{
		"apty":              "sim-token-apty",
		"mypolicies":        "sim-token-mypolicies",
		"andmoney_advisors": wrongToken,
	}
}

// demoVars are the variables of every terraform run beyond the caller's
// environment: the provider's credentials and endpoints (as a user's shell
// would set them for a real tenant), the CLI configuration and the demo's
// input variables. Keep mode writes them to demo.env.
func demoVars(r simReady, cliConfigPath string, groupIDs []string) []string {
	tokens, _ := json.Marshal(demoTokens())
	groups, _ := json.Marshal(groupIDs)
	return []string{
		"CHECKPOINT_DISABLE=1",
		"TF_CLI_CONFIG_FILE=" + cliConfigPath,
		"ARM_TENANT_ID=" + r.TenantID,
		"ARM_CLIENT_ID=" + r.ClientID,
		"ARM_CLIENT_SECRET=" + r.ClientSecret,
		"ENTRA_GRAPH_ENDPOINT=" + r.GraphEndpoint,
		"ENTRA_AUTHORITY_HOST=" + r.AuthorityHost,
		"SSL_CERT_FILE=" + r.CAFile,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_VAR_scim_base_url=" + r.GraphEndpoint,
		"TF_VAR_scim_tokens=" + string(tokens),
		"TF_VAR_assigned_group_ids=" + string(groups),
	}
}

// terraformEnv is base without variables that would change how the demo's
// terraform runs behave, plus vars.
func terraformEnv(base, vars []string) []string {
	return append(withoutVars(base, "TF_CLI_CONFIG_FILE", "TF_CLI_ARGS", "TF_WORKSPACE", "TF_DATA_DIR"), vars...)
}

// withoutVars drops variables (and TF_CLI_ARGS_* when TF_CLI_ARGS is named)
// that would change how the demo's terraform runs behave.
func withoutVars(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		key, _, _ := strings.Cut(kv, "=")
		for _, n := range names {
			if key == n || (n == "TF_CLI_ARGS" && strings.HasPrefix(key, "TF_CLI_ARGS_")) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// copyConfig copies the *.tf files of src into dst, so that state and lock
// files land in the work directory, never in the repository.
func copyConfig(src, dst string) error {
	files, err := filepath.Glob(filepath.Join(src, "*.tf"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no *.tf files in %s", src)
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// run executes one terraform command. On cancellation terraform gets an
// interrupt first (it then stops cleanly and saves state), a kill later.
func (t *terraform) run(ctx context.Context, args ...string) ([]byte, error) {
	full := append([]string{"-chdir=" + t.dir}, args...)
	cmd := exec.CommandContext(ctx, t.bin, full...)
	cmd.Env = t.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var out bytes.Buffer
	logFile, err := os.OpenFile(t.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	fmt.Fprintf(logFile, "\n$ terraform %s\n", strings.Join(args, " "))
	cmd.Stdout = io.MultiWriter(&out, logFile)
	cmd.Stderr = io.MultiWriter(&out, logFile)
	if err := cmd.Run(); err != nil {
		return out.Bytes(), fmt.Errorf("terraform %s failed: %w\n%s", args[0], err, lastLines(out.String(), 30))
	}
	return out.Bytes(), nil
}

// apply creates the demo estate.
func (t *terraform) apply(ctx context.Context) error {
	_, err := t.run(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	return err
}

// destroy removes whatever the state file records.
func (t *terraform) destroy(ctx context.Context) error {
	_, err := t.run(ctx, "destroy", "-auto-approve", "-input=false", "-no-color")
	return err
}

// hasState reports whether an apply left a state file to destroy.
func (t *terraform) hasState() bool {
	_, err := os.Stat(filepath.Join(t.dir, "terraform.tfstate"))
	return err == nil
}

// demoApp is one entry of the "apps" output of examples/demo.
type demoApp struct {
	Key                string `json:"-"`
	DisplayName        string `json:"display_name"`
	ServicePrincipalID string `json:"service_principal_id"`
	JobID              string `json:"job_id"`
	TenantURL          string `json:"tenant_url"`
}

// apps reads the "apps" output, sorted by key.
func (t *terraform) apps(ctx context.Context) ([]demoApp, error) {
	out, err := t.run(ctx, "output", "-json", "apps")
	if err != nil {
		return nil, err
	}
	return parseAppsOutput(out)
}

// parseAppsOutput decodes `terraform output -json apps`.
func parseAppsOutput(out []byte) ([]demoApp, error) {
	var m map[string]demoApp
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("decoding `terraform output -json apps`: %w", err)
	}
	apps := make([]demoApp, 0, len(m))
	for key, a := range m {
		if a.ServicePrincipalID == "" || a.JobID == "" {
			return nil, fmt.Errorf("output apps[%q] lacks service_principal_id or job_id", key)
		}
		a.Key = key
		apps = append(apps, a)
	}
	sortApps(apps)
	return apps, nil
}

// lastLines returns up to n last lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
