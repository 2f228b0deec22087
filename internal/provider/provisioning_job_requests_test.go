package provider

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestAccProvisioningJob_requestCounts measures the Graph requests and wall
// time of each terraform command for one complete provisioning job
// (credentials, settings, mappings, target attributes) on an existing
// enterprise application, against the simulator without faults. Targets
// (issue 3): refresh ≤ 3 requests, create ≤ 8 plus consistency polling.
func TestAccProvisioningJob_requestCounts(t *testing.T) {
	testAccRequireWriteOnly(t) // its configuration passes the token as an ephemeral variable (Terraform 1.10+)
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
	// The plan checks the mappings against the template's schema online ...
	if n := byName["plan (create)"].Routes["GET /v1.0/servicePrincipals/{id}/synchronization/templates/{templateId}/schema"]; n != 1 {
		t.Errorf("the create plan read the template schema %d times, want 1: the online mapping check did not run at plan time", n)
	}
	// Apply plans again in a fresh provider configuration, which checks the
	// mappings once more (one template schema GET; the template list it
	// reads is the one Create then uses). Create confirms the new job is
	// readable (consistency polling: one GET on a fast Graph) on top of its
	// other requests.
	create := byName["apply (create)"]
	if n := create.Routes["GET /v1.0/servicePrincipals/{id}/synchronization/templates/{templateId}/schema"]; n != 1 {
		t.Errorf("apply read the template schema %d times, want 1 (its repeat of the plan-time check)", n)
	}
	if n := create.Routes["GET /v1.0/servicePrincipals/{id}/synchronization/templates"]; n != 1 {
		t.Errorf("apply listed the synchronization templates %d times, want 1 (shared by the plan check and Create)", n)
	}
	polls := create.Routes["GET /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}"]
	if polls != 1 {
		t.Errorf("create polled the new job %d times, want 1 without replication lag", polls)
	}
	if n := create.Total - polls; n > 9 {
		t.Errorf("creating a complete job made %d Graph requests besides consistency polling, want ≤ 9 (8 for Create, 1 for the plan check)", n)
	}
	if ids := jobIDs(t, spID); len(ids) != 0 {
		t.Errorf("jobs left after destroy: %v", ids)
	}
	if got := admin.realSecrets(t, spID); got[entra.SecretKeySecretToken] != "" || got[entra.SecretKeyBaseAddress] != "" {
		t.Errorf("destroy left credentials in the tenant: keys %v", keysOf(got))
	}
}

// instantiateCustomApp creates a non-gallery enterprise application the way
// the portal does and returns its service principal id; it is deleted at
// the end of the test.
func instantiateCustomApp(t *testing.T, name string) string {
	t.Helper()
	return instantiateApp(t, graphsim.CustomAppTemplateID, name)
}

// instantiateApp creates an enterprise application from an application
// template the way the portal does and returns its service principal id;
// it is deleted at the end of the test.
func instantiateApp(t *testing.T, appTemplateID, name string) string {
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
	err := c.Do(t.Context(), http.MethodPost, "/applicationTemplates/"+appTemplateID+"/instantiate",
		map[string]string{"displayName": name}, &out)
	if err != nil || out.ServicePrincipal.ID == "" {
		t.Fatalf("instantiating %q: %v", name, err)
	}
	t.Cleanup(func() {
		_ = c.Do(context.Background(), http.MethodDelete, "/applications/"+out.Application.ID, nil, nil)
	})
	return out.ServicePrincipal.ID
}

// TestAccProvisioningJob_wallTimes times apply, re-plan and destroy of one
// complete configuration (the MetaCompliance example: application, job,
// credentials, settings, scoping filter, 17 mappings, attribute-list edits,
// restart trigger), first against a fast simulator, then with 20 %
// throttling and 2 s replication lag.
func TestAccProvisioningJob_wallTimes(t *testing.T) {
	admin := newJobSimAdmin(t)
	for _, faults := range []string{"", "throttle=0.2,retry-after=1s,lag=2s"} {
		name := "fast"
		if faults != "" {
			name = "faults"
		}
		t.Run(name, func(t *testing.T) {
			if faults != "" {
				admin.setFaults(t, faults)
			}
			tenantURL, token := testAccSCIMTarget("wall-times-" + name)
			cli := newTestCLI(t, exampleConfig(t, "metacompliance"))
			vars := []string{"-var", "tenant_url=" + tenantURL, "-var", "secret_token=" + token, "-var", "display_name=acc wall times " + name}
			cli.run("init", "-input=false", "-no-color")
			measure := func(args ...string) (time.Duration, int, int) {
				admin.resetRequests(t)
				took, code := cli.run(append(args, vars...)...)
				return took, code, admin.requestCounts(t).Total
			}
			applyTook, _, applyReq := measure("apply", "-auto-approve", "-input=false", "-no-color")
			planTook, code, planReq := measure("plan", "-detailed-exitcode", "-input=false", "-no-color")
			if code != 0 {
				t.Errorf("the plan right after apply is not empty (exit %d)", code)
			}
			destroyTook, _, destroyReq := measure("destroy", "-auto-approve", "-input=false", "-no-color")
			t.Logf("complete configuration (%s): apply %.2fs / %d requests, re-plan %.2fs / %d requests, destroy %.2fs / %d requests",
				name, applyTook.Seconds(), applyReq, planTook.Seconds(), planReq, destroyTook.Seconds(), destroyReq)
		})
	}
}

// TestAccProvisioningJob_largeSchemaPlan measures planning a job with 60
// attribute mappings (ten of them to new target attributes) and 5 scoping
// groups: a refresh must read the schema once, and a plan that changes a
// mapping must validate against that same schema without reading it again.
func TestAccProvisioningJob_largeSchemaPlan(t *testing.T) {
	testAccRequireWriteOnly(t) // its configuration passes the token as an ephemeral variable (Terraform 1.10+)
	admin := newJobSimAdmin(t)
	spID := instantiateCustomApp(t, "acc job 60 mappings")
	tenantURL, token := testAccSCIMTarget("job-60-mappings")
	const user = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	sources := []string{"displayName", "givenName", "surname", "mail", "department", "jobTitle", "city", "country", "companyName", "employeeId"}
	existing := []string{"displayName", "title", `emails[type eq "work"].value`, "preferredLanguage", "name.givenName", "name.familyName",
		"name.formatted", `addresses[type eq "work"].formatted`, `addresses[type eq "work"].streetAddress`, `addresses[type eq "work"].locality`,
		`addresses[type eq "work"].region`, `addresses[type eq "work"].postalCode`, `addresses[type eq "work"].country`,
		`phoneNumbers[type eq "work"].value`, `phoneNumbers[type eq "mobile"].value`, `phoneNumbers[type eq "fax"].value`, "externalId",
		user + ":employeeNumber", user + ":department", user + ":manager", `addresses[type eq "other"].formatted`, "name.honorificPrefix",
		"name.honorificSuffix", "nickName", "userType", "locale", "timezone", `emails[type eq "home"].value`, `emails[type eq "other"].value`,
		`phoneNumbers[type eq "home"].value`, `phoneNumbers[type eq "other"].value`, `phoneNumbers[type eq "pager"].value`,
		`addresses[type eq "home"].streetAddress`, `addresses[type eq "home"].locality`, `addresses[type eq "home"].region`,
		`addresses[type eq "home"].postalCode`, `addresses[type eq "home"].country`, `addresses[type eq "home"].formatted`,
		`addresses[type eq "other"].streetAddress`, `addresses[type eq "other"].locality`, `addresses[type eq "other"].region`,
		`addresses[type eq "other"].postalCode`, `addresses[type eq "other"].country`, `roles[primary eq "True"].display`,
		`roles[primary eq "True"].type`, `roles[primary eq "True"].value`, user + ":costCenter", user + ":organization"}
	var mappings, newAttrs strings.Builder
	fmt.Fprintf(&mappings, "        %q = { source = \"userPrincipalName\", matching_priority = 1 }\n", "userName")
	fmt.Fprintf(&mappings, "        %q = { expression = \"Switch([IsSoftDeleted], , \\\"False\\\", \\\"True\\\", \\\"True\\\", \\\"False\\\")\" }\n", "active")
	for i, target := range existing {
		fmt.Fprintf(&mappings, "        %q = { source = %q }\n", target, sources[i%len(sources)])
	}
	for i := 0; len(existing)+2+i < 60; i++ {
		name := fmt.Sprintf("urn:ietf:params:scim:schemas:extension:acme:2.0:User:custom%d", i)
		fmt.Fprintf(&mappings, "        %q = { expression = \"Join(\\\"-\\\", [department], \\\"%d\\\")\" }\n", name, i)
		fmt.Fprintf(&newAttrs, "      %q = { type = \"String\" }\n", name)
	}
	config := func(email string) string {
		return testAccJobTerraformBlock + fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}
resource "entra_provisioning_job" "big" {
  service_principal_id    = %q
  tenant_url              = %q
  secret_token_wo         = var.token
  secret_token_wo_version = 1
  enabled                 = false
  object_mappings = {
    User = {
      scoping_filter = [
        { clauses = [{ attribute = "department", operator = "EQUALS", values = ["Sales"] }] },
        { clauses = [{ attribute = "department", operator = "EQUALS", values = ["Marketing"] }, { attribute = "accountEnabled", operator = "IS TRUE" }] },
        { clauses = [{ attribute = "country", operator = "EQUALS", values = ["DK"] }] },
        { clauses = [{ attribute = "jobTitle", operator = "REGEX MATCH", values = ["^Advisor"] }] },
        { clauses = [{ attribute = "mail", operator = "IS NOT NULL" }, { attribute = "city", operator = "NOT EQUALS", values = [%q] }] },
      ]
      attribute_mappings = {
%s      }
    }
  }
  target_attributes = {
    %q = {
%s    }
  }
}
`, spID, tenantURL, email, mappings.String(), user, newAttrs.String())
	}
	cli := newTestCLI(t, config("Nowhere"))
	tokenVar := "token=" + token
	cli.run("init", "-input=false", "-no-color")
	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", tokenVar)

	admin.resetRequests(t)
	refreshTook, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var", tokenVar)
	refresh := admin.requestCounts(t)
	if code != 0 {
		t.Errorf("the plan right after applying 60 mappings is not empty (exit %d)", code)
	}
	schemaGETs := refresh.Routes["GET /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema"]
	if schemaGETs != 1 {
		t.Errorf("a refresh read the schema %d times, want 1 (routes %v)", schemaGETs, refresh.Routes)
	}

	cli.writeFile("main.tf", []byte(config("Elsewhere")))
	admin.resetRequests(t)
	changeTook, _ := cli.run("plan", "-input=false", "-no-color", "-var", tokenVar)
	change := admin.requestCounts(t)
	if n := change.Routes["GET /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema"]; n != 1 {
		t.Errorf("a plan that changes a scoping clause read the schema %d times, want 1 (validation reuses the refresh's copy)", n)
	}
	t.Logf("60 mappings, 5 scoping groups: no-change plan %.2fs / %d requests (%d schema GET); changing plan %.2fs / %d requests %v",
		refreshTook.Seconds(), refresh.Total, schemaGETs, changeTook.Seconds(), change.Total, change.Routes)
	cli.run("destroy", "-auto-approve", "-input=false", "-no-color", "-var", tokenVar)
}
