package demo

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCLIConfigOverridesOnlyThisProvider(t *testing.T) {
	cfg := cliConfig(`/opt/my "repo"/bin`)
	for _, want := range []string{
		"dev_overrides {",
		`"entra-provisioning/entra" = "/opt/my \"repo\"/bin"`, // quoted for HCL
		"direct {}",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("CLI configuration lacks %q:\n%s", want, cfg)
		}
	}
}

func TestTerraformEnvDropsVariablesThatChangeRuns(t *testing.T) {
	base := []string{"PATH=/usr/bin", "TF_CLI_ARGS=-no-color", "TF_CLI_ARGS_apply=-parallelism=1", "TF_CLI_CONFIG_FILE=/home/me/.terraformrc", "TF_WORKSPACE=prod", "HOME=/root"}
	vars := demoVars(simReady{GraphEndpoint: "https://127.0.0.1:1", AuthorityHost: "https://127.0.0.1:1/", TenantID: "t", ClientID: "c", ClientSecret: "s", CAFile: "/ca.pem"}, "/w/terraformrc", []string{"g1"})
	env := terraformEnv(base, vars)
	for _, gone := range []string{"TF_CLI_ARGS=", "TF_CLI_ARGS_apply=", "TF_CLI_CONFIG_FILE=/home/me/.terraformrc", "TF_WORKSPACE="} {
		if slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, gone) }) {
			t.Errorf("environment still has %s", gone)
		}
	}
	for _, want := range []string{"PATH=/usr/bin", "HOME=/root", "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/w/terraformrc",
		"ARM_CLIENT_SECRET=s", "SSL_CERT_FILE=/ca.pem", "ENTRA_GRAPH_ENDPOINT=https://127.0.0.1:1", `TF_VAR_assigned_group_ids=["g1"]`} {
		if !slices.Contains(env, want) {
			t.Errorf("environment lacks %s", want)
		}
	}
	// The wrong token is what makes the demo's alert fire; the others must be right.
	if !slices.Contains(env, `TF_VAR_scim_tokens={"andmoney_advisors":"`+wrongToken+`","apty":"sim-token-apty","mypolicies":"sim-token-mypolicies"}`) {
		t.Errorf("unexpected tokens in %v", env)
	}
}

func TestCopyConfigCopiesOnlyTerraformFiles(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "work")
	for name, body := range map[string]string{"main.tf": "# main", "outputs.tf": "# out", "terraform.tfstate": "{}", "notes.md": "x"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyConfig(src, dst); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dst)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, []string{"main.tf", "outputs.tf"}) {
		t.Fatalf("copied %v, want only the .tf files", got)
	}
	if err := copyConfig(t.TempDir(), dst); err == nil {
		t.Fatal("copying an empty directory should fail")
	}
}

func TestParseAppsOutput(t *testing.T) {
	apps, err := parseAppsOutput([]byte(`{
	  "mypolicies": {"display_name":"myPolicies (demo)","service_principal_id":"sp2","job_id":"mypolicies.x.y","tenant_url":"https://127.0.0.1:1/_sim/scim/mypolicies/"},
	  "apty": {"display_name":"Apty (demo)","service_principal_id":"sp1","job_id":"scim.x.y","tenant_url":"https://127.0.0.1:1/_sim/scim/apty/"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || apps[0].Key != "apty" || apps[1].ServicePrincipalID != "sp2" {
		t.Fatalf("apps = %+v, want apty then mypolicies", apps)
	}
	if _, err := parseAppsOutput([]byte(`{"x":{"display_name":"X"}}`)); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Fatalf("app without ids: error = %v", err)
	}
}
