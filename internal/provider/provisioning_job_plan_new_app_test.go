package provider

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 13: when the application is created in the same configuration, the
// job's service principal id is unknown at plan, yet mapping typos must fail
// `terraform plan` (real CLI against the simulator) with the messages apply
// would give, before anything is created.

// exampleWithTypo is exampleConfig with old replaced by typo exactly once,
// in the root files or, for examples with modules, in a copy of the module.
func exampleWithTypo(t *testing.T, name, old, typo string) string {
	t.Helper()
	cfg, modules := exampleRootConfig(t, name)
	if strings.Count(cfg, old) == 1 {
		return withModulesAt(strings.Replace(cfg, old, typo, 1), modules)
	}
	legacy := !testAccCLIOrFail(t).SupportsWriteOnly()
	copied := t.TempDir()
	found := 0
	err := filepath.Walk(modules, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		found += strings.Count(string(data), old)
		rel, _ := filepath.Rel(modules, p)
		dst := filepath.Join(copied, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		text := strings.Replace(string(data), old, typo, 1)
		if legacy {
			text = legacySecretTokenConfig(text)
		}
		return os.WriteFile(dst, []byte(text), 0o600)
	})
	if err != nil || found != 1 {
		t.Fatalf("example %s: %q occurs %d times in the configuration and its modules (%v), want once", name, old, found, err)
	}
	return withModulesAt(cfg, copied)
}

// planNewApplication runs init and plan of cfg with vars and returns the
// output and exit code.
func planNewApplication(t *testing.T, cfg string, vars map[string]any) (string, int) {
	t.Helper()
	cli := newTestCLI(t, cfg)
	data, _ := json.Marshal(vars)
	cli.writeFile("test.tfvars.json", data)
	cli.run("init", "-input=false", "-no-color")
	return cli.planOutput("-var-file=test.tfvars.json")
}

// applicationsNamed counts the applications with this display name.
func applicationsNamed(t *testing.T, name string) int {
	t.Helper()
	var out struct {
		Value []json.RawMessage `json:"value"`
	}
	filter := url.QueryEscape(fmt.Sprintf("displayName eq '%s'", name))
	if err := testAccPortal(t).Do(t.Context(), "GET", "/applications?$filter="+filter, nil, &out); err != nil {
		t.Fatalf("listing applications: %v", err)
	}
	return len(out.Value)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestAccPlanNewApplication_exampleTypos(t *testing.T) {
	testAccPreCheck(t)
	andmoneyURLs, andmoneyTokens := map[string]string{}, map[string]string{}
	for _, k := range []string{"test-advisors", "test-rooms", "production-advisors", "production-rooms"} {
		andmoneyURLs[k], andmoneyTokens[k] = testAccSCIMTarget("andmoney-" + k)
	}
	aptyURL, aptyToken := testAccSCIMTarget("apty")
	mcURL, mcToken := testAccSCIMTarget("metacompliance")
	cases := []struct {
		example, old, typo, displayName string
		vars                            map[string]any
		want                            []string
	}{
		{
			example: "apty", old: `source = "userPrincipalName"`, typo: `source = "userPrincipleName"`, displayName: "acc typo apty",
			vars: map[string]any{"tenant_url": aptyURL, "secret_token": aptyToken, "display_name": "acc typo apty"},
			want: []string{"Error: Unknown source attribute", `object_mappings["User"].attribute_mappings["userName"].source: "userPrincipleName" is not an attribute of source object "User". Did you mean "userPrincipalName"?`},
		},
		{
			example: "metacompliance", old: `[givenName], [surname]`, typo: `[givenNme], [surname]`, displayName: "acc typo metacompliance",
			vars: map[string]any{"tenant_url": mcURL, "secret_token": mcToken, "display_name": "acc typo metacompliance"},
			want: []string{"Error: Invalid expression", `attribute_mappings["name.formatted"].expression: At column 11: [givenNme] is not an attribute of source object "User"; did you mean ` + "`[givenName]`?"},
		},
		{
			example: "metacompliance", old: `attribute = "accountEnabled"`, typo: `attribute = "acountEnabled"`, displayName: "acc typo metacompliance scope",
			vars: map[string]any{"tenant_url": mcURL, "secret_token": mcToken, "display_name": "acc typo metacompliance scope"},
			want: []string{"Error: Unknown source attribute", `scoping_filter[0].clauses[0].attribute: "acountEnabled" is not an attribute of source object "User". Did you mean "accountEnabled"?`},
		},
		{
			example: "andmoney", old: `= { source = "givenName" }`, typo: `= { source = "givenname_" }`,
			displayName: "acc typo andmoney Advisors (Test)",
			vars:        map[string]any{"tenant_urls": andmoneyURLs, "secret_tokens": andmoneyTokens, "name_prefix": "acc typo andmoney"},
			want:        []string{"Error: Unknown source attribute", `"givenname_" is not an attribute of source object "User". Did you mean "givenName"?`},
		},
	}
	for _, c := range cases {
		t.Run(c.example+" "+c.typo, func(t *testing.T) {
			out, code := planNewApplication(t, exampleWithTypo(t, c.example, c.old, c.typo), c.vars)
			if code == 0 {
				t.Fatalf("plan succeeded with %s:\n%s", c.typo, out)
			}
			for _, w := range c.want {
				if !strings.Contains(oneLine(out), oneLine(w)) {
					t.Errorf("plan output lacks %q:\n%s", w, out)
				}
			}
			if n := applicationsNamed(t, c.displayName); n != 0 {
				t.Errorf("%d applications named %q exist after a failed plan", n, c.displayName)
			}
		})
	}
}

// TestAccPlanNewApplication_examplesPlanClean: no false positives. Every
// example that creates its applications plans without errors; the
// non-gallery ones set template_id = "scim", so their target attributes
// are checked at plan too and nothing is deferred, while the gallery app
// (myPolicies) gets the warning naming what apply checks. A plan of the
// usual mappings costs no extra Graph request.
func TestAccPlanNewApplication_examplesPlanClean(t *testing.T) {
	testAccPreCheck(t)
	admin := newJobSimAdmin(t)
	url1, tok1 := testAccSCIMTarget("clean")
	single := map[string]any{"tenant_url": url1, "secret_token": tok1}
	andmoney := map[string]any{
		"tenant_urls":   map[string]string{"test-advisors": url1, "test-rooms": url1, "production-advisors": url1, "production-rooms": url1},
		"secret_tokens": map[string]string{"test-advisors": tok1, "test-rooms": tok1, "production-advisors": tok1, "production-rooms": tok1},
	}
	demo := map[string]any{"scim_base_url": testAccEnv.Ready.GraphEndpoint, "scim_tokens": map[string]string{"apty": tok1, "mypolicies": tok1, "andmoney_advisors": tok1}}
	for _, c := range []struct {
		example  string
		vars     map[string]any
		deferred bool
	}{
		{"apty", single, false}, {"metacompliance", single, false}, {"andmoney", andmoney, false},
		{"mypolicies", single, true}, {"demo", demo, true},
	} {
		t.Run(c.example, func(t *testing.T) {
			cli := newTestCLI(t, exampleConfig(t, c.example))
			data, _ := json.Marshal(c.vars)
			cli.writeFile("test.tfvars.json", data)
			cli.run("init", "-input=false", "-no-color")
			admin.resetRequests(t)
			out, code := cli.planOutput("-var-file=test.tfvars.json")
			counts := admin.requestCounts(t)
			if code != 0 || strings.Contains(out, "Error:") {
				t.Fatalf("plan failed (exit %d):\n%s", code, out)
			}
			if got := strings.Contains(out, "Warning: Target attributes are checked at apply"); got != c.deferred {
				t.Errorf("deferred-targets warning shown = %v, want %v:\n%s", got, c.deferred, out)
			}
			for route := range counts.Routes {
				if strings.Contains(route, "getAvailableExtensionProperties") || strings.Contains(route, "customSecurityAttributeDefinitions") {
					t.Errorf("the plan read tenant attribute lists it does not need: %v", counts.Routes)
				}
			}
			t.Logf("plan of example %s: %d Graph requests", c.example, counts.Total)
		})
	}
}

// TestAccPlanNewApplication_targetAttributes: with template_id = "scim" a
// target typo fails the plan against the built-in template; without
// template_id the plan succeeds and warns, naming the attribute.
func TestAccPlanNewApplication_targetAttributes(t *testing.T) {
	testAccPreCheck(t)
	u, tok := testAccSCIMTarget("apty")
	vars := map[string]any{"tenant_url": u, "secret_token": tok, "display_name": "acc target typo"}
	typo := exampleWithTypo(t, "apty", `"displayName" = { source = "displayName" }`, `"displayNme" = { source = "displayName" }`)

	out, code := planNewApplication(t, typo, vars)
	if code == 0 || !strings.Contains(oneLine(out), oneLine(`Error: Unknown target attribute`)) ||
		!strings.Contains(oneLine(out), `"displayNme" is not an attribute of target object "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User". Did you mean "displayName"?`) {
		t.Fatalf("with template_id = \"scim\": exit %d\n%s", code, out)
	}
	noTemplate := strings.Replace(typo, `template_id = "scim"`, "", 1)
	if noTemplate == typo {
		t.Fatal(`the Apty example no longer sets template_id = "scim"`)
	}
	out, code = planNewApplication(t, noTemplate, vars)
	if code != 0 || !strings.Contains(out, "Warning: Target attributes are checked at apply") ||
		!strings.Contains(oneLine(out), `object_mappings["User"]: target attributes "active", "displayNme", "userName"`) ||
		!strings.Contains(out, "-target") {
		t.Fatalf("without template_id: exit %d\n%s", code, out)
	}
	if n := applicationsNamed(t, "acc target typo"); n != 0 {
		t.Errorf("%d applications created by plans", n)
	}
}

// TestAccPlanNewApplication_extensionAttributes: a directory extension of
// the tenant is accepted as a source, a misspelt one fails with a
// suggestion, and the plan reads the tenant's extension list once.
func TestAccPlanNewApplication_extensionAttributes(t *testing.T) {
	testAccPreCheck(t)
	admin := newJobSimAdmin(t)
	var inst struct {
		Application struct {
			ID    string `json:"id"`
			AppID string `json:"appId"`
		} `json:"application"`
	}
	portal := testAccPortal(t)
	if err := portal.Do(t.Context(), "POST", "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", map[string]string{"displayName": "acc extension owner"}, &inst); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = portal.Do(t.Context(), "DELETE", "/applications/"+inst.Application.ID, nil, nil) })
	var ext struct {
		Name string `json:"name"`
	}
	if err := portal.Do(t.Context(), "POST", "/applications/"+inst.Application.ID+"/extensionProperties",
		map[string]any{"name": "costCenter", "dataType": "String", "targetObjects": []string{"User"}}, &ext); err != nil {
		t.Fatal(err)
	}
	u, tok := testAccSCIMTarget("apty")
	vars := map[string]any{"tenant_url": u, "secret_token": tok, "display_name": "acc extension plan"}
	withSource := func(name string) string {
		return exampleWithTypo(t, "apty", `"displayName" = { source = "displayName" }`,
			`"displayName" = { source = "displayName" }
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter" = { source = "`+name+`" }`)
	}

	admin.resetRequests(t)
	out, code := planNewApplication(t, withSource(ext.Name), vars)
	if code != 0 {
		t.Fatalf("an existing extension attribute was rejected (exit %d):\n%s", code, out)
	}
	if n := admin.requestCounts(t).Routes["POST /v1.0/directoryObjects/getAvailableExtensionProperties"]; n != 1 {
		t.Errorf("the plan listed the tenant's extensions %d times, want 1", n)
	}
	// Apply: the definition is added to the job schema's Entra ID
	// directory with the mapping, and the next plan is empty.
	cli := newTestCLI(t, withSource(ext.Name))
	data, _ := json.Marshal(vars)
	cli.writeFile("test.tfvars.json", data)
	cli.run("init", "-input=false", "-no-color")
	if _, code := cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var-file=test.tfvars.json"); code != 0 {
		t.Fatalf("apply with an extension attribute failed:\n%s", cli.lastOutput)
	}
	t.Cleanup(func() { cli.run("destroy", "-auto-approve", "-input=false", "-no-color", "-var-file=test.tfvars.json") })
	if _, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var-file=test.tfvars.json"); code != 0 {
		t.Errorf("the plan after apply is not empty (exit %d):\n%s", code, cli.lastOutput)
	}
	var spID string
	cli.outputJSON("service_principal_id", &spID)
	jobs := jobIDs(t, spID)
	if len(jobs) != 1 {
		t.Fatalf("jobs of the new application: %v", jobs)
	}
	raw, err := findJobSchemaRaw(t.Context(), portal, spID, jobs[0])
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), `"name":"`+ext.Name+`"`); n != 2 { // the definition and the mapping's source
		t.Errorf("the job schema names %s %d times, want 2 (definition and mapping)", ext.Name, n)
	}

	misspelt := strings.TrimSuffix(ext.Name, "Center") + "Centre"
	out, code = planNewApplication(t, withSource(misspelt), vars)
	if code == 0 || !strings.Contains(oneLine(out), fmt.Sprintf(`%q is not an attribute of source object "User". Did you mean %q?`, misspelt, ext.Name)) {
		t.Fatalf("a misspelt extension attribute: exit %d\n%s", code, out)
	}
}
