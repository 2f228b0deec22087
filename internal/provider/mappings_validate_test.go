package provider

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

func TestSchemaDiagnosticPathPointsAtTheEntry(t *testing.T) {
	tests := map[string]path.Path{
		`object_mappings["User"].scoping_filter[1].clauses[0].operator`:                            path.Root("object_mappings").AtMapKey("User"),
		`object_mappings["Group"].attribute_mappings["emails[type eq \"work\"].value"].expression`: path.Root("object_mappings").AtMapKey("Group"),
		`object_mappings["Users"]`:                  path.Root("object_mappings").AtMapKey("Users"),
		`target_attributes["urn:x:User"]["a"].type`: path.Root("target_attributes").AtMapKey("urn:x:User"),
		`object_mappings[broken`:                    path.Root("object_mappings"),
		`target_attributes`:                         path.Root("target_attributes"),
	}
	for p, want := range tests {
		if got := schemaDiagnosticPath(syncschema.Diagnostic{Path: p}); !got.Equal(want) {
			t.Errorf("%s → %s, want %s", p, got, want)
		}
	}
}

// overlayValue builds an object_mappings value the way a configuration
// would hold it.
func overlayValue(t *testing.T, oms map[string]syncschema.ObjectMapping) types.Map {
	t.Helper()
	v, d := objectMappingsToTF(context.Background(), oms, types.MapNull(objectMappingElemType))
	if d.HasError() {
		t.Fatalf("building object_mappings: %v", d)
	}
	return v
}

func findDiag(diags diag.Diagnostics, summary string) diag.Diagnostic {
	for _, d := range diags {
		if d.Summary() == summary {
			return d
		}
	}
	return nil
}

// TestOfflineValidationReportsErrorsAndWarningsAtTheirPaths covers
// ValidateConfig's checks: errors block, warnings do not, and each sits on
// the attribute it is about.
func TestOfflineValidationReportsErrorsAndWarningsAtTheirPaths(t *testing.T) {
	ctx := context.Background()
	user := path.Root("object_mappings").AtMapKey("User")
	om := overlayValue(t, map[string]syncschema.ObjectMapping{"User": {
		ScopingFilter: []syncschema.FilterGroup{{Clauses: []syncschema.FilterClause{{Attribute: "department", Operator: "EQUAL", Values: []string{"Sales"}}}}},
		AttributeMappings: map[string]syncschema.AttributeMapping{
			"userName":    {Source: "userPrincipalName"},
			"displayName": {Expression: `Mid([displayName], "one", 8)`},
			"active":      {Expression: `Swich([IsSoftDeleted], , "False", "True")`},
		},
	}})
	diags := validateOverlayOffline(ctx, om, types.DynamicNull())
	if n := diags.ErrorsCount(); n != 2 {
		t.Errorf("%d errors, want 2 (operator, function): %v", n, diags)
	}
	if n := diags.WarningsCount(); n != 2 {
		t.Errorf("%d warnings, want 2 (no matching attribute, Mid's start): %v", n, diags)
	}
	checks := []struct {
		summary string
		warning bool
		at      path.Path
		detail  string
	}{
		{"Unknown filter operator", false, user, `object_mappings["User"].scoping_filter[0].clauses[0].operator: "EQUAL" is not one of the job's filter operators. Did you mean "EQUALS"?`},
		{"Invalid expression", false, user,
			`object_mappings["User"].attribute_mappings["active"].expression: ` +
				"At column 1: `Swich` is not a function; did you mean `Switch`?\n\n  Swich([IsSoftDeleted], , \"False\", \"True\")\n  ^"},
		{"No matching attribute", true, user, `object_mappings["User"].attribute_mappings: None of the attribute mappings has matching_priority > 0`},
		{"Suspicious expression", true, user, `object_mappings["User"].attribute_mappings["displayName"].expression: At column 20: ` + "`Mid` expects an integer for start"},
	}
	for _, c := range checks {
		d := findDiag(diags, c.summary)
		if d == nil {
			t.Errorf("no %q diagnostic in %v", c.summary, diags)
			continue
		}
		withPath, ok := d.(diag.DiagnosticWithPath)
		if !ok || !withPath.Path().Equal(c.at) {
			t.Errorf("%q is not at %s: %v", c.summary, c.at, d)
		}
		if (d.Severity() == diag.SeverityWarning) != c.warning {
			t.Errorf("%q has severity %v, want warning=%v", c.summary, d.Severity(), c.warning)
		}
		if !strings.Contains(d.Detail(), c.detail) {
			t.Errorf("%q detail %q lacks %q", c.summary, d.Detail(), c.detail)
		}
	}
}

// planOutput runs `terraform plan` and returns its combined output and
// exit code, failing only when terraform cannot run at all.
func (c *testCLI) planOutput(args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.Command(testAccTerraformPath(), append([]string{"plan", "-input=false", "-no-color"}, args...)...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+c.reattach, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	} else if err != nil {
		c.t.Fatalf("terraform plan: %v", err)
	}
	return string(out), 0
}

// TestAccMappingWarningsShowAtPlanTime: findings Entra may accept are
// plan-time warnings (once each), both the offline ones (no matching
// attribute, a suspicious expression) and the ones that need the job's
// schema (a multi-valued attribute in a scoping filter, an operator that
// does not fit the attribute's type); the plan still succeeds.
func TestAccMappingWarningsShowAtPlanTime(t *testing.T) {
	testAccJobProviderSource(t)
	spID, jobID := portalJob(t, "acc mapping warnings")
	cli := newTestCLI(t, testAccSchemaConfig(spID, jobID, `
  object_mappings = {
    User = {
      scoping_filter = [
        { clauses = [{ attribute = "proxyAddresses", operator = "EQUALS", values = ["smtp:a@example.com"] }] },
        { clauses = [{ attribute = "department", operator = "IS TRUE" }] },
      ]
      attribute_mappings = {
        "userName"    = { source = "userPrincipalName" }
        "displayName" = { expression = "Mid([displayName], \"one\", 8)" }
      }
    }
  }
`))
	cli.run("init", "-input=false", "-no-color")
	out, code := cli.planOutput()
	if code != 0 {
		t.Fatalf("plan failed (exit %d); warnings must not block:\n%s", code, out)
	}
	for summary, detail := range map[string]string{
		"Multi-valued attribute in a scoping filter": `object_mappings["User"].scoping_filter[0].clauses[0].attribute: "proxyAddresses" is multi-valued`,
		"Operator does not fit the attribute type":   `object_mappings["User"].scoping_filter[1].clauses[0].operator: Operator "IS TRUE" works on Boolean attributes`,
		"No matching attribute":                      `object_mappings["User"].attribute_mappings: None of the attribute mappings has matching_priority > 0`,
		"Suspicious expression":                      "`Mid` expects an integer for start",
	} {
		if !strings.Contains(out, "Warning: "+summary) || !strings.Contains(strings.Join(strings.Fields(out), " "), detail) {
			t.Errorf("plan output lacks the warning %q with %q:\n%s", summary, detail, out)
		}
	}
	if n := strings.Count(out, `object_mappings["User"].attribute_mappings: None of`); n > 2 {
		// terraform validates the configuration in its validate and its plan walk; the provider must not add more.
		t.Errorf("the missing-matching-attribute warning is shown %d times:\n%s", n, out)
	}
	if regexp.MustCompile(`\d+: resource "entra_provisioning_schema"`).MatchString(out) {
		t.Errorf("a warning points at the resource block instead of the object mapping it is about:\n%s", out)
	}
	if !strings.Contains(out, "Plan: 1 to add") {
		t.Errorf("the plan does not create the resource:\n%s", out)
	}
}

// TestAccMappingErrorsPointAtTheProblem: a misspelled function (with the
// column and a caret), and, checked against the job's real schema, an
// unknown scoping attribute, source object, target attribute, filter
// operator and target object each fail the plan with a suggestion.
func TestAccMappingErrorsPointAtTheProblem(t *testing.T) {
	testAccJobProviderSource(t)
	spID, jobID := portalJob(t, "acc mapping errors")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSchemaConfig(spID, jobID, `
  object_mappings = { User = { attribute_mappings = {
    userName = { source = "userPrincipalName", matching_priority = 1 }
    active   = { expression = "Swich([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
  } } }
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile("(?s)Invalid expression.*attribute_mappings\\[\"active\"\\]\\.expression: At column 1:.*`Swich` is not a function; did you mean.*`Switch`\\?.*Swich\\(\\[IsSoftDeleted\\].*\\^"),
			},
			{
				Config: testAccSchemaConfig(spID, jobID, `
  object_mappings = { User = { scoping_filter = [{ clauses = [{ attribute = "departmnt", operator = "EQUALS", values = ["Sales"] }] }] } }
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown source attribute.*13:\s+object_mappings = \{ User = .*scoping_filter\[0\]\.clauses\[0\]\.attribute:\s+"departmnt"\s+is\s+not\s+an\s+attribute\s+of\s+source\s+object\s+"User"\.\s+Did\s+you\s+mean\s+"department"\?`),
			},
			{
				Config: testAccSchemaConfig(spID, jobID, `
  object_mappings = { Users = { enabled = false } }
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown source object.*"Users".*Did\s+you\s+mean\s+"User"\?`),
			},
			{
				Config: testAccSchemaConfig(spID, jobID, `
  object_mappings = { User = { attribute_mappings = {
    userName = { source = "userPrincipalName", matching_priority = 1 }
    usrType  = { source = "userType" }
  } } }
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown target attribute.*"usrType"\s+is\s+not\s+an\s+attribute\s+of\s+target\s+object.*Did\s+you\s+mean\s+"userType"\?.*target_attributes`),
			},
			{
				Config: testAccSchemaConfig(spID, jobID, `
  object_mappings = { User = { scoping_filter = [{ clauses = [{ attribute = "department", operator = "Equals", values = ["Sales"] }] }] } }
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown filter operator.*"Equals".*Did\s+you\s+mean\s+"EQUALS"\?`),
			},
			{
				Config: testAccSchemaConfig(spID, jobID, `
  target_attributes = { "urn:ietf:params:scim:schemas:core:2.0:Grup" = { members = { required = true } } }
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown target object.*Did\s+you\s+mean\s+"urn:ietf:params:scim:schemas:core:2.0:Group"\?`),
			},
		},
	})
}
