package demo

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// envAzureADProviderDir names a directory holding a terraform-provider-azuread
// binary (built from hashicorp/terraform-provider-azuread); CI has none.
const envAzureADProviderDir = "ENTRA_TEST_AZUREAD_PROVIDER_DIR"

// guideConfiguration returns the first terraform block of the guide's
// "## Mixed" section: the test applies the page itself, not a copy of it.
func guideConfiguration(t *testing.T, repo string) string {
	t.Helper()
	page, err := os.ReadFile(filepath.Join(repo, "docs", "guides", "azuread-provider.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, mixed, ok := strings.Cut(string(page), "\n## Mixed")
	if !ok {
		t.Fatal(`docs/guides/azuread-provider.md has no "## Mixed" section`)
	}
	_, block, ok := strings.Cut(mixed, "```terraform\n")
	if !ok {
		t.Fatal("the guide's Mixed section has no terraform block")
	}
	block, _, ok = strings.Cut(block, "```")
	if !ok {
		t.Fatal("the guide's terraform block is not closed")
	}
	return block
}

// TestAzureADGuideMixedConfiguration applies docs/guides/azuread-provider.md's
// mixed configuration (hashicorp/azuread creates the gallery app, job and
// secret; entra manages the schema) against graphsim, checks what Graph
// holds, that a second plan is empty, and destroys it.
func TestAzureADGuideMixedConfiguration(t *testing.T) {
	azureadDir := os.Getenv(envAzureADProviderDir)
	if azureadDir == "" {
		t.Skipf("set %s to a directory holding terraform-provider-azuread (go build in a checkout of hashicorp/terraform-provider-azuread) to apply the AzureAD guide's mixed configuration on graphsim", envAzureADProviderDir)
	}
	if _, err := os.Stat(filepath.Join(azureadDir, "terraform-provider-azuread")); err != nil {
		t.Fatalf("%s=%s: %v", envAzureADProviderDir, azureadDir, err)
	}
	tfBin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("the terraform CLI is not on PATH (make test checks for it)")
	}
	repo, bin := buildDemoBinaries(t)

	env := simtest.Start(t, graphsim.Options{Users: 6, Groups: 2})
	r := env.Ready
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(guideConfiguration(t, repo)), 0o600); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(cliConfig, []byte(`provider_installation {
  dev_overrides {
    "entra-provisioning/entra" = `+strconv.Quote(bin)+`
    "hashicorp/azuread"        = `+strconv.Quote(azureadDir)+`
  }
  direct {}
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	tfEnv := append(withoutVars(os.Environ(), "TF_CLI_ARGS", "TF_WORKSPACE", "TF_DATA_DIR", "TF_LOG"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_CLI_CONFIG_FILE="+cliConfig,
		"ARM_TENANT_ID="+r.TenantID, "ARM_CLIENT_ID="+r.ClientID, "ARM_CLIENT_SECRET="+r.ClientSecret,
		"ARM_METADATA_HOSTNAME="+strings.TrimPrefix(r.GraphEndpoint, "https://"),
		"ENTRA_GRAPH_ENDPOINT="+r.GraphEndpoint, "ENTRA_AUTHORITY_HOST="+r.AuthorityHost, "SSL_CERT_FILE="+r.CAFile,
		"TF_VAR_mypolicies_token=sim-token-guide", "TF_VAR_scim_base_address="+r.GraphEndpoint+"/_sim/scim/guide/",
	)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	tf := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, tfBin, args...)
		cmd.Dir, cmd.Env = dir, tfEnv
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	destroyed := false
	t.Cleanup(func() {
		if !destroyed {
			_, _ = tf("destroy", "-auto-approve", "-no-color")
		}
	})

	if out, err := tf("apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatalf("terraform apply of the guide's configuration: %v\n%s", err, lastLines(out, 60))
	}

	// What Graph holds: azuread's gallery app, job and secret; entra's schema.
	_, body := env.Graph(t, "GET", "/servicePrincipals?$filter="+url.QueryEscape("displayName eq 'myPolicies'"), nil)
	var sps struct{ Value []struct{ ID string } }
	if err := json.Unmarshal(body, &sps); err != nil || len(sps.Value) != 1 {
		t.Fatalf("service principal of the gallery app: %v %s", err, body)
	}
	sp := sps.Value[0].ID
	_, body = env.Graph(t, "GET", "/servicePrincipals/"+sp+"/synchronization/jobs", nil)
	var jobs struct {
		Value []struct{ ID, TemplateID string }
	}
	if err := json.Unmarshal(body, &jobs); err != nil || len(jobs.Value) != 1 || jobs.Value[0].TemplateID != "mypolicies" {
		t.Fatalf("the job azuread_synchronization_job created: %v %s", err, body)
	}
	status, body := env.Graph(t, "GET", "/servicePrincipals/"+sp+"/synchronization/jobs/"+jobs.Value[0].ID+"/schema", nil)
	if status != 200 || !strings.Contains(string(body), `"targetAttributeName":"externalId"`) || !strings.Contains(string(body), `"mailNickname"`) {
		t.Fatalf("entra_provisioning_schema's externalId ← mailNickname mapping is not in the job's schema: %d %s", status, lastLines(string(body), 5))
	}
	status, body, err = env.Do("", "GET", r.AdminEndpoint+"/secrets/"+sp, nil)
	if err != nil || status != 200 || !strings.Contains(string(body), "sim-token-guide") || !strings.Contains(string(body), "/_sim/scim/guide/") {
		t.Fatalf("the secrets azuread_synchronization_secret stored: %d %v %s", status, err, body)
	}

	// Both providers agree with what they wrote: no drift.
	if out, err := tf("plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Fatalf("second plan is not empty (exit 2 = changes): %v\n%s", err, lastLines(out, 60))
	}
	if out, err := tf("destroy", "-auto-approve", "-no-color"); err != nil {
		t.Fatalf("terraform destroy: %v\n%s", err, lastLines(out, 60))
	}
	destroyed = true
	if status, _ := env.Graph(t, "GET", "/servicePrincipals/"+sp, nil); status != 404 {
		t.Fatalf("the service principal is still live after destroy: %d", status)
	}
}
