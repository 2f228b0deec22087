package syncschema

import (
	"strings"
	"testing"
)

func userMappings(m map[string]AttributeMapping) Overlay {
	return Overlay{ObjectMappings: map[string]ObjectMapping{"User": {AttributeMappings: m}}}
}

func userScope(groups ...FilterGroup) Overlay {
	return Overlay{ObjectMappings: map[string]ObjectMapping{"User": {ScopingFilter: groups}}}
}

func clause(attr, op string, values ...string) FilterGroup {
	return FilterGroup{Clauses: []FilterClause{{Attribute: attr, Operator: op, Values: values}}}
}

func TestValidateReportsEachProblem(t *testing.T) {
	const um = `object_mappings["User"].attribute_mappings`
	tests := []struct {
		name    string
		o       Overlay
		path    string
		summary string
		detail  string // substring of the detail
	}{
		{"unknown source object", Overlay{ObjectMappings: map[string]ObjectMapping{"Users": {Enabled: ptr(true)}}},
			`object_mappings["Users"]`, "Unknown source object", `no object mapping for source object "Users". Did you mean "User"? Use one of: "Group", "User".`},
		{"unknown target object of a mapping", Overlay{ObjectMappings: map[string]ObjectMapping{"User": {TargetObject: "urn:ietf:params:scim:schemas:core:2.0:Grup"}}},
			`object_mappings["User"].target_object`, "Unknown target object", `Did you mean "urn:ietf:params:scim:schemas:core:2.0:Group"?`},
		{"unknown source attribute", userMappings(map[string]AttributeMapping{"userName": {Source: "userPrincipleName"}}),
			um + `["userName"].source`, "Unknown source attribute", `"userPrincipleName" is not an attribute of source object "User". Did you mean "userPrincipalName"?`},
		{"unknown target attribute", userMappings(map[string]AttributeMapping{"usrName": {Source: "mail"}}),
			um + `["usrName"]`, "Unknown target attribute", `Did you mean "userName"? To map a new attribute, add it under target_attributes["` + enterpriseUser + `"].`},
		{"duplicate target attribute", userMappings(map[string]AttributeMapping{"userName": {Source: "mail"}, "UserName": {Source: "mail"}}),
			um + `["userName"]`, "Duplicate target attribute", `"UserName" and "userName" name the same target attribute (target attribute names are case-insensitive); keep only one of them.`},
		{"duplicate matching priority", userMappings(map[string]AttributeMapping{
			"userName": {Source: "userPrincipalName", MatchingPriority: 1}, "externalId": {Source: "objectId", MatchingPriority: 1}}),
			um + `["userName"].matching_priority`, "Duplicate matching priority", `"externalId" and "userName" both have matching_priority 1; give each matching attribute a different priority.`},
		{"negative matching priority", userMappings(map[string]AttributeMapping{"userName": {Source: "mail", MatchingPriority: -1}}),
			um + `["userName"].matching_priority`, "Negative matching priority", "use 0 (not used for matching)"},
		{"no source", userMappings(map[string]AttributeMapping{"userName": {DefaultValue: ptr("x")}}),
			um + `["userName"]`, "Missing mapping source", "Set exactly one of source (a source attribute), constant (a fixed value) or expression."},
		{"source and expression", userMappings(map[string]AttributeMapping{"userName": {Source: "mail", Expression: "[mail]"}}),
			um + `["userName"]`, "Conflicting mapping sources", "source and expression are set; set exactly one of source, constant or expression."},
		{"unknown apply", userMappings(map[string]AttributeMapping{"userName": {Source: "mail", Apply: "OnCreate"}}),
			um + `["userName"].apply`, "Unknown apply value", `apply is "OnCreate"; use "always"`},
		{"expression syntax", userMappings(map[string]AttributeMapping{"displayName": {Expression: `Join(" ", [givenName]`}}),
			um + `["displayName"].expression`, "Invalid expression", "At column 22: "},
		{"unknown function", userMappings(map[string]AttributeMapping{"active": {Expression: `Swich([IsSoftDeleted], , "False", "True", "True", "False")`}}),
			um + `["active"].expression`, "Invalid expression", "At column 1: `Swich` is not a function; did you mean `Switch`?\n\n  Swich([IsSoftDeleted]"},
		{"unknown attribute in expression", userMappings(map[string]AttributeMapping{"displayName": {Expression: `Join(" ", [givenNme], [surname])`}}),
			um + `["displayName"].expression`, "Invalid expression", `At column 11: [givenNme] is not an attribute of source object "User"; did you mean ` + "`[givenName]`" + `?`},
		{"empty scoping group", userScope(FilterGroup{}),
			`object_mappings["User"].scoping_filter[0].clauses`, "Empty scoping group", "needs at least one clause"},
		{"unknown operator", userScope(clause("department", "EQUAL", "Sales")),
			`object_mappings["User"].scoping_filter[0].clauses[0].operator`, "Unknown filter operator", `"EQUAL" is not one of the job's filter operators. Did you mean "EQUALS"?`},
		{"operator spelling", userScope(clause("department", "not equals", "Sales")),
			`object_mappings["User"].scoping_filter[0].clauses[0].operator`, "Unknown filter operator", `Did you mean "NOT EQUALS"? Operator names are exact, including case and spaces.`},
		{"unary operator with values", userScope(clause("accountEnabled", "IS TRUE", "true")),
			`object_mappings["User"].scoping_filter[0].clauses[0].values`, "Values given to a unary operator", `Operator "IS TRUE" takes no values; remove values (it has 1).`},
		{"binary operator without values", userScope(clause("department", "EQUALS")),
			`object_mappings["User"].scoping_filter[0].clauses[0].values`, "Missing values", `Operator "EQUALS" compares the attribute with a value`},
		{"unknown scoping attribute", userScope(clause("departmnt", "EQUALS", "Sales")),
			`object_mappings["User"].scoping_filter[0].clauses[0].attribute`, "Unknown source attribute", `Did you mean "department"?`},
		{"unknown target object", Overlay{TargetAttributes: map[string]map[string]TargetAttribute{"urn:ietf:params:scim:schemas:core:2.0:Grop": {"members": {}}}},
			`target_attributes["urn:ietf:params:scim:schemas:core:2.0:Grop"]`, "Unknown target object", `Did you mean "` + coreGroup + `"?`},
		{"bad attribute type", Overlay{TargetAttributes: map[string]map[string]TargetAttribute{enterpriseUser: {"x": {Type: ptr("string")}}}},
			`target_attributes["` + enterpriseUser + `"]["x"].type`, "Unknown attribute type", `type is "string". Did you mean "String"? Use one of:`},
		{"unknown referenced object", Overlay{TargetAttributes: map[string]map[string]TargetAttribute{coreGroup: {"members": {ReferencedObjects: []string{"User"}}}}},
			`target_attributes["` + coreGroup + `"]["members"].referenced_objects`, "Unknown referenced object", `"User" is not an object of the target directory.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := Validate(template(t), tt.o, nil, nil)
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1:\n%v", len(diags), diags)
			}
			d := diags[0]
			if d.Path != tt.path || d.Summary != tt.summary || !strings.Contains(d.Detail, tt.detail) || d.Warning {
				t.Errorf("diagnostic = %s\nwant path %s, summary %q, detail containing %q", d, tt.path, tt.summary, tt.detail)
			}
		})
	}
}

func TestValidateWarnsAboutOperatorFit(t *testing.T) {
	tests := []struct {
		clause  FilterGroup
		path    string
		summary string
		detail  string
	}{
		{clause("department", "IS TRUE"), "operator", "Operator does not fit the attribute type",
			`Operator "IS TRUE" works on Boolean attributes, but "department" is String; pick an operator for String attributes.`},
		{clause("proxyAddresses", "EQUALS", "smtp:a@example.com"), "attribute", "Multi-valued attribute in a scoping filter",
			`"proxyAddresses" is multi-valued`},
		{clause("manager", "IS NOT NULL"), "operator", "Operator does not fit the attribute type", `"manager" is Reference`},
	}
	for _, tt := range tests {
		if errs := Validate(template(t), userScope(tt.clause), nil, nil); errs != nil {
			t.Errorf("%v: warnings-only clause gave errors %v", tt.clause, errs)
		}
		diags := warnings(template(t), userScope(tt.clause), nil, nil)
		if len(diags) != 1 {
			t.Errorf("%v: got %v, want one warning", tt.clause, diags)
			continue
		}
		d := diags[0]
		if !d.Warning || d.Path != `object_mappings["User"].scoping_filter[0].clauses[0].`+tt.path || d.Summary != tt.summary || !strings.Contains(d.Detail, tt.detail) {
			t.Errorf("diagnostic = %s (warning %v)\nwant %s / %s / %s", d, d.Warning, tt.path, tt.summary, tt.detail)
		}
	}
}

func TestValidateWarnsWithoutMatchingAttribute(t *testing.T) {
	o := userMappings(map[string]AttributeMapping{"userName": {Source: "userPrincipalName"}})
	if errs := Validate(template(t), o, nil, nil); errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	warns := warnings(template(t), o, nil, nil)
	if len(warns) != 1 || warns[0].Summary != "No matching attribute" || warns[0].Path != `object_mappings["User"].attribute_mappings` {
		t.Errorf("warnings = %v, want one about the missing matching attribute", warns)
	}
}

func TestValidateAcceptsValidOverlays(t *testing.T) {
	o := metaComplianceOverlay(t)
	// A new target attribute may be mapped when target_attributes adds it.
	o.TargetAttributes[enterpriseUser]["urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge"] = TargetAttribute{Type: ptr("Integer")}
	o.ObjectMappings["User"].AttributeMappings["urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge"] = AttributeMapping{Constant: "7", Apply: ApplyOnCreate}
	if diags := Validate(unknowns(t), o, nil, nil); diags != nil {
		t.Errorf("unexpected diagnostics: %v", diags)
	}
	if diags := warnings(unknowns(t), o, nil, nil); diags != nil {
		t.Errorf("unexpected warnings: %v", diags)
	}
}

func TestValidateUsesTheJobsOperators(t *testing.T) {
	ops, err := FilterOperatorsFromJSON([]byte(`{"value":[{"name":"EQUALS","arity":"Binary","multivaluedComparisonType":"All","supportedAttributeTypes":["String"]},{"name":"IS NULL","arity":"Unary"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	diags := Validate(template(t), userScope(clause("department", "Includes", "x"), clause("mail", "IS NULL")), ops, nil)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, `Use one of: "EQUALS", "IS NULL".`) {
		t.Errorf("diagnostics = %v, want Includes rejected against the job's two operators", diags)
	}
}

func TestFilterOperatorsFromJSON(t *testing.T) {
	ops := DefaultFilterOperators()
	if len(ops) != 14 {
		t.Fatalf("default operators = %d, want the 14 of filter-operators.json", len(ops))
	}
	if op, ok := findOperator(ops, "IS NOT NULL"); !ok || !op.Unary() {
		t.Errorf("IS NOT NULL = %+v, %v; want a unary operator", op, ok)
	}
	bare, err := FilterOperatorsFromJSON([]byte(`[{"name":"REGEX MATCH"}]`))
	if err != nil || len(bare) != 1 || bare[0].Arity != "Binary" {
		t.Errorf("bare array = %+v, %v; want one Binary operator (the documented default arity)", bare, err)
	}
	for _, body := range []string{`{"value":[]}`, `{"value":[{"arity":"Unary"}]}`, `not json`} {
		if _, err := FilterOperatorsFromJSON([]byte(body)); err == nil {
			t.Errorf("FilterOperatorsFromJSON(%s) accepted a useless body", body)
		}
	}
}

func TestExpressionWarningsDoNotBlock(t *testing.T) {
	o := userMappings(map[string]AttributeMapping{
		"userName":    {Source: "userPrincipalName", MatchingPriority: 1},
		"displayName": {Expression: `Mid([displayName], "one", 8)`},
	})
	if errs := Validate(template(t), o, nil, nil); errs != nil {
		t.Fatalf("errors for an expression Entra accepts: %v", errs)
	}
	warns := warnings(template(t), o, nil, nil)
	if len(warns) != 1 || warns[0].Summary != "Suspicious expression" || !strings.Contains(warns[0].Detail, "expects an integer") ||
		warns[0].Path != `object_mappings["User"].attribute_mappings["displayName"].expression` {
		t.Errorf("warnings = %v, want one about Mid's integer argument", warns)
	}
}
