package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// minTerraform is the oldest terraform CLI examples/demo works with: it
// passes the SCIM tokens through write-only arguments (secret_token_wo) and
// ephemeral variables, both new in Terraform 1.11.
var minTerraform = [2]int{1, 11}

// checkTerraformVersion fails early, with what to do, when the terraform CLI
// is too old for examples/demo (it would otherwise fail mid-apply with a
// syntax error about unknown arguments).
func checkTerraformVersion(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, bin, "version", "-json")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("running `%s version -json`: %w", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		return fmt.Errorf("`%s version -json` did not report a terraform_version (is it the terraform CLI?)", bin)
	}
	ok, err := atLeast(v.Version, minTerraform)
	if err != nil {
		return fmt.Errorf("terraform version %q: %w", v.Version, err)
	}
	if !ok {
		return fmt.Errorf("terraform %s is too old for %s, which uses write-only arguments and ephemeral variables: "+
			"install Terraform %d.%d or newer and re-run make demo", v.Version, demoConfigDir, minTerraform[0], minTerraform[1])
	}
	return nil
}

// atLeast compares the major.minor of a version such as "1.11.4" or
// "1.12.0-beta1" with min.
func atLeast(version string, min [2]int) (bool, error) {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false, fmt.Errorf("not of the form major.minor.patch")
	}
	var got [2]int
	for i := range got {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			return false, fmt.Errorf("not of the form major.minor.patch")
		}
		got[i] = n
	}
	return got[0] > min[0] || (got[0] == min[0] && got[1] >= min[1]), nil
}
