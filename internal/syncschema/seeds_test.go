package syncschema

import (
	"reflect"
	"sort"
	"testing"
)

// The four seed guides expressed as overlays.

func myPoliciesOverlay() Overlay {
	return Overlay{ObjectMappings: map[string]ObjectMapping{
		"User": {Enabled: ptr(true), AttributeMappings: map[string]AttributeMapping{
			"userName":                          {Source: "userPrincipalName", MatchingPriority: 1},
			"active":                            {Expression: activeSwitch},
			`emails[type eq "work"].value`:      {Source: "mail"},
			"name.givenName":                    {Source: "givenName"},
			"name.familyName":                   {Source: "surname"},
			"name.formatted":                    {Expression: `Join(" ", [givenName], [surname])`, Apply: "always"},
			"externalId":                        {Source: "objectId"},
			`addresses[type eq "work"].country`: {Source: "country", DefaultValue: ptr("DK")},
			enterpriseUser + ":manager":         {Source: "manager"},
		}},
		"Group": {Enabled: ptr(false)},
	}}
}

// metaComplianceDeleted are the template mappings the MetaCompliance guide deletes.
var metaComplianceDeleted = []string{
	"displayName",
	`phoneNumbers[type eq "work"].value`,
	`phoneNumbers[type eq "mobile"].value`,
	`phoneNumbers[type eq "fax"].value`,
	enterpriseUser + ":employeeNumber",
}

func metaComplianceOverlay(t testing.TB) Overlay {
	mappings := ExtractAll(template(t)).ObjectMappings["User"].AttributeMappings
	for _, name := range metaComplianceDeleted {
		if _, ok := mappings[name]; !ok {
			t.Fatalf("template has no %q mapping", name)
		}
		delete(mappings, name)
	}
	return Overlay{
		ObjectMappings: map[string]ObjectMapping{"User": {
			ScopingFilter: []FilterGroup{
				{Clauses: []FilterClause{
					{Attribute: "accountEnabled", Operator: "IS TRUE"},
					{Attribute: "department", Operator: "NOT EQUALS", Values: []string{"Contractors"}},
				}},
				{Clauses: []FilterClause{{Attribute: "extensionAttribute1", Operator: "EQUALS", Values: []string{"MetaCompliance"}}}},
			},
			AttributeMappings: mappings,
		}},
		TargetAttributes: map[string]map[string]TargetAttribute{
			enterpriseUser: {
				"id":                           {Required: ptr(true)},
				`emails[type eq "work"].value`: {Required: ptr(true)},
				"userName":                     {Required: ptr(true)},
				"name.givenName":               {Required: ptr(true)},
				"name.familyName":              {Required: ptr(true)},
				"externalId":                   {Required: ptr(true)},
			},
			coreGroup: {"members": {ReferencedObjects: []string{enterpriseUser}}},
		},
	}
}

func aptyOverlay() Overlay {
	return Overlay{ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: map[string]AttributeMapping{
		"userName":    {Source: "userPrincipalName", MatchingPriority: 1},
		"active":      {Expression: activeSwitch},
		"displayName": {Source: "displayName"},
	}}}}
}

func andMoneyOverlay(rooms bool) Overlay {
	m := map[string]AttributeMapping{
		"active":                              {Expression: activeSwitch},
		"userName":                            {Source: "userPrincipalName", MatchingPriority: 1},
		"displayName":                         {Source: "displayName"},
		`addresses[type eq "work"].formatted`: {Source: "physicalDeliveryOfficeName"},
		"externalId":                          {Source: "objectId"},
	}
	if !rooms {
		m["name.givenName"] = AttributeMapping{Source: "givenName"}
		m["name.familyName"] = AttributeMapping{Source: "surname"}
	}
	return Overlay{ObjectMappings: map[string]ObjectMapping{"User": {Enabled: ptr(true), AttributeMappings: m}}}
}

func sortedCopy(a []string) []string {
	b := append([]string(nil), a...)
	sort.Strings(b)
	return b
}

func TestSeedScenarios(t *testing.T) {
	tests := []struct {
		name    string
		overlay func(t testing.TB) Overlay
		check   func(t *testing.T, orig, got *Schema)
	}{
		{"myPolicies", func(testing.TB) Overlay { return myPoliciesOverlay() }, checkMyPolicies},
		{"MetaCompliance", metaComplianceOverlay, checkMetaCompliance},
		{"Apty", func(testing.TB) Overlay { return aptyOverlay() }, checkApty},
		{"&Money advisors", func(testing.TB) Overlay { return andMoneyOverlay(false) }, checkAndMoney(false)},
		{"&Money rooms", func(testing.TB) Overlay { return andMoneyOverlay(true) }, checkAndMoney(true)},
	}
	for _, tt := range tests {
		for schemaName, orig := range bothSchemas(t) {
			t.Run(tt.name+"/"+schemaName, func(t *testing.T) {
				o := tt.overlay(t)
				if diags := Validate(orig, o, nil, nil); len(diags) > 0 {
					t.Fatalf("Validate reported problems for a valid seed overlay: %v", diags)
				}
				before, _ := orig.MarshalJSON()
				got := mustApply(t, orig, o)
				after, _ := orig.MarshalJSON()
				if string(before) != string(after) {
					t.Fatal("Apply modified its input schema")
				}
				tt.check(t, orig, got)
				// Applying again changes nothing, and the result reads back as the overlay.
				again := mustApply(t, got, o)
				if a, b := mustJSON(t, got.doc), mustJSON(t, again.doc); a != b {
					t.Error("a second Apply of the same overlay changed the schema")
				}
				if back := Extract(got, &o); !reflect.DeepEqual(back, o) {
					t.Errorf("Extract after Apply differs from the overlay:\n got %+v\nwant %+v", back, o)
				}
			})
		}
	}
}

func checkMyPolicies(t *testing.T, orig, got *Schema) {
	user := mappingsByName(userMapping(t, got, "User"))
	if len(user) != 9 {
		t.Fatalf("User has %d mappings, want 9: %v", len(user), targetNames(userMapping(t, got, "User")))
	}
	if src := user["externalId"]["source"].(map[string]any); str(src, "name") != "objectId" || str(src, "type") != "Attribute" {
		t.Errorf("externalId source = %v, want Attribute objectId", src)
	}
	if dv := user[`addresses[type eq "work"].country`]["defaultValue"]; dv != "DK" {
		t.Errorf("country defaultValue = %v, want DK", dv)
	}
	// Unchanged template mappings keep their exact JSON (no churn to Graph).
	origUser := mappingsByName(userMapping(t, orig, "User"))
	for _, name := range []string{"userName", "active", "name.formatted", enterpriseUser + ":manager"} {
		if !reflect.DeepEqual(user[name], origUser[name]) {
			t.Errorf("%s was rewritten although its meaning did not change:\n got %v\nwant %v", name, user[name], origUser[name])
		}
	}
	if enabled := userMapping(t, got, "Group")["enabled"]; enabled != false {
		t.Errorf("Group enabled = %v, want false", enabled)
	}
}

func checkMetaCompliance(t *testing.T, orig, got *Schema) {
	um := userMapping(t, got, "User")
	names := targetNames(um)
	wantNames := targetNames(userMapping(t, orig, "User"))
	wantNames = removeAll(wantNames, metaComplianceDeleted)
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("User mappings = %v\nwant (template order, deletions removed) %v", names, wantNames)
	}
	origByName := mappingsByName(userMapping(t, orig, "User"))
	for name, m := range mappingsByName(um) {
		if !reflect.DeepEqual(m, origByName[name]) {
			t.Errorf("kept mapping %s changed: %v", name, m)
		}
	}
	scope := um["scope"].(map[string]any)
	groups := objects(scope["groups"])
	if len(groups) != 2 || str(groups[0], "name") != "Scoping filter 1" || str(groups[1], "name") != "Scoping filter 2" {
		t.Fatalf("scope.groups = %v, want two groups named Scoping filter 1/2", mustJSON(t, scope["groups"]))
	}
	wantClause := `{"operatorName":"NOT EQUALS","sourceOperandName":"department","targetOperand":{"values":["Contractors"]}}`
	if c := mustJSON(t, objects(groups[0]["clauses"])[1]); c != wantClause {
		t.Errorf("clause = %s, want %s", c, wantClause)
	}
	// The other filter groups of the original scope (if any) survive.
	if origScope, ok := userMapping(t, orig, "User")["scope"].(map[string]any); ok {
		for _, k := range []string{"inputFilterGroups", "categoryFilterGroups", "futureScopeField"} {
			if !reflect.DeepEqual(scope[k], origScope[k]) {
				t.Errorf("scope.%s changed: %v", k, scope[k])
			}
		}
	}
	user := got.targetObject(enterpriseUser)
	for _, name := range []string{"id", `emails[type eq "work"].value`, "userName", "name.givenName", "name.familyName", "externalId"} {
		if attribute(user, name)["required"] != true {
			t.Errorf("%s is not required", name)
		}
	}
	if attribute(user, "title")["required"] != false {
		t.Error("title became required although not declared")
	}
	members := attribute(got.targetObject(coreGroup), "members")
	if refs := referencedNames(objects(members["referencedObjects"])); !reflect.DeepEqual(refs, []string{enterpriseUser}) {
		t.Errorf("members referencedObjects = %v, want only the enterprise User", refs)
	}
}

func checkApty(t *testing.T, orig, got *Schema) {
	names := targetNames(userMapping(t, got, "User"))
	if want := []string{"userName", "active", "displayName"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("User mappings = %v, want %v", names, want)
	}
	origByName := mappingsByName(userMapping(t, orig, "User"))
	for name, m := range mappingsByName(userMapping(t, got, "User")) {
		if !reflect.DeepEqual(m, origByName[name]) {
			t.Errorf("%s changed although it was only kept: %v", name, m)
		}
	}
	if !reflect.DeepEqual(userMapping(t, got, "Group"), userMapping(t, orig, "Group")) {
		t.Error("the Group mapping changed although the overlay does not mention it")
	}
}

func checkAndMoney(rooms bool) func(t *testing.T, orig, got *Schema) {
	return func(t *testing.T, orig, got *Schema) {
		want := []string{"active", "userName", "displayName", `addresses[type eq "work"].formatted`, "externalId"}
		if !rooms {
			want = append(want, "name.givenName", "name.familyName")
		}
		names := targetNames(userMapping(t, got, "User"))
		if !reflect.DeepEqual(sortedCopy(names), sortedCopy(want)) {
			t.Fatalf("User mappings = %v, want %v", names, want)
		}
		m := mappingsByName(userMapping(t, got, "User"))
		if src := m["externalId"]["source"].(map[string]any); str(src, "name") != "objectId" {
			t.Errorf("externalId maps from %v, want objectId", src["name"])
		}
		if src := m[`addresses[type eq "work"].formatted`]["source"].(map[string]any); str(src, "name") != "physicalDeliveryOfficeName" {
			t.Errorf("office address maps from %v", src["name"])
		}
		if !EquivalentExpression(activeSwitch, str(m["active"]["source"].(map[string]any), "expression")) {
			t.Errorf("active expression = %v", m["active"]["source"])
		}
	}
}

func removeAll(list, drop []string) []string {
	var out []string
	for _, s := range list {
		keep := true
		for _, d := range drop {
			if s == d {
				keep = false
			}
		}
		if keep {
			out = append(out, s)
		}
	}
	return out
}
