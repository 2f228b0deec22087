package syncschema

import (
	"strings"
	"testing"
)

// seedOverlays are the four seed configurations' overlays.
func seedOverlays(t *testing.T) map[string]Overlay {
	return map[string]Overlay{
		"myPolicies": myPoliciesOverlay(), "MetaCompliance": metaComplianceOverlay(t), "Apty": aptyOverlay(),
		"&Money advisors": andMoneyOverlay(false), "&Money rooms": andMoneyOverlay(true),
	}
}

// TestCheckPlanSeedsClean: no false positives on the seed configurations,
// with and without a template.
func TestCheckPlanSeedsClean(t *testing.T) {
	for name, o := range seedOverlays(t) {
		for _, tmpl := range []*Schema{nil, template(t)} {
			errs, _, deferred := CheckPlan(tmpl, o, TenantAttributes{}, nil, nil)
			if len(errs) > 0 {
				t.Errorf("%s (template %v): %v", name, tmpl != nil, errs)
			}
			if (tmpl == nil) != (len(deferred) > 0) {
				t.Errorf("%s (template %v): deferred = %q", name, tmpl != nil, deferred)
			}
		}
	}
}

// TestCheckPlanSourceTyposMatchCheck: every kind of source-attribute typo
// is found without a template, with exactly the diagnostic Check gives
// against the real template (same path, summary and detail).
func TestCheckPlanSourceTyposMatchCheck(t *testing.T) {
	cases := map[string]func(o *Overlay){
		"source": func(o *Overlay) {
			o.ObjectMappings["User"].AttributeMappings["userName"] = AttributeMapping{Source: "userPrincipleName", MatchingPriority: 1}
		},
		"expression reference": func(o *Overlay) {
			o.ObjectMappings["User"].AttributeMappings["name.formatted"] = AttributeMapping{Expression: `Join(" ", [givenNme], [surname])`}
		},
		"scoping clause": func(o *Overlay) {
			om := o.ObjectMappings["User"]
			om.ScopingFilter = []FilterGroup{clause("departmnt", "EQUALS", "Sales")}
			o.ObjectMappings["User"] = om
		},
	}
	for name, typo := range cases {
		t.Run(name, func(t *testing.T) {
			o := myPoliciesOverlay()
			typo(&o)
			planErrs, _, _ := CheckPlan(nil, o, TenantAttributes{}, nil, nil)
			applyErrs, _ := Check(template(t), o, nil, nil)
			if len(planErrs) != 1 || len(applyErrs) != 1 || planErrs[0] != applyErrs[0] {
				t.Fatalf("plan %v\napply %v\nwant the same single error", planErrs, applyErrs)
			}
			if !strings.Contains(strings.ToLower(planErrs[0].Detail), "did you mean") {
				t.Errorf("no suggestion: %v", planErrs[0])
			}
		})
	}
}

// TestCheckPlanTargets: a target typo is an error with the template, and
// without one it is deferred (named in deferred, not an error).
func TestCheckPlanTargets(t *testing.T) {
	o := aptyOverlay()
	o.ObjectMappings["User"].AttributeMappings["displayNme"] = AttributeMapping{Source: "displayName"}
	o.TargetAttributes = map[string]map[string]TargetAttribute{enterpriseUser: {"userName": {Required: ptr(true)}}}

	errs, _, deferred := CheckPlan(nil, o, TenantAttributes{}, nil, nil)
	if len(errs) != 0 {
		t.Fatalf("without a template: %v", errs)
	}
	joined := strings.Join(deferred, "\n")
	for _, want := range []string{`"displayNme"`, `"userName"`, `target_attributes["` + enterpriseUser + `"]`} {
		if !strings.Contains(joined, want) {
			t.Errorf("deferred %q lacks %s", deferred, want)
		}
	}
	errs, _, deferred = CheckPlan(template(t), o, TenantAttributes{}, nil, nil)
	if len(errs) != 1 || errs[0].Summary != "Unknown target attribute" || !strings.Contains(errs[0].Detail, `"displayName"`) || deferred != nil {
		t.Fatalf("with the scim template: %v (deferred %q)", errs, deferred)
	}
}

// TestCheckPlanUnknownSourceObjectDeferred: an object the Entra ID
// directory lacks is left to the template, not rejected.
func TestCheckPlanUnknownSourceObjectDeferred(t *testing.T) {
	o := Overlay{ObjectMappings: map[string]ObjectMapping{"Contact": {Enabled: ptr(true)}}}
	errs, _, deferred := CheckPlan(nil, o, TenantAttributes{}, nil, nil)
	if len(errs) != 0 || len(deferred) != 1 || !strings.Contains(deferred[0], `"Contact"`) {
		t.Fatalf("errs %v deferred %q", errs, deferred)
	}
}

const costCenter = "extension_4d405aa8baa04fb494d3e0571fd9fd71_costCenter"

func tenantWithExtras() TenantAttributes {
	return TenantAttributes{
		Extensions:         []ExtensionAttribute{{Name: costCenter, DataType: "String", TargetObjects: []string{"User"}}},
		ExtensionsRead:     true,
		CustomSecurity:     []CustomSecurityAttribute{{ID: "Engineering_Project", Type: "String"}},
		CustomSecurityRead: true,
	}
}

func extrasOverlay(ext, csa string) Overlay {
	o := aptyOverlay()
	o.ObjectMappings["User"].AttributeMappings["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter"] = AttributeMapping{Source: ext}
	o.ObjectMappings["User"].AttributeMappings["title"] = AttributeMapping{Expression: "Append([" + csa + `], "")`}
	return o
}

// TestCheckPlanTenantAttributes: directory extensions and custom security
// attributes pass when the tenant has them, fail with a suggestion when it
// does not, and pass unchecked when the tenant's list could not be read.
func TestCheckPlanTenantAttributes(t *testing.T) {
	existing := extrasOverlay(costCenter, "CustomSecurityAttributes.Engineering_Project")
	for _, tmpl := range []*Schema{nil, template(t)} {
		if errs, _, _ := CheckPlan(tmpl, existing, tenantWithExtras(), nil, nil); len(errs) != 0 {
			t.Errorf("existing tenant attributes rejected (template %v): %v", tmpl != nil, errs)
		}
	}
	if errs, _, _ := CheckPlan(nil, existing, TenantAttributes{}, nil, nil); len(errs) != 0 {
		t.Errorf("unreadable tenant lists must not reject: %v", errs)
	}
	typos := extrasOverlay(costCenter+"s", "CustomSecurityAttributes.Engineering_Projet")
	errs, _, _ := CheckPlan(nil, typos, tenantWithExtras(), nil, nil)
	if len(errs) != 2 || !strings.Contains(errs[0].Detail+errs[1].Detail, `Did you mean "`+costCenter+`"`) ||
		!strings.Contains(errs[0].Detail+errs[1].Detail, "[CustomSecurityAttributes.Engineering_Project]") {
		t.Fatalf("typos in tenant attributes: %v", errs)
	}
	if ext, csa := TenantLookups(existing); !ext || !csa {
		t.Errorf("TenantLookups = %v, %v", ext, csa)
	}
	if ext, csa := TenantLookups(aptyOverlay()); ext || csa {
		t.Errorf("Apty needs no tenant lists: %v, %v", ext, csa)
	}
}

// TestWithTenantSourceAttributes adds the used extension's definition once,
// to the User object of the source directory, leaving the input untouched.
func TestWithTenantSourceAttributes(t *testing.T) {
	o := extrasOverlay(costCenter, "CustomSecurityAttributes.Engineering_Project")
	s := template(t)
	got := WithTenantSourceAttributes(s, o, tenantWithExtras())
	rule, mapping := got.findObjectMapping("User")
	user := got.sourceObject(rule, mapping)
	for _, name := range []string{costCenter, "CustomSecurityAttributes.Engineering_Project"} {
		if def := attribute(user, name); def == nil || def["type"] != "String" {
			t.Errorf("%s not defined on User: %v", name, def)
		}
		if attribute(s.sourceObject(s.findObjectMapping("User")), name) != nil {
			t.Errorf("the input schema was modified")
		}
	}
	if again := WithTenantSourceAttributes(got, o, tenantWithExtras()); again != got {
		t.Errorf("a schema that already defines them must come back unchanged")
	}
	if _, err := Apply(got, o, nil); err != nil {
		t.Errorf("Apply: %v", err)
	}
	if errs := Validate(got, o, nil, nil); len(errs) != 0 {
		t.Errorf("Validate after adding the definitions: %v", errs)
	}
}
