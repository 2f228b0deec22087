package graphsim_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// decodeNumbers decodes JSON keeping numbers exact.
func decodeNumbers(t *testing.T, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	return m
}

func TestSchemaPutPreservesUnknownFieldsPatchFailsDeleteResets(t *testing.T) {
	env, spID := newCustomApp(t, 1)
	jobID := createJob(t, env, spID, "scim")
	path := "/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/schema"

	original := decodeNumbers(t, mustGraph(t, env, 200, "GET", path, nil))
	if original["id"] != jobID {
		t.Fatalf("job schema id = %v, want the job id", original["id"])
	}
	version := original["version"]

	// Unknown fields, an unknown enum value, a spaced flags value and a
	// number beyond float64 precision must all come back unchanged.
	schema := decodeNumbers(t, mustGraph(t, env, 200, "GET", path, nil))
	schema["futureTopLevel"] = map[string]any{"nested": json.Number("123456789012345678901")}
	rule := schema["synchronizationRules"].([]any)[0].(map[string]any)
	om := rule["objectMappings"].([]any)[0].(map[string]any)
	om["flowTypes"] = "Add, Update, Delete"
	om["futureMappingField"] = "kept"
	am := om["attributeMappings"].([]any)[2].(map[string]any)
	am["flowBehavior"] = "FlowSomeFutureWay"
	mustGraph(t, env, 204, "PUT", path, schema)

	got := mustGraph(t, env, 200, "GET", path, nil)
	for _, want := range []string{`"futureTopLevel":{"nested":123456789012345678901}`, `"futureMappingField":"kept"`,
		`"flowTypes":"Add, Update, Delete"`, `"flowBehavior":"FlowSomeFutureWay"`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("after PUT the schema lacks %s", want)
		}
	}
	if decodeNumbers(t, got)["version"] == version {
		t.Errorf("PUT must change the schema version")
	}

	// PATCH is not supported by the service: the SDK's Patch always fails.
	status, body := env.Graph(t, "PATCH", path, schema)
	if status != 404 || errorCode(t, body) != "UnknownError" {
		t.Fatalf("PATCH: %d %s", status, body)
	}
	var inner map[string]string
	if err := json.Unmarshal([]byte(errorMessage(t, body)), &inner); err != nil || !strings.Contains(inner["Message"], "syncfabric.windowsazure.com") ||
		!strings.Contains(inner["Message"], jobID) {
		t.Fatalf("PATCH message must be syncfabric's JSON string naming the job: %s", body)
	}

	// DELETE resets to the template default.
	mustGraph(t, env, 204, "DELETE", path, nil)
	reset := mustGraph(t, env, 200, "GET", path, nil)
	if bytes.Contains(reset, []byte("futureTopLevel")) || !bytes.Contains(reset, []byte(`"flowTypes":"Add,Update,Delete"`)) {
		t.Fatalf("DELETE did not restore the template schema")
	}
}

func TestSchemaPutValidation(t *testing.T) {
	env, spID := newCustomApp(t, 1)
	jobID := createJob(t, env, spID, "scim")
	path := "/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/schema"
	fresh := func() map[string]any { return decodeNumbers(t, mustGraph(t, env, 200, "GET", path, nil)) }
	userMapping := func(s map[string]any) map[string]any {
		return s["synchronizationRules"].([]any)[0].(map[string]any)["objectMappings"].([]any)[0].(map[string]any)
	}
	firstAttr := func(s map[string]any) map[string]any {
		return userMapping(s)["attributeMappings"].([]any)[0].(map[string]any)
	}
	for _, tc := range []struct {
		name   string
		mutate func(s map[string]any)
		text   string
	}{
		{"no directories", func(s map[string]any) { delete(s, "directories") }, "directories"},
		{"no rules", func(s map[string]any) { s["synchronizationRules"] = []any{} }, "synchronizationRules"},
		{"unknown rule id", func(s map[string]any) { s["synchronizationRules"].([]any)[0].(map[string]any)["id"] = "made-up" }, "made-up"},
		{"unknown target object", func(s map[string]any) { userMapping(s)["targetObjectName"] = "urn:nope:User" }, "urn:nope:User"},
		{"unknown target attribute", func(s map[string]any) { firstAttr(s)["targetAttributeName"] = "shoeSize" }, "shoeSize"},
		{"unknown source attribute", func(s map[string]any) {
			firstAttr(s)["source"] = map[string]any{"expression": "[favouriteColour]", "name": "favouriteColour", "parameters": []any{}, "type": "Attribute"}
		}, "favouriteColour"},
		{"unknown function", func(s map[string]any) {
			firstAttr(s)["source"] = map[string]any{"expression": "Frobnicate([mail])", "name": "Frobnicate", "parameters": []any{}, "type": "Function"}
		}, "Frobnicate"},
		{"unknown filter operator", func(s map[string]any) {
			userMapping(s)["scope"] = map[string]any{"groups": []any{map[string]any{"name": "x", "clauses": []any{
				map[string]any{"operatorName": "SOUNDS LIKE", "sourceOperandName": "department", "targetOperand": map[string]any{"values": []any{"x"}}}}}}}
		}, "SOUNDS LIKE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fresh()
			tc.mutate(s)
			status, body := env.Graph(t, "PUT", path, s)
			if status != 400 || errorCode(t, body) != "BadRequest" || !strings.Contains(errorMessage(t, body), tc.text) {
				t.Fatalf("got %d %s; want 400 naming %q", status, body, tc.text)
			}
		})
	}
}

func TestSchemaFunctionsOperatorsAndParseExpression(t *testing.T) {
	env, spID := newCustomApp(t, 1)
	jobID := createJob(t, env, spID, "scim")
	base := "/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/schema"

	fns := values(t, mustGraph(t, env, 200, "GET", base+"/functions", nil))
	ops := values(t, mustGraph(t, env, 200, "GET", base+"/filterOperators", nil))
	if len(fns) != 48 || fns[0]["name"] != "Append" || len(ops) != 14 || ops[0]["name"] != "EQUALS" {
		t.Fatalf("functions %d (first %v), filterOperators %d", len(fns), fns[0]["name"], len(ops))
	}
	if fns2 := values(t, mustGraph(t, env, 200, "GET", base+"/functions()", nil)); len(fns2) != 48 {
		t.Fatalf("functions() form: %d", len(fns2))
	}
	if ops2 := values(t, mustGraph(t, env, 200, "GET", base+"/filterOperators()", nil)); len(ops2) != 14 || ops2[0]["name"] != "EQUALS" {
		t.Fatalf("filterOperators() form (as msgraph-sdk-go calls it): %d", len(ops2))
	}

	parse := func(expr string, props map[string]any) map[string]any {
		var properties []map[string]any
		for k, v := range props {
			properties = append(properties, map[string]any{"key": k, "value": v})
		}
		body := map[string]any{"expression": expr, "targetAttributeDefinition": nil,
			"testInputObject": map[string]any{"definition": nil, "properties": properties}}
		return obj(t, mustGraph(t, env, 200, "POST", base+"/parseExpression", body))
	}

	// The documented example.
	r := parse(`Replace([preferredLanguage], "-", , , "_", , )`, map[string]any{"preferredLanguage": "EN-US"})
	res, _ := r["evaluationResult"].([]any)
	if r["parsingSucceeded"] != true || r["evaluationSucceeded"] != true || len(res) != 1 || res[0] != "EN_US" || r["error"] != nil {
		t.Fatalf("Replace example: %v", r)
	}
	tree := r["parsedExpression"].(map[string]any)
	params := tree["parameters"].([]any)
	if tree["name"] != "Replace" || tree["type"] != "Function" || len(params) != 3 || params[1].(map[string]any)["key"] != "Find" {
		t.Fatalf("parsedExpression tree: %v", tree)
	}

	for _, tc := range []struct {
		expr  string
		props map[string]any
		want  []any
	}{
		{`Join(" ", [givenName], [surname])`, map[string]any{"givenName": "Ada", "surname": "Lovelace"}, []any{"Ada Lovelace"}},
		{`Switch([IsSoftDeleted], , "False", "True", "True", "False")`, map[string]any{"IsSoftDeleted": "False"}, []any{"True"}},
		{`ToLower(Mid([userPrincipalName], 1, 3))`, map[string]any{"userPrincipalName": "ADA@contoso.com"}, []any{"ada"}},
		{`IIF([country]="DK", "EU", "Other")`, map[string]any{"country": "DK"}, []any{"EU"}},
		{`Append([mail], "x")`, map[string]any{}, []any{}},
		{`Split([proxy], ";")`, map[string]any{"proxy": "a;b"}, []any{"a", "b"}},
	} {
		r := parse(tc.expr, tc.props)
		got, _ := r["evaluationResult"].([]any)
		if r["evaluationSucceeded"] != true || len(got) != len(tc.want) {
			t.Errorf("%s: %v", tc.expr, r)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s = %v, want %v", tc.expr, got, tc.want)
			}
		}
	}

	bad := parse(`Join(" ", [givenName]`, nil)
	if bad["parsingSucceeded"] != false || bad["parsedExpression"] != nil || bad["error"] == nil {
		t.Fatalf("syntax error: %v", bad)
	}
	unknown := parse(`Frobnicate([mail])`, nil)
	if unknown["parsingSucceeded"] != false || !strings.Contains(str(unknown, "error.message"), "Frobnicate") {
		t.Fatalf("unknown function: %v", unknown)
	}
	if status, body := env.Graph(t, "POST", base+"/parseExpression", map[string]any{}); status != 400 {
		t.Fatalf("missing expression: %d %s", status, body)
	}
	for _, input := range []any{"x", map[string]any{"properties": "x"}, map[string]any{"properties": []any{map[string]any{"value": "no key"}}}} {
		if status, body := env.Graph(t, "POST", base+"/parseExpression", map[string]any{"expression": "[mail]", "testInputObject": input}); status != 400 || errorCode(t, body) != "BadRequest" {
			t.Errorf("malformed testInputObject %v: %d %s", input, status, body)
		}
	}
	long := parse(`Join(" "`+strings.Repeat(`, [mail]`, 1500)+`)`, nil)
	if long["parsingSucceeded"] != false || !strings.Contains(str(long, "error.message"), "10000") {
		t.Fatalf("an expression over 10,000 characters must be rejected: %v", long["error"])
	}

	dir := obj(t, mustGraph(t, env, 200, "POST", base+"/directories/66e4a8cc-1b7b-435e-95f8-f06cea133828/discover", nil))
	if dir["name"] != "Azure Active Directory" || dir["discoveryDateTime"] == nil || len(dir["objects"].([]any)) != 2 {
		t.Fatalf("discover: %v", dir["name"])
	}
	if status, _ := env.Graph(t, "POST", base+"/directories/nope/discover", nil); status != 404 {
		t.Fatalf("discover of an unknown directory: %d", status)
	}
}
