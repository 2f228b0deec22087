package provider

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestListResources_protocol drives the three list resources through the
// provider's protocol server (what `terraform query` calls) against a
// simulator: filters, identities, and the resource objects an import
// would produce.
func TestListResources_protocol(t *testing.T) {
	p := newProtoSim(t)
	withJob := p.app("query-adopt withjob")
	plain := p.app("query-adopt plain")
	other := p.app("unrelated app")
	jobID := p.job(withJob)
	var users struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	p.graph(http.MethodGet, "/users?$top=2", nil, &users)
	var roles struct {
		AppRoles []struct {
			ID string `json:"id"`
		} `json:"appRoles"`
	}
	p.graph(http.MethodGet, "/servicePrincipals/"+withJob+"?$select=appRoles", nil, &roles)
	if len(roles.AppRoles) == 0 {
		t.Fatal("the non-gallery application has no app roles to assign")
	}
	var assignment struct {
		ID string `json:"id"`
	}
	p.graph(http.MethodPost, "/servicePrincipals/"+withJob+"/appRoleAssignedTo",
		map[string]string{"principalId": users.Value[0].ID, "resourceId": withJob, "appRoleId": roles.AppRoles[0].ID}, &assignment)

	t.Run("enterprise applications by display name prefix", func(t *testing.T) {
		got := identities(t, p.list("entra_enterprise_application", map[string]tftypes.Value{
			"display_name_prefix": tfString("query-adopt"),
		}, false), "service_principal_id")
		if !sameSet(got, []string{withJob, plain}) {
			t.Errorf("got %v, want %s and %s (not %s)", got, withJob, plain, other)
		}
	})
	t.Run("enterprise applications with a provisioning job", func(t *testing.T) {
		got := identities(t, p.list("entra_enterprise_application", map[string]tftypes.Value{
			"display_name_prefix":  tfString("query-adopt"),
			"has_provisioning_job": tftypes.NewValue(tftypes.Bool, true),
		}, false), "service_principal_id")
		if !sameSet(got, []string{withJob}) {
			t.Errorf("got %v, want only %s", got, withJob)
		}
		got = identities(t, p.list("entra_enterprise_application", map[string]tftypes.Value{
			"display_name_prefix":  tfString("query-adopt"),
			"has_provisioning_job": tftypes.NewValue(tftypes.Bool, false),
		}, false), "service_principal_id")
		if !sameSet(got, []string{plain}) {
			t.Errorf("without a job: got %v, want only %s", got, plain)
		}
	})
	t.Run("enterprise applications by template, with resource objects", func(t *testing.T) {
		results := p.list("entra_enterprise_application", map[string]tftypes.Value{
			"display_name_prefix": tfString("query-adopt"),
			"template_id":         tfString(graphsim.CustomAppTemplateID),
		}, true)
		if len(results) != 2 {
			t.Fatalf("got %d results, want 2", len(results))
		}
		for _, r := range results {
			if r.Resource == nil {
				t.Fatalf("%s: no resource object although include_resource was set", r.DisplayName)
			}
			if name := str(t, r.Resource["display_name"]); name != r.DisplayName || !strings.HasPrefix(name, "query-adopt") {
				t.Errorf("resource display_name %q, list display name %q", name, r.DisplayName)
			}
			if str(t, r.Resource["service_principal_id"]) != str(t, r.Identity["service_principal_id"]) {
				t.Errorf("resource and identity disagree: %v vs %v", r.Resource["service_principal_id"], r.Identity)
			}
		}
	})
	t.Run("provisioning jobs of the tenant and of given service principals", func(t *testing.T) {
		want := withJob + "/" + jobID
		all := identities(t, p.list("entra_provisioning_job", nil, false), "service_principal_id", "job_id")
		found := false
		for _, id := range all {
			found = found || id == want
		}
		if !found {
			t.Errorf("tenant-wide listing %v lacks %s", all, want)
		}
		results := p.list("entra_provisioning_job", map[string]tftypes.Value{"service_principal_ids": tfStringList(withJob, plain)}, true)
		if got := identities(t, results, "service_principal_id", "job_id"); !sameSet(got, []string{want}) {
			t.Fatalf("jobs of two service principals: got %v, want [%s]", got, want)
		}
		r := results[0].Resource
		if str(t, r["job_id"]) != jobID || str(t, r["template_id"]) != "scim" {
			t.Errorf("resource object: job_id %v template_id %v", r["job_id"], r["template_id"])
		}
	})
	t.Run("app role assignments of a service principal", func(t *testing.T) {
		results := p.list("entra_app_role_assignment", map[string]tftypes.Value{"service_principal_id": tfString(withJob)}, true)
		if got := identities(t, results, "service_principal_id", "assignment_id"); !sameSet(got, []string{withJob + "/" + assignment.ID}) {
			t.Fatalf("got %v, want [%s/%s]", got, withJob, assignment.ID)
		}
		if pid := str(t, results[0].Resource["principal_id"]); pid != users.Value[0].ID {
			t.Errorf("resource principal_id %q, want %q", pid, users.Value[0].ID)
		}
	})
}

// TestListResources_requestsFor100Apps counts the Graph requests of listing
// 100 applications, 20 of them with a provisioning job, filtered to those
// with a job: one page of service principals ($select, $top=999) and five
// $batch requests of 20 job lists. docs/performance.md reports this number.
func TestListResources_requestsFor100Apps(t *testing.T) {
	p := newProtoSim(t)
	var withJobs []string
	for i := range 100 {
		sp := p.app("bulk app " + string(rune('a'+i/26)) + string(rune('a'+i%26)))
		if i%5 == 0 {
			p.job(sp)
			withJobs = append(withJobs, sp)
		}
	}
	if err := p.env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	results := p.list("entra_enterprise_application", map[string]tftypes.Value{
		"display_name_prefix":  tfString("bulk app"),
		"has_provisioning_job": tftypes.NewValue(tftypes.Bool, true),
	}, false)
	counts, err := p.env.Admin.RequestCounts()
	if err != nil {
		t.Fatal(err)
	}
	if got := identities(t, results, "service_principal_id"); !sameSet(got, withJobs) {
		t.Errorf("got %d applications, want the %d with a job", len(got), len(withJobs))
	}
	// Requests inside a $batch are counted under their own routes too.
	list, batches := counts.Routes["GET /v1.0/servicePrincipals"], counts.Routes["POST /v1.0/$batch"]
	jobLists := counts.Routes["GET /v1.0/servicePrincipals/{id}/synchronization/jobs"]
	t.Logf("listing 100 applications filtered by has_provisioning_job: %d HTTP requests (%d list page, %d $batch carrying %d job lists); routes %v",
		list+batches, list, batches, jobLists, counts.Routes)
	if list != 1 || batches != 5 || jobLists != 100 {
		t.Errorf("want 1 page of service principals and 5 $batch requests carrying 100 job lists, got %v", counts.Routes)
	}
	for route, n := range counts.Routes {
		if route != "GET /v1.0/servicePrincipals" && route != "POST /v1.0/$batch" && route != "GET /v1.0/servicePrincipals/{id}/synchronization/jobs" && !strings.Contains(route, "token") {
			t.Errorf("unexpected request %s (%d times)", route, n)
		}
	}
}
