package syncschema

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestValidateOfflineChecksShapeButNotSchema: without the job's schema every
// shape problem is still found, and nothing that needs the schema (unknown
// objects, attributes, referenced objects) is reported.
func TestValidateOfflineChecksShapeButNotSchema(t *testing.T) {
	o := Overlay{
		ObjectMappings: map[string]ObjectMapping{
			"Users": {ScopingFilter: []FilterGroup{{}, clause("departmnt", "EQUAL", "Sales")}}, // unknown object + attribute: not offline
			"User": {AttributeMappings: map[string]AttributeMapping{
				"userName":  {Source: "userPrincipleName", MatchingPriority: 1}, // unknown source attribute: not offline
				"USERNAME":  {Source: "mail", Expression: "[mail]"},
				"noSuchTgt": {Constant: "x", Apply: "sometimes", MatchingPriority: 1},
				"active":    {Expression: `Swich([IsSoftDeleted], , "False", "True")`},
				"display":   {Expression: `Join(" ", [givenNme], [surname])`}, // unknown attribute reference: not offline
			}},
		},
		TargetAttributes: map[string]map[string]TargetAttribute{
			"no-such-object": {"x": {Type: ptr("string"), ReferencedObjects: []string{"nothing"}}},
		},
	}
	errs, warns := ValidateOffline(o, nil, nil)
	got := map[string]string{}
	for _, d := range errs {
		got[d.Path] += d.Summary + ";"
	}
	want := map[string]string{
		`object_mappings["User"].attribute_mappings["userName"]`:                   "Duplicate target attribute;",
		`object_mappings["User"].attribute_mappings["USERNAME"]`:                   "Conflicting mapping sources;",
		`object_mappings["User"].attribute_mappings["noSuchTgt"].apply`:            "Unknown apply value;",
		`object_mappings["User"].attribute_mappings["userName"].matching_priority`: "Duplicate matching priority;",
		`object_mappings["User"].attribute_mappings["active"].expression`:          "Invalid expression;",
		`object_mappings["Users"].scoping_filter[0].clauses`:                       "Empty scoping group;",
		`object_mappings["Users"].scoping_filter[1].clauses[0].operator`:           "Unknown filter operator;",
		`target_attributes["no-such-object"]["x"].type`:                            "Unknown attribute type;",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("offline errors by path:\n got %v\nwant %v", got, want)
	}
	if len(warns) != 0 {
		t.Errorf("offline warnings = %v, want none (every User mapping set has a matching attribute)", warns)
	}
}

// TestValidateOfflineIsASubsetOfCheck: what the provider reports in
// ValidateConfig is reported identically by the plan-time check against
// the real schema, so it can drop the repeats.
func TestValidateOfflineIsASubsetOfCheck(t *testing.T) {
	o := Overlay{ObjectMappings: map[string]ObjectMapping{
		"User": {
			ScopingFilter: []FilterGroup{{}, clause("department", "EQUAL", "Sales")},
			AttributeMappings: map[string]AttributeMapping{
				"userName":    {Source: "userPrincipalName"},
				"displayName": {Expression: `Mid([displayName], "one", 8)`},
				"active":      {Expression: `Swich([IsSoftDeleted], , "False", "True")`},
			},
		},
	}}
	offErrs, offWarns := ValidateOffline(o, nil, nil)
	errs, warns := Check(template(t), o, nil, nil)
	if len(offErrs) != 3 || len(offWarns) != 2 {
		t.Fatalf("offline: %d errors %v and %d warnings %v; want 3 (empty group, operator, function) and 2 (Mid, no matching attribute)",
			len(offErrs), offErrs, len(offWarns), offWarns)
	}
	for _, d := range append(offErrs, offWarns...) {
		pool := errs
		if d.Warning {
			pool = warns
		}
		found := false
		for _, e := range pool {
			found = found || e == d
		}
		if !found {
			t.Errorf("offline %s is not reported the same way by Check", d)
		}
	}
}

func TestDiagnosticSteps(t *testing.T) {
	tests := []struct {
		path string
		want []PathStep
	}{
		{"", nil},
		{`object_mappings["User"].attribute_mappings`, []PathStep{
			{Kind: StepAttribute, Name: "object_mappings"}, {Kind: StepKey, Name: "User"}, {Kind: StepAttribute, Name: "attribute_mappings"}}},
		{`object_mappings["User"].attribute_mappings["emails[type eq \"work\"].value"].source`, []PathStep{
			{Kind: StepAttribute, Name: "object_mappings"}, {Kind: StepKey, Name: "User"}, {Kind: StepAttribute, Name: "attribute_mappings"},
			{Kind: StepKey, Name: `emails[type eq "work"].value`}, {Kind: StepAttribute, Name: "source"}}},
		{`object_mappings["Group"].scoping_filter[12].clauses[0].values`, []PathStep{
			{Kind: StepAttribute, Name: "object_mappings"}, {Kind: StepKey, Name: "Group"}, {Kind: StepAttribute, Name: "scoping_filter"},
			{Kind: StepIndex, Index: 12}, {Kind: StepAttribute, Name: "clauses"}, {Kind: StepIndex, Index: 0}, {Kind: StepAttribute, Name: "values"}}},
		{`target_attributes["urn:x:User"]["a.b"].type`, []PathStep{
			{Kind: StepAttribute, Name: "target_attributes"}, {Kind: StepKey, Name: "urn:x:User"}, {Kind: StepKey, Name: "a.b"}, {Kind: StepAttribute, Name: "type"}}},
	}
	for _, tt := range tests {
		got, err := Diagnostic{Path: tt.path}.Steps()
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Steps(%s) = %+v, %v\nwant %+v", tt.path, got, err, tt.want)
		}
	}
	for _, bad := range []string{`a["x"`, `a[x]`, `a[-1]`, `a..b`, `a["x"]b`, `a[`} {
		if steps, err := (Diagnostic{Path: bad}).Steps(); err == nil {
			t.Errorf("Steps(%s) = %+v, want an error", bad, steps)
		}
	}
}

// TestEveryDiagnosticPathHasSteps renders each validator path back from its
// steps: the provider relies on Steps to attach diagnostics.
func TestEveryDiagnosticPathHasSteps(t *testing.T) {
	o := Overlay{
		ObjectMappings: map[string]ObjectMapping{
			"Users": {Enabled: ptr(true)},
			"User": {
				TargetObject:  "nope",
				ScopingFilter: []FilterGroup{{}, clause("proxyAddresses", "EQUAL"), clause("department", "IS TRUE", "x")},
				AttributeMappings: map[string]AttributeMapping{
					`emails[type eq "wrk"].value`: {Source: "mial", Apply: "x", MatchingPriority: -1},
					"active":                      {Expression: `Swich(`},
				},
			},
		},
		TargetAttributes: map[string]map[string]TargetAttribute{
			"nope":         {"a": {}},
			enterpriseUser: {`x["y"]`: {Type: ptr("str"), ReferencedObjects: []string{"zz"}}},
		},
	}
	errs, warns := Check(template(t), o, nil, nil)
	if len(errs) < 10 {
		t.Fatalf("only %d errors: %v", len(errs), errs)
	}
	for _, d := range append(errs, warns...) {
		steps, err := d.Steps()
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		var b strings.Builder
		for i, s := range steps {
			switch s.Kind {
			case StepAttribute:
				if i > 0 {
					b.WriteString(".")
				}
				b.WriteString(s.Name)
			case StepKey:
				b.WriteString("[" + strconv.Quote(s.Name) + "]")
			case StepIndex:
				b.WriteString("[" + strconv.Itoa(s.Index) + "]")
			}
		}
		if b.String() != d.Path {
			t.Errorf("steps of %s render as %s", d.Path, b.String())
		}
	}
}

func TestExpressionFindingsPointAtTheColumn(t *testing.T) {
	o := userMappings(map[string]AttributeMapping{
		"userName":    {Source: "userPrincipalName", MatchingPriority: 1},
		"displayName": {Expression: `Join(" ", [givenNme], [surname])`},
		"nickName":    {Expression: `Join(" " [givenName])`},
	})
	errs := Validate(template(t), o, nil, nil)
	want := map[string]string{
		"displayName": "At column 11: [givenNme] is not an attribute of source object \"User\"; did you mean `[givenName]`?\n\n" +
			"  Join(\" \", [givenNme], [surname])\n" +
			"            ^", // 2 spaces of indent + 10 columns
		"nickName": "At column 10: ",
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %v, want two", errs)
	}
	for _, d := range errs {
		key := strings.TrimSuffix(strings.TrimPrefix(d.Path, `object_mappings["User"].attribute_mappings["`), `"].expression`)
		if w, ok := want[key]; !ok || !strings.HasPrefix(d.Detail, w) {
			t.Errorf("%s detail:\n%s\nwant it to start with:\n%s", d.Path, d.Detail, w)
		}
	}
}
