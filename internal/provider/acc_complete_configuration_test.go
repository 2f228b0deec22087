package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// completeConfiguration is everything the seed guides click through for one
// application: the enterprise application, two assigned users, the job with
// credentials, settings, scoping filter, mappings, attribute-list edit and a
// restart trigger, and a provision-on-demand run of both users.
const completeConfiguration = testAccJobTerraformBlock + `
variable "display_name" { type = string }
variable "tenant_url" { type = string }
variable "user_ids" { type = list(string) }
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "entra_enterprise_application" "app" {
  display_name = var.display_name
}

resource "entra_app_role_assignment" "users" {
  count                = length(var.user_ids)
  service_principal_id = entra_enterprise_application.app.service_principal_id
  principal_id         = var.user_ids[count.index]
  app_role             = "User"
}

resource "entra_provisioning_job" "job" {
  service_principal_id          = entra_enterprise_application.app.service_principal_id
  tenant_url                    = var.tenant_url
  secret_token_wo               = var.token
  secret_token_wo_version       = 1
  notification_email            = "iam-alerts@example.com"
  accidental_deletion_threshold = 100
  restart_triggers              = { mappings = "v1" }
  object_mappings = {
    User = {
      scoping_filter = [{ clauses = [{ attribute = "accountEnabled", operator = "IS TRUE" }] }]
      attribute_mappings = {
        "userName"                       = { source = "userPrincipalName", matching_priority = 1 }
        "active"                         = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName"                    = { source = "displayName" }
        "emails[type eq \"work\"].value" = { source = "mail" }
        "externalId"                     = { source = "objectId" }
      }
    }
    Group = { enabled = false }
  }
  target_attributes = {
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = {
      "userName" = { required = true }
    }
  }
  # Assign before starting, as the guides do.
  depends_on = [entra_app_role_assignment.users]
}

resource "entra_provisioning_on_demand" "users" {
  service_principal_id = entra_enterprise_application.app.service_principal_id
  job_id               = entra_provisioning_job.job.job_id
  subjects             = [for id in var.user_ids : { object_id = id, object_type = "User" }]
}

output "on_demand" {
  value = entra_provisioning_on_demand.users.results
}
output "service_principal_id" {
  value = entra_enterprise_application.app.service_principal_id
}
`

// TestAccCompleteConfiguration applies, re-plans and destroys the complete
// configuration with the real terraform CLI, first against a fast simulator
// and then with 20 % throttling and 2 s replication lag. Each run must
// converge to exactly one application, one job and one assignment per user,
// provision both users on demand, plan no changes afterwards, and leave no
// object behind; the wall times and Graph requests of each command are
// logged (docs/performance.md quotes them).
func TestAccCompleteConfiguration(t *testing.T) {
	admin := newJobSimAdmin(t)
	users := testAccSeededUsers(t, 2)
	for _, run := range []struct{ name, faults string }{
		{"fast", ""},
		{"faults", "throttle=0.2,retry-after=1s,lag=2s"},
	} {
		t.Run(run.name, func(t *testing.T) {
			if run.faults != "" {
				admin.setFaults(t, run.faults)
			}
			displayName := testAccName("complete " + run.name)
			scimTarget := "complete-" + run.name
			tenantURL, token := testAccSCIMTarget(scimTarget)
			cli := newTestCLI(t, completeConfiguration)
			vars := []string{
				"-var", "display_name=" + displayName, "-var", "tenant_url=" + tenantURL, "-var", "token=" + token,
				"-var", fmt.Sprintf(`user_ids=["%s","%s"]`, users[0], users[1]),
			}
			cli.run("init", "-input=false", "-no-color")
			type measured struct {
				took     time.Duration
				code     int
				requests graphsim.RequestCounts
			}
			measure := func(args ...string) measured {
				admin.resetRequests(t)
				took, code := cli.run(append(args, vars...)...)
				return measured{took, code, admin.requestCounts(t)}
			}

			apply := measure("apply", "-auto-approve", "-input=false", "-no-color")
			var spID string
			cli.outputJSON("service_principal_id", &spID)
			checkCompleteConfigurationApplied(t, admin, cli, displayName, spID, scimTarget, users, token)
			if run.faults != "" && apply.requests.Throttled == 0 {
				t.Errorf("no request was throttled during apply: the fault injection is not active")
			}

			replan := measure("plan", "-detailed-exitcode", "-input=false", "-no-color")
			if replan.code != 0 {
				t.Errorf("the plan right after apply is not empty (exit %d):\n%s", replan.code, cli.lastOutput)
			}

			destroy := measure("destroy", "-auto-approve", "-input=false", "-no-color")
			checkCompleteConfigurationDestroyed(t, admin, displayName, spID, destroy.requests)

			t.Logf("complete configuration (%s): apply %.2fs / %d requests (%d throttled), re-plan %.2fs / %d requests, destroy %.2fs / %d requests",
				run.name, apply.took.Seconds(), apply.requests.Total, apply.requests.Throttled,
				replan.took.Seconds(), replan.requests.Total, destroy.took.Seconds(), destroy.requests.Total)
		})
	}
}

// checkCompleteConfigurationApplied asserts, in the simulator, one of
// everything and a working job.
func checkCompleteConfigurationApplied(t *testing.T, admin *jobSimAdmin, cli *testCLI, displayName, spID, scimTarget string, users []string, token string) {
	t.Helper()
	st := admin.fullState(t)
	if n := st.countNamed(st.Applications, displayName); n != 1 {
		t.Errorf("%d applications named %q, want exactly 1", n, displayName)
	}
	if n := st.countNamed(st.ServicePrincipals, displayName); n != 1 {
		t.Errorf("%d service principals named %q, want exactly 1", n, displayName)
	}
	if n := st.countTemporary(); n != 0 {
		t.Errorf("%d applications still carry the %s placeholder name", n, instantiateNamePrefix)
	}
	assigned := st.assignedPrincipals(spID)
	for _, u := range users {
		if assigned[u] != 1 {
			t.Errorf("user %s has %d assignments to the application, want exactly 1 (all: %v)", u, assigned[u], assigned)
		}
	}
	if len(assigned) != len(users) {
		t.Errorf("the application has assignments for %d principals, want %d: %v", len(assigned), len(users), assigned)
	}
	if ids := jobIDs(t, spID); len(ids) != 1 {
		t.Errorf("jobs %v, want exactly one", ids)
	}
	if got := admin.realSecrets(t, spID); got[entra.SecretKeySecretToken] != token {
		t.Errorf("the tenant holds no (or another) SecretToken after apply: keys %v", keysOf(got))
	}
	var results []struct {
		ObjectID string `json:"object_id"`
		Status   string `json:"status"`
		Action   string `json:"action"`
		Code     string `json:"error_code"`
		Message  string `json:"error_message"`
	}
	cli.outputJSON("on_demand", &results)
	if len(results) != len(users) {
		t.Fatalf("on-demand results for %d subjects, want %d: %+v", len(results), len(users), results)
	}
	for i, r := range results {
		// The started job's first cycle may provision a user before the
		// on-demand run does; then the run reports it already in sync.
		inSync := r.Status == "Skipped" && r.Code == "RedundantExport"
		if r.ObjectID != users[i] || (r.Status != "Success" && !inSync) {
			t.Errorf("on-demand result %d = %+v, want user %s provisioned (Success, or Skipped as already in sync)", i, r, users[i])
		}
	}
	var target struct {
		Users []map[string]any `json:"users"`
	}
	admin.call(t, "GET", "/scim/"+scimTarget+"/_state", nil, &target)
	inTarget := map[string]int{}
	for _, u := range target.Users {
		id, _ := u["externalId"].(string)
		inTarget[id]++
	}
	for _, u := range users {
		if inTarget[u] != 1 {
			t.Errorf("the SCIM target holds %d accounts with externalId %s, want exactly 1 (target: %v)", inTarget[u], u, inTarget)
		}
	}
}

// checkCompleteConfigurationDestroyed asserts nothing is left: no
// application, service principal, assignment or placeholder, exactly one
// soft-deleted application (no duplicate was ever created), and that the
// job was deleted and its credentials blanked before the application went.
func checkCompleteConfigurationDestroyed(t *testing.T, admin *jobSimAdmin, displayName, spID string, destroy graphsim.RequestCounts) {
	t.Helper()
	st := admin.fullState(t)
	if n := st.countNamed(st.Applications, displayName); n != 0 {
		t.Errorf("%d applications named %q remain after destroy", n, displayName)
	}
	if n := st.countNamed(st.ServicePrincipals, displayName); n != 0 {
		t.Errorf("%d service principals named %q remain after destroy", n, displayName)
	}
	if n := st.countTemporary(); n != 0 {
		t.Errorf("%d placeholder applications remain after destroy", n)
	}
	if a := st.assignedPrincipals(spID); len(a) != 0 {
		t.Errorf("assignments remain after destroy: %v", a)
	}
	deletedApps := 0
	for _, d := range st.DeletedItems {
		if d["@odata.type"] == "#microsoft.graph.application" && d["displayName"] == displayName {
			deletedApps++
		}
	}
	if deletedApps != 1 {
		t.Errorf("%d deleted applications named %q, want exactly 1 (the one created)", deletedApps, displayName)
	}
	if n := destroy.Routes["DELETE /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}"]; n < 1 {
		t.Errorf("destroy never deleted the job itself (routes %v)", destroy.Routes)
	}
	if n := destroy.Routes["PUT /v1.0/servicePrincipals/{id}/synchronization/secrets"]; n < 1 {
		t.Errorf("destroy never blanked the credentials (routes %v)", destroy.Routes)
	}
}

// simFullState is GET /_sim/state with the fields the complete-configuration
// checks need.
type simFullState struct {
	Applications      []map[string]any `json:"applications"`
	ServicePrincipals []map[string]any `json:"servicePrincipals"`
	Assignments       []map[string]any `json:"appRoleAssignments"`
	DeletedItems      []map[string]any `json:"deletedItems"`
}

func (a *jobSimAdmin) fullState(t *testing.T) simFullState {
	t.Helper()
	var st simFullState
	a.call(t, "GET", "/state", nil, &st)
	return st
}

func (s simFullState) countNamed(objects []map[string]any, name string) int {
	n := 0
	for _, o := range objects {
		if o["displayName"] == name {
			n++
		}
	}
	return n
}

func (s simFullState) countTemporary() int {
	n := 0
	for _, o := range s.Applications {
		if name, _ := o["displayName"].(string); strings.HasPrefix(name, instantiateNamePrefix) {
			n++
		}
	}
	return n
}

// assignedPrincipals counts the live assignments to a service principal by principal.
func (s simFullState) assignedPrincipals(spID string) map[string]int {
	out := map[string]int{}
	for _, a := range s.Assignments {
		if a["resourceId"] == spID {
			p, _ := a["principalId"].(string)
			out[p]++
		}
	}
	return out
}
