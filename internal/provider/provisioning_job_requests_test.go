package provider

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestAccProvisioningJob_requestCounts measures the Graph requests and wall
// time of each terraform command for one complete provisioning job
// (credentials, settings, mappings, target attributes) on an existing
// enterprise application, against the simulator without faults. Targets
// (issue 3): refresh ≤ 3 requests, create ≤ 8 plus consistency polling.
func TestAccProvisioningJob_requestCounts(t *testing.T) {
	admin := newJobSimAdmin(t)
	spID := instantiateCustomApp(t, "acc job request counts")
	tenantURL, token := testAccSCIMTarget("job-request-counts")

	cli := newTestCLI(t, testAccJobTerraformBlock+fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "email" {
  type    = string
  default = "iam-alerts@example.com"
}
resource "entra_provisioning_job" "bench" {
  service_principal_id          = %q
  tenant_url                    = %q
  secret_token_wo               = var.token
  secret_token_wo_version       = 1
  notification_email            = var.email
  accidental_deletion_threshold = 100
  object_mappings = {
    User = {
      scoping_filter = [{ clauses = [{ attribute = "accountEnabled", operator = "IS TRUE" }] }]
      attribute_mappings = {
        "userName"                       = { source = "userPrincipalName", matching_priority = 1 }
        "active"                         = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName"                    = { source = "displayName" }
        "emails[type eq \"work\"].value" = { source = "mail" }
        "name.formatted"                 = { expression = "Join(\" \", [givenName], [surname])" }
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
}
`, spID, tenantURL))
	tokenVar := "token=" + token

	cli.run("init", "-input=false", "-no-color")
	type measure struct {
		name     string
		took     time.Duration
		requests graphsim.RequestCounts
	}
	var results []measure
	step := func(name string, args ...string) int {
		admin.resetRequests(t)
		resetProviderCaches() // as if terraform started a fresh provider process
		took, code := cli.run(args...)
		results = append(results, measure{name, took, admin.requestCounts(t)})
		return code
	}
	step("plan (create)", "plan", "-input=false", "-no-color", "-out=create.tfplan", "-var", tokenVar)
	step("apply (create)", "apply", "-input=false", "-no-color", "-var", tokenVar, "create.tfplan")
	if code := step("plan (refresh, no changes)", "plan", "-input=false", "-no-color", "-detailed-exitcode", "-var", tokenVar); code != 0 {
		t.Errorf("a plan right after apply shows changes (exit %d)", code)
	}
	step("plan (update)", "plan", "-input=false", "-no-color", "-out=update.tfplan", "-var", tokenVar, "-var", "email=ops@example.com")
	step("apply (update)", "apply", "-input=false", "-no-color", "-var", tokenVar, "update.tfplan")
	step("destroy", "destroy", "-auto-approve", "-input=false", "-no-color", "-var", tokenVar, "-var", "email=ops@example.com")

	var report strings.Builder
	for _, m := range results {
		routes := make([]string, 0, len(m.requests.Routes))
		for r, n := range m.requests.Routes {
			routes = append(routes, fmt.Sprintf("%s ×%d", r, n))
		}
		sort.Strings(routes)
		fmt.Fprintf(&report, "%-28s %6.2fs %3d requests: %s\n", m.name, m.took.Seconds(), m.requests.Total, strings.Join(routes, "; "))
	}
	t.Logf("provisioning job request counts and wall times:\n%s", report.String())

	byName := map[string]graphsim.RequestCounts{}
	for _, m := range results {
		byName[m.name] = m.requests
	}
	if n := byName["plan (refresh, no changes)"].Total; n > 3 {
		t.Errorf("a refresh of one job made %d Graph requests, want ≤ 3", n)
	}
	if n := byName["apply (create)"].Total; n > 9 {
		t.Errorf("creating a complete job made %d Graph requests, want ≤ 9 without replication lag (7 by Create, 2 by the plan-time mapping check Terraform repeats during apply)", n)
	}
	if ids := jobIDs(t, spID); len(ids) != 0 {
		t.Errorf("jobs left after destroy: %v", ids)
	}
	if got := admin.realSecrets(t, spID); got[secretKeySecretToken] != "" || got[secretKeyBaseAddress] != "" {
		t.Errorf("destroy left credentials in the tenant: keys %v", keysOf(got))
	}
}

// instantiateCustomApp creates a non-gallery enterprise application the way
// the portal does and returns its service principal id; it is deleted at
// the end of the test.
func instantiateCustomApp(t *testing.T, name string) string {
	t.Helper()
	c := testAccPortal(t)
	var out struct {
		Application struct {
			ID string `json:"id"`
		} `json:"application"`
		ServicePrincipal struct {
			ID string `json:"id"`
		} `json:"servicePrincipal"`
	}
	err := c.Do(t.Context(), http.MethodPost, "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate",
		map[string]string{"displayName": name}, &out)
	if err != nil || out.ServicePrincipal.ID == "" {
		t.Fatalf("instantiating %q: %v", name, err)
	}
	t.Cleanup(func() {
		_ = c.Do(context.Background(), http.MethodDelete, "/applications/"+out.Application.ID, nil, nil)
	})
	return out.ServicePrincipal.ID
}
