package provider

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The acceptance tests run on whichever CLI TF_ACC_TERRAFORM_PATH names
// (terraform on PATH otherwise): terraform-plugin-testing honours that
// variable, and the tests that run the CLI themselves (testCLI) use
// testAccTerraformPath too. tools/cli-matrix.sh sets it for each entry of the
// CLI matrix (Terraform 1.11, OpenTofu, Terraform 1.5.7, Terraform >= 1.14).

// testAccCLIInfo is the CLI the acceptance tests drive.
type testAccCLIInfo struct {
	Path         string
	OpenTofu     bool
	Major, Minor int
	// Version is what `version` printed first, e.g. "OpenTofu v1.12.6".
	Version string
}

// AtLeast reports whether the CLI is major.minor or newer.
func (c testAccCLIInfo) AtLeast(major, minor int) bool {
	return c.Major > major || (c.Major == major && c.Minor >= minor)
}

// SupportsWriteOnly reports whether the CLI sends write-only attributes
// (Terraform and OpenTofu 1.11 and later): older ones cannot use secret_token_wo.
func (c testAccCLIInfo) SupportsWriteOnly() bool { return c.AtLeast(1, 11) }

// RegistryHost is the host an unqualified provider source resolves to:
// "entra-provisioning/entra" is registry.opentofu.org/… under OpenTofu.
func (c testAccCLIInfo) RegistryHost() string {
	if c.OpenTofu {
		return "registry.opentofu.org"
	}
	return "registry.terraform.io"
}

// testAccTerraformPath is the CLI binary: TF_ACC_TERRAFORM_PATH or terraform.
func testAccTerraformPath() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

var cliVersionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.\S*`)

// parseCLIVersion finds the version line of `terraform version` / `tofu
// version` (CLI-configuration warnings may come first).
func parseCLIVersion(out string) (testAccCLIInfo, error) {
	var m []string
	for _, line := range strings.Split(out, "\n") {
		if m = cliVersionLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			break
		}
	}
	if m == nil {
		return testAccCLIInfo{}, fmt.Errorf("unrecognised version output %q (want a line \"Terraform vX.Y.Z\" or \"OpenTofu vX.Y.Z\")", out)
	}
	major, _ := strconv.Atoi(m[2])
	minor, _ := strconv.Atoi(m[3])
	return testAccCLIInfo{OpenTofu: m[1] == "OpenTofu", Major: major, Minor: minor, Version: m[0]}, nil
}

// testAccCLI asks the CLI for its version once per test binary.
var testAccCLI = sync.OnceValues(func() (testAccCLIInfo, error) {
	path := testAccTerraformPath()
	out, err := exec.Command(path, "version").Output()
	if err != nil {
		return testAccCLIInfo{Path: path}, fmt.Errorf("%s version: %w (set TF_ACC_TERRAFORM_PATH to a terraform or tofu binary)", path, err)
	}
	info, err := parseCLIVersion(string(out))
	info.Path = path
	return info, err
})

// testAccCLIOrFail is testAccCLI for a test that cannot go on without it.
func testAccCLIOrFail(t *testing.T) testAccCLIInfo {
	t.Helper()
	info, err := testAccCLI()
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// testAccRequireWriteOnly skips a test whose configuration uses
// secret_token_wo on a CLI that cannot send write-only values; the
// secret_token path those CLIs use is TestAccProvisioningJob_secretTokenOnAnyCLI.
func testAccRequireWriteOnly(t *testing.T) {
	t.Helper()
	if cli := testAccCLIOrFail(t); !cli.SupportsWriteOnly() {
		t.Skipf("%s cannot send write-only attributes (secret_token_wo needs Terraform or OpenTofu 1.11+); "+
			"the secret_token path is tested by TestAccProvisioningJob_secretTokenOnAnyCLI", cli.Version)
	}
}

// legacySecretTokenConfig rewrites a configuration that uses secret_token_wo
// into the secret_token form users of CLIs before 1.11 write (the docs'
// "CLI compatibility" guide shows the same change), so the seed examples run
// on every CLI of the matrix.
func legacySecretTokenConfig(config string) string {
	var out []string
	for _, line := range strings.Split(config, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "secret_token_wo_version"), strings.HasPrefix(trimmed, "required_version"),
			strings.HasPrefix(trimmed, "ephemeral"): // ephemeral variables are Terraform 1.10+
			continue
		case strings.HasPrefix(trimmed, "secret_token_wo "), strings.HasPrefix(trimmed, "secret_token_wo="):
			line = strings.Replace(line, "secret_token_wo", "secret_token   ", 1)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// testAccCLIConfig is config as users of the CLI under test write it: the
// secret_token form on CLIs that cannot send write-only values.
func testAccCLIConfig(config string) string {
	if cli, err := testAccCLI(); err == nil && !cli.SupportsWriteOnly() {
		return legacySecretTokenConfig(config)
	}
	return config
}
