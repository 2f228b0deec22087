package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// TestAccProvisioningJob_tokenNeverInOutputStateOrLogs drives the real CLI
// through the whole life of a job with TF_LOG=trace: plan, apply, an empty
// re-plan, a token update (secret_token_wo_version bump, which sends the
// token to validateCredentials and to the secrets PUT again) and destroy.
// The token must not appear in anything terraform prints, in the saved plan
// as `terraform show -json` renders it, in the state files, or in the CLI and
// provider trace logs.
func TestAccProvisioningJob_tokenNeverInOutputStateOrLogs(t *testing.T) {
	testAccRequireWriteOnly(t) // the point of this test is a token that never reaches state
	admin := newJobSimAdmin(t)
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", filepath.Join(logDir, "cli.log"))
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logDir, "provider.log"))
	tenantURL, token := testAccSCIMTarget("job-leak-cli")
	spID := instantiateCustomApp(t, "acc job token leak cli")

	cli := newTestCLI(t, testAccJobTerraformBlock+fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "token_version" {
  type    = number
  default = 1
}
resource "entra_provisioning_job" "leak" {
  service_principal_id    = %q
  tenant_url              = %q
  secret_token_wo         = var.token
  secret_token_wo_version = var.token_version
  notification_email      = "iam-alerts@example.com"
  object_mappings = {
    User = { attribute_mappings = { "userName" = { source = "userPrincipalName", matching_priority = 1 } } }
  }
}
`, spID, tenantURL))
	// The token reaches terraform as a user would pass a secret, through the
	// environment: terraform's own trace log records its command line.
	t.Setenv("TF_VAR_token", token)
	var printed []string
	run := func(args ...string) int {
		_, code := cli.run(args...)
		printed = append(printed, fmt.Sprintf("terraform %s:\n%s", args[0], cli.lastOutput))
		return code
	}

	cli.run("init", "-input=false", "-no-color")
	run("plan", "-input=false", "-out=create.tfplan")
	show := exec.Command(testAccTerraformPath(), "show", "-json", "create.tfplan")
	show.Dir = cli.dir
	show.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+cli.reattach)
	planJSON, err := show.CombinedOutput()
	if err != nil {
		t.Fatalf("terraform show -json: %v\n%s", err, planJSON)
	}
	printed = append(printed, "terraform show -json create.tfplan:\n"+string(planJSON))
	cli.run("apply", "-input=false", "create.tfplan")
	printed = append(printed, "terraform apply create.tfplan:\n"+cli.lastOutput)
	if code := run("plan", "-input=false", "-detailed-exitcode"); code != 0 {
		t.Errorf("the plan right after apply is not empty (exit %d)", code)
	}
	run("apply", "-auto-approve", "-input=false", "-var", "token_version=2")
	if got := admin.realSecrets(t, spID); got[entra.SecretKeySecretToken] != token {
		t.Fatalf("the job does not hold the token after apply; the test would prove nothing (keys %v)", keysOf(got))
	}
	run("destroy", "-auto-approve", "-input=false", "-var", "token_version=2")

	for _, out := range printed {
		if strings.Contains(out, token) {
			t.Errorf("the token appears in terraform's output:\n%s", out)
		}
	}
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		data, err := os.ReadFile(filepath.Join(cli.dir, name))
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		if strings.Contains(string(data), token) {
			t.Errorf("the token appears in %s", name)
		}
	}
	// The backup holds the state before destroy: the job with its settings.
	if backup, _ := os.ReadFile(filepath.Join(cli.dir, "terraform.tfstate.backup")); !strings.Contains(string(backup), tenantURL) {
		t.Errorf("terraform.tfstate.backup does not hold the job's state; the state check would prove nothing")
	}
	for _, name := range []string{"cli.log", "provider.log"} {
		if info, err := os.Stat(filepath.Join(logDir, name)); err != nil || info.Size() == 0 {
			t.Errorf("the %s trace log was not written (%v); the log check would prove nothing", name, err)
		}
	}
	assertLogsClean(t, logDir, token)
}
