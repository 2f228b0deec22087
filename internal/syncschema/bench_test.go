package syncschema

import (
	"fmt"
	"testing"
)

// bigOverlay maps 60 target attributes of the enterprise User (53 existing
// plus 7 added through target_attributes) from a mix of plain sources,
// constants and expressions, with 5 scoping groups.
func bigOverlay(t testing.TB, s *Schema) Overlay {
	targets := attributeNames(s.targetObject(enterpriseUser))
	sources := attributeNames(object(s.directory("Azure Active Directory"), "User"))
	added := map[string]TargetAttribute{}
	for i := 0; len(targets) < 60; i++ {
		name := fmt.Sprintf("urn:ietf:params:scim:schemas:extension:bench:2.0:User:attr%d", i)
		added[name] = TargetAttribute{Type: ptr("String")}
		targets = append(targets, name)
	}
	mappings := map[string]AttributeMapping{}
	for i, target := range targets {
		src := sources[i%len(sources)]
		switch {
		case target == "userName":
			mappings[target] = AttributeMapping{Source: "userPrincipalName", MatchingPriority: 1}
		case target == "active":
			mappings[target] = AttributeMapping{Expression: activeSwitch}
		case i%5 == 0:
			mappings[target] = AttributeMapping{Expression: fmt.Sprintf(`Join(" ", [%s], [surname])`, src), Apply: ApplyAlways}
		case i%7 == 0:
			mappings[target] = AttributeMapping{Constant: "fixed", Apply: ApplyOnCreate}
		default:
			mappings[target] = AttributeMapping{Source: src, DefaultValue: ptr("n/a")}
		}
	}
	var groups []FilterGroup
	for i := 0; i < 5; i++ {
		groups = append(groups, FilterGroup{Clauses: []FilterClause{
			{Attribute: "department", Operator: "EQUALS", Values: []string{fmt.Sprintf("Dept %d", i)}},
			{Attribute: "accountEnabled", Operator: "IS TRUE"},
			{Attribute: "mail", Operator: "REGEX MATCH", Values: []string{`^.*@example\.com$`}},
		}})
	}
	return Overlay{
		ObjectMappings:   map[string]ObjectMapping{"User": {Enabled: ptr(true), ScopingFilter: groups, AttributeMappings: mappings}},
		TargetAttributes: map[string]map[string]TargetAttribute{enterpriseUser: added},
	}
}

func TestBigOverlayIsValidAndStable(t *testing.T) {
	s := template(t)
	o := bigOverlay(t, s)
	if n := len(o.ObjectMappings["User"].AttributeMappings); n != 60 {
		t.Fatalf("overlay has %d mappings, want 60", n)
	}
	if diags := Validate(s, o, nil, nil); diags != nil {
		t.Fatalf("diagnostics: %v", diags)
	}
	applied := mustApply(t, s, o)
	if got := len(objects(userMapping(t, applied, "User")["attributeMappings"])); got != 60 {
		t.Errorf("applied schema has %d mappings, want 60", got)
	}
	if !EquivalentSchemas(applied, mustApply(t, applied, o)) {
		t.Error("re-applying the same overlay is not a no-op")
	}
}

// BenchmarkApplyValidate is what a plan does: validate the configuration
// against the job's schema and compute the schema to PUT.
func BenchmarkApplyValidate(b *testing.B) {
	s := template(b)
	o := bigOverlay(b, s)
	b.ReportAllocs()
	for b.Loop() {
		if d := Validate(s, o, nil, nil); d != nil {
			b.Fatal(d)
		}
		if _, err := Apply(s, o, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefresh is the steady state: the schema already matches, so a
// refresh extracts and compares without rewriting anything.
func BenchmarkRefresh(b *testing.B) {
	s := template(b)
	o := bigOverlay(b, s)
	applied := mustApply(b, s, o)
	b.ReportAllocs()
	for b.Loop() {
		_ = Extract(applied, &o)
		out, err := Apply(applied, o, nil)
		if err != nil {
			b.Fatal(err)
		}
		if !EquivalentSchemas(applied, out) {
			b.Fatal("not equivalent")
		}
	}
}
