package syncschema

import (
	"reflect"
	"strings"
	"testing"
)

// TestApplyPreservesEverythingElse applies a broad overlay to the schema
// carrying unknown fields and enum values at every level, blanks the paths
// the overlay manages in both documents and requires the rest to be equal.
func TestApplyPreservesEverythingElse(t *testing.T) {
	orig := unknowns(t)
	o := metaComplianceOverlay(t)
	o.ObjectMappings["Group"] = ObjectMapping{Enabled: ptr(false)}
	got := mustApply(t, orig, o)

	blank := func(doc map[string]any) {
		s := &Schema{doc: doc}
		_, user := s.findObjectMapping("User")
		user["attributeMappings"] = "<touched>"
		user["scope"].(map[string]any)["groups"] = "<touched>"
		_, group := s.findObjectMapping("Group")
		group["enabled"] = "<touched>"
		for _, name := range []string{"id", `emails[type eq "work"].value`, "userName", "name.givenName", "name.familyName", "externalId"} {
			attribute(s.targetObject(enterpriseUser), name)["required"] = "<touched>"
		}
		attribute(s.targetObject(coreGroup), "members")["referencedObjects"] = "<touched>"
	}
	if a, b := docWithout(t, orig, blank), docWithout(t, got, blank); !jsonEqual(a, b) {
		t.Fatalf("Apply changed JSON outside the paths it manages:\n%s", firstDifference(a, b, ""))
	}

	body, err := got.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, literal := range []string{
		`"bigInt":12345678901234567890`,
		`"flowTypes":"Add, Update, Delete, FutureFlowTypeFlag"`,
		`"discoverabilities":"AttributeNames, AttributeDataTypes, SomeFutureDiscoverability"`,
		`"mutability":"FutureMutability"`,
		`"futureOperandField":"x"`,
		`"includedContainers":["OU=Sales,DC=example,DC=com"]`,
	} {
		if !strings.Contains(string(body), literal) {
			t.Errorf("marshalled schema lost %s", literal)
		}
	}
}

// firstDifference describes where two decoded JSON values first differ.
func firstDifference(a, b any, path string) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path + ": object vs " + mustJSONNoT(b)
		}
		for k := range x {
			if d := firstDifference(x[k], y[k], path+"."+k); d != "" {
				return d
			}
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				return path + "." + k + ": added"
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path + ": array length or type differs"
		}
		for i := range x {
			if d := firstDifference(x[i], y[i], path+"["+itoa(i)+"]"); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return path + ": " + mustJSONNoT(a) + " vs " + mustJSONNoT(b)
	}
	return ""
}

func TestApplyChangedMappingKeepsUnmodelledFields(t *testing.T) {
	orig := unknowns(t)
	// displayName carries flowType FutureFlowType, flowBehavior FlowAlways and
	// futureMappingField; change only its source.
	o := Overlay{ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: map[string]AttributeMapping{
		"displayName": {Expression: `Join(" ", [givenName], [surname])`},
	}}}}
	got := mappingsByName(userMapping(t, mustApply(t, orig, o), "User"))["displayName"]
	if got["flowType"] != "FutureFlowType" || got["flowBehavior"] != "FlowAlways" {
		t.Errorf("flowType/flowBehavior = %v/%v, want the unknown originals kept", got["flowType"], got["flowBehavior"])
	}
	if !reflect.DeepEqual(got["futureMappingField"], map[string]any{"keep": "me"}) {
		t.Errorf("futureMappingField = %v, want kept", got["futureMappingField"])
	}
	src := got["source"].(map[string]any)
	if str(src, "type") != "Function" || str(src, "name") != "Join" {
		t.Errorf("source = %v, want a Join function tree", src)
	}

	// An explicit apply overrides the unknown flowType.
	o.ObjectMappings["User"].AttributeMappings["displayName"] = AttributeMapping{Source: "displayName", Apply: ApplyOnCreate}
	got = mappingsByName(userMapping(t, mustApply(t, orig, o), "User"))["displayName"]
	if got["flowType"] != "ObjectAddOnly" {
		t.Errorf("flowType = %v, want ObjectAddOnly for apply on_create", got["flowType"])
	}
	if _, ok := got["futureMappingField"]; !ok {
		t.Error("futureMappingField dropped when only flowType changed")
	}
}

func TestApplyNewMappingAndAttributeDefaults(t *testing.T) {
	o := Overlay{
		ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: map[string]AttributeMapping{
			"userName":                {Source: "userPrincipalName", MatchingPriority: 1},
			enterpriseUser + ":store": {Constant: "HQ", DefaultValue: ptr("")},
		}}},
		TargetAttributes: map[string]map[string]TargetAttribute{enterpriseUser: {enterpriseUser + ":store": {}}},
	}
	got := mustApply(t, template(t), o)
	m := mappingsByName(userMapping(t, got, "User"))[enterpriseUser+":store"]
	want := `{"defaultValue":null,"exportMissingReferences":false,"flowBehavior":"FlowWhenChanged","flowType":"Always","matchingPriority":0,` +
		`"source":{"expression":"\"HQ\"","name":"HQ","parameters":[],"type":"Constant"},"targetAttributeName":"` + enterpriseUser + `:store"}`
	if j := mustJSON(t, m); j != want {
		t.Errorf("new mapping =\n%s\nwant\n%s", j, want)
	}
	def := attribute(got.targetObject(enterpriseUser), enterpriseUser+":store")
	wantDef := `{"anchor":false,"caseExact":false,"defaultValue":null,"flowNullValues":false,"metadata":[],"multivalued":false,` +
		`"mutability":"ReadWrite","name":"` + enterpriseUser + `:store","referencedObjects":[],"required":false,"type":"String"}`
	if j := mustJSON(t, def); j != wantDef {
		t.Errorf("new attribute =\n%s\nwant\n%s", j, wantDef)
	}
}

func TestApplyAttributeMappingIdentity(t *testing.T) {
	s := template(t)
	_, user := s.findObjectMapping("User")
	list := user["attributeMappings"].([]any)
	// A duplicate Graph accepted (it does not de-duplicate on PUT).
	user["attributeMappings"] = append(list, deepCopy(list[2]))
	o := Overlay{ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: map[string]AttributeMapping{
		"USERNAME":    {Source: "userPrincipalName", MatchingPriority: 1},
		"displayName": {Source: "displayName"},
	}}}}
	got := targetNames(userMapping(t, mustApply(t, s, o), "User"))
	if want := []string{"USERNAME", "displayName"}; !reflect.DeepEqual(got, want) {
		t.Errorf("mappings = %v, want %v (case-insensitive match renamed, duplicate removed)", got, want)
	}
}

func TestApplyScopingFilter(t *testing.T) {
	groupA := FilterGroup{Clauses: []FilterClause{{Attribute: "department", Operator: "EQUALS", Values: []string{"Sales"}}}}
	groupB := FilterGroup{Clauses: []FilterClause{{Attribute: "accountEnabled", Operator: "IS TRUE"}}}
	withScope := func(s *Schema, groups ...FilterGroup) *Schema {
		return mustApply(t, s, Overlay{ObjectMappings: map[string]ObjectMapping{"User": {ScopingFilter: groups}}})
	}
	scopeOf := func(s *Schema) map[string]any {
		sc, _ := userMapping(t, s, "User")["scope"].(map[string]any)
		return sc
	}

	// A null scope stays null when no groups are wanted.
	if sc := scopeOf(withScope(template(t), []FilterGroup{}...)); sc != nil {
		t.Errorf("scope = %v, want null kept", sc)
	}
	ab := withScope(template(t), groupA, groupB)
	if sc := scopeOf(ab); mustJSON(t, sc["inputFilterGroups"]) != "[]" || len(objects(sc["groups"])) != 2 {
		t.Fatalf("new scope = %s", mustJSON(t, sc))
	}
	// Reordering keeps each group's JSON and name.
	ba := withScope(ab, groupB, groupA)
	groups := objects(scopeOf(ba)["groups"])
	if str(groups[0], "name") != "Scoping filter 2" || str(groups[1], "name") != "Scoping filter 1" {
		t.Errorf("reordered group names = %s, %s", str(groups[0], "name"), str(groups[1], "name"))
	}
	// Adding a group next to a kept one does not reuse the kept name.
	bb := withScope(ab, groupB, FilterGroup{Clauses: []FilterClause{{Attribute: "mail", Operator: "IS NOT NULL"}}})
	groups = objects(scopeOf(bb)["groups"])
	if str(groups[0], "name") != "Scoping filter 2" || str(groups[1], "name") != "Scoping filter 2 (2)" {
		t.Errorf("group names = %q, %q; want unique names", str(groups[0], "name"), str(groups[1], "name"))
	}
	// Removing all groups keeps the other filter kinds.
	u := unknowns(t)
	cleared := scopeOf(withScope(withScope(u, groupA), []FilterGroup{}...))
	if mustJSON(t, cleared["groups"]) != "[]" || !reflect.DeepEqual(cleared["inputFilterGroups"], scopeOf(u)["inputFilterGroups"]) {
		t.Errorf("cleared scope = %s", mustJSON(t, cleared))
	}
}

func TestApplyErrors(t *testing.T) {
	tests := []struct {
		name string
		o    Overlay
		want string
	}{
		{"unknown source object", Overlay{ObjectMappings: map[string]ObjectMapping{"Contact": {Enabled: ptr(true)}}},
			`object_mappings["Contact"]: the schema has no object mapping with source object "Contact"; known source objects: User, Group`},
		{"unknown target object", Overlay{TargetAttributes: map[string]map[string]TargetAttribute{"Device": {"x": {}}}},
			`target_attributes["Device"]: no object "Device" in the target directory`},
		{"bad expression", Overlay{ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: map[string]AttributeMapping{
			"userName": {Expression: `Join(" ", [givenName]`}}}}},
			`object_mappings["User"]: attribute_mappings["userName"]: expression "Join(\" \", [givenName]" does not parse`},
		{"two sources", Overlay{ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: map[string]AttributeMapping{
			"userName": {Source: "mail", Expression: "[mail]"}}}}},
			`attribute_mappings["userName"]: source and expression are set; set exactly one`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Apply(template(t), tt.o, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Apply error = %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
}
