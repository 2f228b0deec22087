package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// End-to-end tests of `terraform query` and actions. They need Terraform
// 1.14 or later, which CI does not have (the image's is 1.11.4): give one
// with TF_ACC_TERRAFORM_PATH, or `make test-query TF_QUERY_TERRAFORM=…`.
// The protocol-level tests (TestListResources_protocol, TestActions_protocol)
// run on every commit.

// testAccRequireQueryCLI skips unless the CLI has terraform query and actions.
func testAccRequireQueryCLI(t *testing.T) {
	t.Helper()
	testAccPreCheck(t)
	cli := testAccCLIOrFail(t)
	if cli.OpenTofu || !cli.AtLeast(1, 14) {
		t.Skipf("%s has no `terraform query` or actions (Terraform 1.14+): run `make test-query TF_QUERY_TERRAFORM=/path/to/terraform-1.14+` "+
			"(list resources and actions are tested at protocol level by TestListResources_protocol and TestActions_protocol)", cli.Version)
	}
}

// portalDo is one Graph call as the portal makes it, retried while a new
// object replicates (404/409 for a few seconds, as in Entra).
func portalDo(t *testing.T, method, path string, body, out any) {
	t.Helper()
	var err error
	for range 30 {
		if err = testAccPortal(t).Do(t.Context(), method, path, body, out); err == nil {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatalf("portal %s %s: %v", method, path, err)
}

// portalConfiguredApp sets up an application as an administrator does in the
// portal: a job with credentials and settings, edited mappings, started, and
// one user assigned. It returns the service principal and job ids.
func portalConfiguredApp(t *testing.T, name string) (spID, jobID string) {
	t.Helper()
	spID = instantiateCustomApp(t, name)
	var job struct {
		ID string `json:"id"`
	}
	portalDo(t, http.MethodPost, "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "scim"}, &job)
	jobPath := "/servicePrincipals/" + spID + "/synchronization/jobs/" + job.ID
	tenantURL, token := testAccSCIMTarget("query-" + spID[:8])
	portalDo(t, http.MethodPut, "/servicePrincipals/"+spID+"/synchronization/secrets", map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": tenantURL},
		{"key": "SecretToken", "value": token},
		{"key": "SyncNotificationSettings", "value": `{"Enabled":true,"Recipients":"admin@example.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":25}`},
	}}, nil)
	var raw json.RawMessage
	portalDo(t, http.MethodGet, jobPath+"/schema", nil, &raw)
	current, err := syncschema.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	disabled := false
	next, err := syncschema.Apply(current, syncschema.Overlay{ObjectMappings: map[string]syncschema.ObjectMapping{
		"User": {AttributeMappings: map[string]syncschema.AttributeMapping{
			"userName":    {Source: "userPrincipalName", MatchingPriority: 1},
			"active":      {Expression: `Switch([IsSoftDeleted], , "False", "True", "True", "False")`},
			"displayName": {Source: "displayName"},
		}},
		"Group": {Enabled: &disabled},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := next.MarshalJSON()
	portalDo(t, http.MethodPut, jobPath+"/schema", json.RawMessage(body), nil)
	portalDo(t, http.MethodPost, jobPath+"/start", nil, nil)
	return spID, job.ID
}

// TestAccQuery_adoptTenant is the "Adopting a whole tenant" guide end to
// end: two applications configured in the portal are found by
// `terraform query`, -generate-config-out writes import blocks (by
// identity) and configuration with the mappings, the import applies and
// the next plan is empty.
func TestAccQuery_adoptTenant(t *testing.T) {
	testAccRequireQueryCLI(t)
	prefix := testAccName("adopt")
	sp1, job1 := portalConfiguredApp(t, prefix+" one")
	sp2, job2 := portalConfiguredApp(t, prefix+" two")
	var users struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	portalDo(t, http.MethodGet, "/users?$top=1", nil, &users)
	var roles struct {
		AppRoles []struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"appRoles"`
	}
	portalDo(t, http.MethodGet, "/servicePrincipals/"+sp1+"?$select=appRoles", nil, &roles)
	var assignment struct {
		ID string `json:"id"`
	}
	portalDo(t, http.MethodPost, "/servicePrincipals/"+sp1+"/appRoleAssignedTo",
		map[string]string{"principalId": users.Value[0].ID, "resourceId": sp1, "appRoleId": roles.AppRoles[0].ID}, &assignment)

	cli := newTestCLI(t, testAccJobTerraformBlock)
	cli.writeFile("adopt.tfquery.hcl", []byte(fmt.Sprintf(`
list "entra_enterprise_application" "apps" {
  provider = entra
  config {
    display_name_prefix  = %q
    has_provisioning_job = true
  }
}

list "entra_provisioning_job" "jobs" {
  provider = entra
  config {
    service_principal_ids = [for app in list.entra_enterprise_application.apps.data : app.identity.service_principal_id]
  }
}

list "entra_app_role_assignment" "assigned" {
  provider = entra
  config {
    service_principal_id = %q
  }
}
`, prefix, sp1)))
	cli.run("init", "-input=false", "-no-color")
	cli.run("query", "-no-color")
	listed := cli.lastOutput
	t.Logf("terraform query:\n%s", listed)
	for _, want := range []string{prefix + " one", prefix + " two", sp1, job2, assignment.ID} {
		if !strings.Contains(listed, want) {
			t.Errorf("terraform query output lacks %q", want)
		}
	}

	cli.run("query", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
	if err != nil {
		t.Fatalf("no generated configuration: %v", err)
	}
	text := string(generated)
	t.Logf("generated configuration:\n%s", text)
	for _, want := range []string{
		"import {", "identity = {", sp1, sp2, job1, job2, assignment.ID,
		`resource "entra_enterprise_application"`, `resource "entra_provisioning_job"`, `resource "entra_app_role_assignment"`,
		"tenant_url", "admin@example.com", "accidental_deletion_threshold = 25", "userPrincipalName", "Switch([IsSoftDeleted]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("generated configuration lacks %q", want)
		}
	}
	if strings.Contains(text, "sim-token-") {
		t.Error("the generated configuration contains a secret token")
	}

	// The generated files are the whole configuration: import and re-plan.
	if err := os.Remove(filepath.Join(cli.dir, "adopt.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	cli.run("apply", "-auto-approve", "-input=false", "-no-color")
	applied := cli.lastOutput
	if !strings.Contains(applied, "5 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("the apply of the generated configuration did more than import 5 objects:\n%s", applied)
	}
	if _, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after importing the generated configuration is not empty (exit %d):\n%s", code, cli.lastOutput)
	}
}

// TestAccActions_invokeAndTrigger runs entra_provisioning_restart with
// `terraform apply -invoke` and from an action_trigger, and
// entra_provisioning_on_demand, whose per-subject progress messages the
// CLI prints.
func TestAccActions_invokeAndTrigger(t *testing.T) {
	testAccRequireQueryCLI(t)
	spID, jobID := portalConfiguredApp(t, testAccName("actions"))
	var users struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	portalDo(t, http.MethodGet, "/users?$top=1", nil, &users)
	cli := newTestCLI(t, testAccJobTerraformBlock+fmt.Sprintf(`
variable "mappings_revision" {
  type    = number
  default = 1
}

action "entra_provisioning_restart" "after_change" {
  config {
    service_principal_id = %[1]q
    job_id               = %[2]q
    scope                = ["full"]
  }
}

action "entra_provisioning_on_demand" "one_user" {
  config {
    service_principal_id = %[1]q
    job_id               = %[2]q
    subjects             = [{ object_id = %[3]q, object_type = "User" }]
  }
}

resource "terraform_data" "mappings" {
  input = var.mappings_revision
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.entra_provisioning_restart.after_change]
    }
  }
}
`, spID, jobID, users.Value[0].ID))
	restarts := func() int {
		counts, err := testAccEnv.Admin.RequestCounts()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for route, c := range counts.Routes {
			if strings.HasPrefix(route, "POST ") && strings.HasSuffix(route, "/restart") {
				n += c
			}
		}
		return n
	}
	cli.run("init", "-input=false", "-no-color")
	before := restarts()
	cli.run("apply", "-auto-approve", "-input=false", "-no-color")
	if got := restarts() - before; got != 1 {
		t.Errorf("creating the resource ran the restart action %d times, want 1:\n%s", got, cli.lastOutput)
	}
	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", "mappings_revision=2")
	if got := restarts() - before; got != 2 {
		t.Errorf("after an update the restart action ran %d times in all, want 2:\n%s", got, cli.lastOutput)
	}
	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.entra_provisioning_restart.after_change")
	if got := restarts() - before; got != 3 {
		t.Errorf("-invoke ran the restart action %d times in all, want 3:\n%s", got, cli.lastOutput)
	}
	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.entra_provisioning_on_demand.one_user")
	if out := cli.lastOutput; !strings.Contains(out, "[1/1] User "+users.Value[0].ID+": ") {
		t.Errorf("the on-demand action's progress message for the subject is missing:\n%s", out)
	}
}
