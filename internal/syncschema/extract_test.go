package syncschema

import (
	"reflect"
	"testing"
)

func TestExtractAllIsTidyAndRoundTrips(t *testing.T) {
	for name, s := range bothSchemas(t) {
		t.Run(name, func(t *testing.T) {
			all := ExtractAll(s)
			user := all.ObjectMappings["User"]
			if user.Enabled == nil || !*user.Enabled || user.ScopingFilter != nil || user.TargetObject != "" {
				t.Errorf("User = enabled %v, scoping %v, target %q; want enabled true and nothing else", user.Enabled, user.ScopingFilter, user.TargetObject)
			}
			if got, want := user.AttributeMappings["userName"], (AttributeMapping{Source: "userPrincipalName", MatchingPriority: 1}); !reflect.DeepEqual(got, want) {
				t.Errorf("userName = %+v, want %+v", got, want)
			}
			if got := user.AttributeMappings["active"]; got.Expression != activeSwitch || got.Source != "" {
				t.Errorf("active = %+v, want expression %s", got, activeSwitch)
			}
			if got := user.AttributeMappings["name.formatted"].Expression; got != `Join(" ", [givenName], [surname])` {
				t.Errorf("name.formatted expression = %s", got)
			}
			if len(user.AttributeMappings) != 22 || len(all.ObjectMappings["Group"].AttributeMappings) != 3 {
				t.Errorf("mapping counts = %d/%d, want 22/3", len(user.AttributeMappings), len(all.ObjectMappings["Group"].AttributeMappings))
			}
			// Applying what was extracted sends nothing new.
			again := mustApply(t, s, all)
			if mustJSON(t, again.doc) != mustJSON(t, s.doc) {
				t.Error("Apply(ExtractAll(s)) changed the schema")
			}
		})
	}
}

func TestExtractKeepsDeclaredSpelling(t *testing.T) {
	s := template(t)
	_, user := s.findObjectMapping("User")
	mappingsByName(user)["title"]["flowType"] = "ObjectAddOnly"
	mappingsByName(user)["displayName"]["defaultValue"] = ""

	declared := Overlay{
		ObjectMappings: map[string]ObjectMapping{
			"User": {AttributeMappings: map[string]AttributeMapping{
				"name.formatted":               {Expression: `Join( " ",[givenName] , [surname] )`},
				`emails[type eq "work"].value`: {Expression: "[mail]"},
				"title":                        {Source: "jobTitle"},                                   // apply unmanaged
				"displayName":                  {Source: "displayName", DefaultValue: ptr("")},         // "" vs "" kept
				"userName":                     {Source: "mail", MatchingPriority: 2, Apply: "always"}, // differs
			}},
			"Contact": {Enabled: ptr(true)}, // not in the schema
		},
		TargetAttributes: map[string]map[string]TargetAttribute{
			coreGroup:      {"members": {ReferencedObjects: []string{coreGroup, enterpriseUser}, Type: ptr("Reference")}},
			"Device":       {"x": {Required: ptr(true)}},
			enterpriseUser: {"nope": {Required: ptr(true)}},
		},
	}
	got := Extract(s, &declared)
	if _, ok := got.ObjectMappings["Contact"]; ok {
		t.Error("a missing object mapping was reported")
	}
	am := got.ObjectMappings["User"].AttributeMappings
	want := map[string]AttributeMapping{
		"name.formatted":               declared.ObjectMappings["User"].AttributeMappings["name.formatted"],
		`emails[type eq "work"].value`: {Expression: "[mail]"},
		"title":                        {Source: "jobTitle"},
		"displayName":                  {Source: "displayName", DefaultValue: ptr("")},
		"userName":                     {Source: "userPrincipalName", MatchingPriority: 1, Apply: "always"},
	}
	for k, w := range want {
		if !reflect.DeepEqual(am[k], w) {
			t.Errorf("%s = %+v, want %+v", k, am[k], w)
		}
	}
	if len(am) != 22 {
		t.Errorf("extracted %d mappings, want all 22 present so removals show as a diff", len(am))
	}
	if got.ObjectMappings["User"].Enabled != nil || got.ObjectMappings["User"].ScopingFilter != nil {
		t.Error("undeclared enabled/scoping_filter were extracted")
	}
	members := got.TargetAttributes[coreGroup]["members"]
	if !reflect.DeepEqual(members.ReferencedObjects, []string{coreGroup, enterpriseUser}) || *members.Type != "Reference" || members.Required != nil {
		t.Errorf("members = %+v", members)
	}
	if _, ok := got.TargetAttributes["Device"]; ok {
		t.Error("unknown target object extracted")
	}
	if _, ok := got.TargetAttributes[enterpriseUser]["nope"]; ok {
		t.Error("missing attribute extracted")
	}

	// on_create reads back when apply is managed.
	declared.ObjectMappings["User"].AttributeMappings["title"] = AttributeMapping{Source: "jobTitle", Apply: "always"}
	if a := Extract(s, &declared).ObjectMappings["User"].AttributeMappings["title"].Apply; a != ApplyOnCreate {
		t.Errorf("title apply = %q, want on_create", a)
	}
}

func TestDiffFromTemplate(t *testing.T) {
	tmpl := template(t)
	o := metaComplianceOverlay(t)
	o.TargetAttributes[enterpriseUser]["urn:ietf:params:scim:schemas:extension:mypolicies:2.0:User:costCenter"] = TargetAttribute{Type: ptr("Integer")}
	current := mustApply(t, tmpl, o)

	got := DiffFromTemplate(current, tmpl)
	want := map[string]map[string]TargetAttribute{
		enterpriseUser: {
			"id":                           {Required: ptr(true)},
			`emails[type eq "work"].value`: {Required: ptr(true)},
			"name.givenName":               {Required: ptr(true)},
			"name.familyName":              {Required: ptr(true)},
			"externalId":                   {Required: ptr(true)},
			// userName is required in the template already: not an edit.
			"urn:ietf:params:scim:schemas:extension:mypolicies:2.0:User:costCenter": {Required: ptr(false), Type: ptr("Integer"), Multivalued: ptr(false)},
		},
		coreGroup: {"members": {ReferencedObjects: []string{enterpriseUser}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DiffFromTemplate =\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
	}
	if d := DiffFromTemplate(tmpl, tmpl); len(d) != 0 {
		t.Errorf("template vs itself = %v, want no edits", d)
	}

	// Import flow: ExtractAll + DiffFromTemplate applied to the template
	// reproduces the current schema.
	imported := ExtractAll(current)
	imported.TargetAttributes = got
	if rebuilt := mustApply(t, tmpl, imported); !EquivalentSchemas(rebuilt, current) {
		t.Error("applying the imported overlay to the template does not reproduce the current schema")
	}
}

func TestExtractEdgeCases(t *testing.T) {
	s := template(t)
	_, user := s.findObjectMapping("User")
	byName := mappingsByName(user)
	byName["title"]["source"] = map[string]any{"type": "Constant", "name": "Engineer", "expression": `"Engineer"`, "parameters": []any{}}
	byName["preferredLanguage"]["source"] = map[string]any{"type": "Constant", "name": "", "expression": `""`, "parameters": []any{}}
	byName["name.givenName"]["source"] = map[string]any{"type": "Function", "name": "NoSuchFunction", "expression": "NoSuchFunction([givenName])", "parameters": "garbage"}

	got := ExtractAll(s).ObjectMappings["User"].AttributeMappings
	if m := got["title"]; m.Constant != "Engineer" || m.Source != "" || m.Expression != "" {
		t.Errorf("constant mapping = %+v, want constant Engineer", m)
	}
	if m := got["preferredLanguage"]; m.Expression != `""` {
		t.Errorf("empty constant = %+v, want expression \"\" (constant \"\" would mean unset)", m)
	}
	if m := got["name.givenName"]; m.Expression != "NoSuchFunction([givenName])" {
		t.Errorf("undecodable source = %+v, want Graph's expression text", m)
	}

	declared := Overlay{ObjectMappings: map[string]ObjectMapping{"User": {
		TargetObject:      "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER",
		AttributeMappings: map[string]AttributeMapping{"USERNAME": {Source: "userPrincipalName", MatchingPriority: 1}},
	}}}
	om := Extract(s, &declared).ObjectMappings["User"]
	if om.TargetObject != declared.ObjectMappings["User"].TargetObject {
		t.Errorf("target object = %q, want the declared spelling for a case-only difference", om.TargetObject)
	}
	if _, ok := om.AttributeMappings["USERNAME"]; !ok {
		t.Errorf("mapping keys = %v, want USERNAME under its declared spelling", sortedKeys(om.AttributeMappings))
	}
}

func TestApplyTargetObject(t *testing.T) {
	o := Overlay{ObjectMappings: map[string]ObjectMapping{"Group": {TargetObject: enterpriseUser, Enabled: ptr(true)}}}
	got := mustApply(t, template(t), o)
	if g := userMapping(t, got, "Group"); g["targetObjectName"] != enterpriseUser || g["enabled"] != true {
		t.Errorf("Group mapping target/enabled = %v/%v", g["targetObjectName"], g["enabled"])
	}
	if back := Extract(got, &o); !reflect.DeepEqual(back, o) {
		t.Errorf("Extract = %+v, want %+v", back, o)
	}
}

// TestExtractUnaryClauseHasNoValues: a clause without values reads back
// with nil Values (generate-config writes no `values = []`), while a
// configuration that wrote `values = []` keeps its spelling.
func TestExtractUnaryClauseHasNoValues(t *testing.T) {
	s := mustApply(t, template(t), userScope(clause("accountEnabled", "IS TRUE"), clause("department", "EQUALS", "Sales")))
	got := ExtractAll(s).ObjectMappings["User"].ScopingFilter
	if len(got) != 2 || got[0].Clauses[0].Values != nil || len(got[1].Clauses[0].Values) != 1 {
		t.Fatalf("ExtractAll scoping filter = %#v, want nil values for IS TRUE and [Sales] for EQUALS", got)
	}
	declared := userScope(FilterGroup{Clauses: []FilterClause{{Attribute: "accountEnabled", Operator: "IS TRUE", Values: []string{}}}},
		clause("department", "EQUALS", "Sales"))
	kept := Extract(s, &declared).ObjectMappings["User"].ScopingFilter
	if kept[0].Clauses[0].Values == nil || len(kept[0].Clauses[0].Values) != 0 {
		t.Errorf("Extract dropped the declared empty values: %#v", kept)
	}
}
