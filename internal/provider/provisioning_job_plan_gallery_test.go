package provider

import (
	"net/url"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// Issue 13, gallery templates: a new myPolicies application whose job
// names template_id = "mypolicies" has its target attributes checked at
// plan against that template's schema, read through a myPolicies
// application that already exists in the tenant; with none, the plan warns.

// myPoliciesJobConfig is the myPolicies example with template_id set on
// the job and, when typo, an extra mapping to a misspelt target attribute.
func myPoliciesJobConfig(t *testing.T, typo bool) string {
	t.Helper()
	const scope = `  scope              = "assigned"`
	cfg := exampleConfig(t, "mypolicies")
	if strings.Count(cfg, scope) != 1 {
		t.Fatalf("the myPolicies example no longer sets %q once", scope)
	}
	cfg = strings.Replace(cfg, scope, scope+"\n  template_id = \"mypolicies\"", 1)
	if typo {
		cfg = strings.Replace(cfg, `"externalId" `, `"displayNme" = { source = "displayName" }
        "externalId" `, 1)
		if !strings.Contains(cfg, "displayNme") {
			t.Fatal(`the myPolicies example no longer maps "externalId"`)
		}
	}
	return cfg
}

// myPoliciesServicePrincipals lists the tenant's myPolicies service principals.
func myPoliciesServicePrincipals(t *testing.T) []string {
	t.Helper()
	var out struct {
		Value []struct {
			ID          string `json:"id"`
			DisplayName string `json:"displayName"`
		} `json:"value"`
	}
	filter := url.QueryEscape("applicationTemplateId eq '" + graphsim.MyPoliciesTemplateID + "'")
	if err := testAccPortal(t).Do(t.Context(), "GET", "/servicePrincipals?$select=id,displayName&$filter="+filter, nil, &out); err != nil {
		t.Fatalf("listing myPolicies service principals: %v", err)
	}
	var names []string
	for _, sp := range out.Value {
		names = append(names, sp.DisplayName+" ("+sp.ID+")")
	}
	return names
}

func TestAccPlanNewApplication_galleryTemplate(t *testing.T) {
	testAccPreCheck(t)
	admin := newJobSimAdmin(t)
	u, tok := testAccSCIMTarget("mypolicies")
	vars := map[string]any{"tenant_url": u, "secret_token": tok, "display_name": "acc gallery new"}
	if sps := myPoliciesServicePrincipals(t); len(sps) != 0 {
		t.Fatalf("the tenant already has myPolicies applications (left by another test?): %v", sps)
	}

	// No existing myPolicies application: the plan succeeds and warns.
	out, code := planNewApplication(t, myPoliciesJobConfig(t, true), vars)
	if code != 0 || !strings.Contains(out, "Warning: Target attributes are checked at apply") ||
		!strings.Contains(oneLine(out), `No existing application of template "mypolicies" was found in the tenant`) ||
		!strings.Contains(oneLine(out), `"displayNme"`) {
		t.Fatalf("with no myPolicies application in the tenant: exit %d\n%s", code, out)
	}

	// An existing myPolicies application with its provisioning job.
	spID := instantiateApp(t, graphsim.MyPoliciesTemplateID, "acc gallery existing")
	if err := testAccPortal(t).Do(t.Context(), "POST", "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "myPolicies"}, nil); err != nil {
		t.Fatal(err)
	}

	// A target typo fails the plan with "did you mean", at the cost of the
	// service principal list, one $batch and one template schema GET.
	admin.resetRequests(t)
	out, code = planNewApplication(t, myPoliciesJobConfig(t, true), vars)
	counts := admin.requestCounts(t)
	if code == 0 || !strings.Contains(out, "Error: Unknown target attribute") ||
		!strings.Contains(oneLine(out), `"displayNme" is not an attribute of target object`) ||
		!strings.Contains(oneLine(out), `Did you mean "displayName"?`) {
		t.Fatalf("with a myPolicies application in the tenant: exit %d\n%s", code, out)
	}
	schemaGETs := 0
	for route, n := range counts.Routes {
		if strings.Contains(route, "/synchronization/templates/") && strings.HasSuffix(route, "/schema") {
			schemaGETs += n
		}
	}
	if counts.Routes["GET /v1.0/servicePrincipals"] != 1 || counts.Routes["POST /v1.0/$batch"] != 1 {
		t.Errorf("the lookup cost %d service principal pages and %d $batch requests, want 1 and 1: %v",
			counts.Routes["GET /v1.0/servicePrincipals"], counts.Routes["POST /v1.0/$batch"], counts.Routes)
	}
	if schemaGETs != 1 {
		t.Errorf("the plan read the template schema %d times, want 1: %v", schemaGETs, counts.Routes)
	}
	t.Logf("plan with the gallery template lookup: %d Graph requests %v", counts.Total, counts.Routes)

	// Correct mappings plan clean: no error, nothing deferred.
	out, code = planNewApplication(t, myPoliciesJobConfig(t, false), vars)
	if code != 0 || strings.Contains(out, "Error:") || strings.Contains(out, "Target attributes are checked at apply") {
		t.Fatalf("correct myPolicies mappings: exit %d\n%s", code, out)
	}
	if n := applicationsNamed(t, "acc gallery new"); n != 0 {
		t.Errorf("%d applications created by plans", n)
	}
}
