package expression

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// docMidTree is the attributeMappingSource example of graph-provisioning-api.md §5.
const docMidTree = `{"expression":"Mid([userPrincipalName], 1, 8)","name":"Mid","type":"Function","parameters":[
 {"key":"source","value":{"expression":"[userPrincipalName]","name":"userPrincipalName","parameters":[],"type":"Attribute"}},
 {"key":"start","value":{"expression":"\"1\"","name":"1","parameters":[],"type":"Constant"}},
 {"key":"length","value":{"expression":"\"8\"","name":"8","parameters":[],"type":"Constant"}}]}`

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// roundTripJSON makes a ToSource result comparable with decoded JSON.
func roundTripJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, string(b))
}

func TestToSourceMatchesDocumentedMidTree(t *testing.T) {
	n, err := Parse(`Mid([userPrincipalName], 1, 8)`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ToSource(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := decodeJSON(t, docMidTree); !reflect.DeepEqual(roundTripJSON(t, got), want) {
		t.Errorf("ToSource = %v\nwant %v", got, want)
	}
}

func TestToSourceOmitsEmptyOptionalsAndNamesParams(t *testing.T) {
	n, _ := Parse(`Replace([preferredLanguage], "-", , , "_", , )`)
	got, err := ToSource(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got["expression"] != `Replace([preferredLanguage], "-", , , "_", , )` {
		t.Errorf("expression = %q", got["expression"])
	}
	if keys := paramKeys(got); !reflect.DeepEqual(keys, []string{"source", "Find", "Replacement"}) {
		t.Errorf("keys = %v, want source Find Replacement (as in the Graph parseExpression example)", keys)
	}
	back, err := FromSource(got)
	if err != nil || !Equal(back, n) {
		t.Errorf("FromSource(ToSource) = %s, %v", Format(back), err)
	}
	delete(got, "expression") // rebuilt from parameters alone: inner empties kept, trailing ones dropped
	back, err = FromSource(got)
	if err != nil || Format(back) != `Replace([preferredLanguage], "-", , , "_")` {
		t.Errorf("FromSource(tree without expression) = %s, %v", Format(back), err)
	}
}

func TestToSourceFormatDateTimeThreeAndFourArguments(t *testing.T) {
	for src, keys := range map[string][]string{
		`FormatDateTime([hireDate], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`:        {"source", "inputFormat", "outputFormat"},
		`FormatDateTime([hireDate], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`:      {"source", "inputFormat", "outputFormat"},
		`FormatDateTime([hireDate], "UTC", "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`: {"source", "dateTimeStyles", "inputFormat", "outputFormat"},
	} {
		n, _ := Parse(src)
		tree, err := ToSource(n, nil)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := paramKeys(tree); !reflect.DeepEqual(got, keys) {
			t.Errorf("%s: keys %v, want %v", src, got, keys)
		}
		delete(tree, "expression")
		back, err := FromSource(tree)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 3 && len(back.Args) != 3 {
			t.Errorf("%s: rebuilt %s, want the 3-argument form", src, Format(back))
		}
	}
}

func TestToSourceJoinRepeatsSourceKey(t *testing.T) {
	n, _ := Parse(`Join(", ", [a], [b], "c")`)
	tree, _ := ToSource(n, nil)
	if got := paramKeys(tree); !reflect.DeepEqual(got, []string{"separator", "source", "source", "source"}) {
		t.Errorf("keys = %v", got)
	}
}

func TestToSourceBareConstantIsQuoted(t *testing.T) {
	tree, err := ToSource(bare("-1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if tree["expression"] != `"-1"` || tree["name"] != "-1" || tree["type"] != "Constant" {
		t.Errorf("tree = %v", tree)
	}
}

func TestToSourceComparisonRoundTrips(t *testing.T) {
	n, _ := Parse(`IIF([country] = "FR", "a", "b")`)
	tree, err := ToSource(n, nil)
	if err != nil {
		t.Fatal(err)
	}
	cond := tree["parameters"].([]any)[0].(map[string]any)
	if cond["key"] != "condition" || cond["value"].(map[string]any)["expression"] != `[country] = "FR"` {
		t.Errorf("condition parameter = %v", cond)
	}
	stripExpressions(tree)
	back, err := FromSource(roundTripJSON(t, tree))
	if err != nil || !Equal(back, n) {
		t.Errorf("FromSource = %s, %v", Format(back), err)
	}
}

func TestToSourceRejectsWhatCannotBeNamed(t *testing.T) {
	for src, want := range map[string]string{
		`Swich([a])`:                "not a function in the catalog",
		`Left([a])`:                 "does not accept 1 arguments",
		`Join(" ", , [a])`:          "required argument 2 (source) is empty",
		`FormatDateTime([a], , , )`: "required argument 3 (inputFormat) is empty",
	} {
		n, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ToSource(n, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ToSource(%s) error = %v, want %q", src, err, want)
		}
	}
}

func TestSwitchEncodings(t *testing.T) {
	n, _ := Parse(`Switch([IsSoftDeleted], , "False", "True", "True", "False")`)
	tree, _ := ToSource(n, nil)
	if got := paramKeys(tree); !reflect.DeepEqual(got, []string{"source", "False", "True"}) {
		t.Errorf("case-literal keys = %v", got)
	}
	positional := `{"name":"Switch","type":"Function","parameters":[
	 {"key":"source","value":{"name":"IsSoftDeleted","type":"Attribute"}},
	 {"key":"switchValue","value":{"name":"False","type":"Constant"}},
	 {"key":"switchValue","value":{"name":"True","type":"Constant"}},
	 {"key":"switchValue","value":{"name":"True","type":"Constant"}},
	 {"key":"switchValue","value":{"name":"False","type":"Constant"}}]}`
	back, err := FromSource(decodeJSON(t, positional))
	if err != nil || !Equal(back, n) {
		t.Errorf("positional Switch = %s, %v", Format(back), err)
	}
	// A case key that is an attribute cannot be a JSON key: positional encoding.
	n2, _ := Parse(`Switch([a], "d", [b], "x")`)
	tree2, _ := ToSource(n2, nil)
	if got := paramKeys(tree2); !reflect.DeepEqual(got, []string{"source", "defaultValue", "switchValue", "switchValue"}) {
		t.Errorf("fallback keys = %v", got)
	}
	stripExpressions(tree2)
	if back, err := FromSource(tree2); err != nil || !Equal(back, n2) {
		t.Errorf("positional round trip = %s, %v", Format(back), err)
	}
}

// TestTemplateSourcesRoundTrip converts every attribute-mapping source of
// the reference scim template: with and without the "expression" strings,
// FromSource must reproduce the stored expression, and ToSource must
// reproduce the stored tree.
func TestTemplateSourcesRoundTrip(t *testing.T) {
	sources := templateSources(t)
	if len(sources) < 20 {
		t.Fatalf("found only %d mapping sources in the template", len(sources))
	}
	for _, src := range sources {
		want, _ := src["expression"].(string)
		n, err := FromSource(src)
		if err != nil {
			t.Errorf("FromSource(%s): %v", want, err)
			continue
		}
		if got := Format(n); got != mustNormalize(t, want) {
			t.Errorf("FromSource formats to %q, want %q", got, want)
		}
		tree, err := ToSource(n, nil)
		if err != nil {
			t.Errorf("ToSource(%s): %v", want, err)
			continue
		}
		if !reflect.DeepEqual(roundTripJSON(t, tree), src) {
			t.Errorf("ToSource(%s) = %v\nwant %v", want, tree, src)
		}
		stripped := roundTripJSON(t, src)
		stripExpressions(stripped)
		n2, err := FromSource(stripped)
		if err != nil || Format(n2) != mustNormalize(t, want) {
			t.Errorf("tree-only FromSource(%s) = %s, %v", want, Format(n2), err)
		}
	}
}

func TestFromSourceErrors(t *testing.T) {
	for js, want := range map[string]string{
		`{"type":"Weird","name":"x"}`:                                                         `"Weird" is not Attribute, Constant or Function`,
		`{"type":"Attribute"}`:                                                                "Attribute source has no name",
		`{"type":"Function","expression":"Mid(","parameters":[]}`:                             "has no name",
		`{"type":"Function","name":"Mid","parameters":[{"key":"source"}]}`:                    "has no value object",
		`{"type":"Function","name":"Mid","parameters":[{"key":"nope","value":{"name":"a"}}]}`: `Mid has no parameter "nope"`,
		`{"type":"Function","name":"Switch","parameters":[]}`:                                 `Switch has no "source"`,
	} {
		_, err := FromSource(decodeJSON(t, js))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromSource(%s) error = %v, want %q", js, err, want)
		}
	}
}

func TestFromSourceDefaultsToAttributeAndZeroesPositions(t *testing.T) {
	n, err := FromSource(map[string]any{"name": "mail"})
	if err != nil || !Equal(n, attr("mail")) {
		t.Fatalf("untyped source = %v, %v", n, err)
	}
	n, err = FromSource(map[string]any{"type": "Function", "name": "Join", "expression": `Join(" ", [a])`})
	if err != nil {
		t.Fatal(err)
	}
	Walk(n, func(x, _ *Node, _ int) {
		if x.Pos != 0 {
			t.Errorf("node %s has Pos %d; trees carry no positions", Format(x), x.Pos)
		}
	})
}

func paramKeys(tree map[string]any) []string {
	var keys []string
	for _, p := range tree["parameters"].([]any) {
		keys = append(keys, p.(map[string]any)["key"].(string))
	}
	return keys
}

func stripExpressions(tree map[string]any) {
	delete(tree, "expression")
	if ps, ok := tree["parameters"].([]any); ok {
		for _, p := range ps {
			stripExpressions(p.(map[string]any)["value"].(map[string]any))
		}
	}
}

func mustNormalize(t *testing.T, s string) string {
	t.Helper()
	out, err := Normalize(s)
	if err != nil {
		t.Fatalf("Normalize(%q): %v", s, err)
	}
	return out
}

func templateSources(t *testing.T) []map[string]any {
	t.Helper()
	body, err := os.ReadFile("testdata/scim-template-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		SynchronizationRules []struct {
			ObjectMappings []struct {
				AttributeMappings []struct {
					Source map[string]any `json:"source"`
				} `json:"attributeMappings"`
			} `json:"objectMappings"`
		} `json:"synchronizationRules"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&schema); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, r := range schema.SynchronizationRules {
		for _, om := range r.ObjectMappings {
			for _, am := range om.AttributeMappings {
				out = append(out, am.Source)
			}
		}
	}
	return out
}

func TestFromSourceTolerantDecoding(t *testing.T) {
	// A tenant-specific function the catalog does not know keeps its order.
	unknown := `{"type":"Function","name":"Custom","parameters":[
	  {"key":"b","value":{"type":"Attribute","name":"x"}},{"key":"a","value":{"type":"Constant","name":"y"}}]}`
	if n, err := FromSource(decodeJSON(t, unknown)); err != nil || Format(n) != `Custom([x], "y")` {
		t.Errorf("unknown function = %s, %v", Format(n), err)
	}
	// Names decoded with UseNumber or as float64 still become constants.
	var withNumber map[string]any
	dec := json.NewDecoder(strings.NewReader(`{"type":"Constant","name":12}`))
	dec.UseNumber()
	if err := dec.Decode(&withNumber); err != nil {
		t.Fatal(err)
	}
	for _, src := range []map[string]any{withNumber, {"type": "Constant", "name": float64(12)}} {
		if n, err := FromSource(src); err != nil || !Equal(n, str("12")) {
			t.Errorf("numeric name %v = %v, %v", src["name"], n, err)
		}
	}
	// A constant given only by its expression.
	if n, err := FromSource(map[string]any{"type": "Constant", "expression": `"a\"b"`}); err != nil || !Equal(n, str(`a"b`)) {
		t.Errorf("constant from expression = %v, %v", n, err)
	}
	// Go callers may pass []map[string]any; parameter keys tolerate case drift.
	typed := map[string]any{"type": "Function", "name": "Append", "parameters": []map[string]any{
		{"key": "Source", "value": map[string]any{"type": "Attribute", "name": "mail"}},
		{"key": "suffix", "value": map[string]any{"type": "Constant", "name": "!"}},
	}}
	if n, err := FromSource(typed); err != nil || Format(n) != `Append([mail], "!")` {
		t.Errorf("typed parameters = %s, %v", Format(n), err)
	}
	// An expression naming another function than "name" is not trusted.
	mismatch := map[string]any{"type": "Function", "name": "Append", "expression": `Join("", [a])`, "parameters": typed["parameters"]}
	if n, err := FromSource(mismatch); err != nil || n.Name != "Append" {
		t.Errorf("mismatched expression = %s, %v", Format(n), err)
	}
	for _, bad := range []map[string]any{
		{"type": "Function", "name": "Append", "parameters": "nope"},
		{"type": "Function", "name": "Append", "parameters": []any{"nope"}},
		{"type": "Function", "name": "=", "parameters": []any{map[string]any{"key": "left", "value": map[string]any{"name": "a"}}}},
		{"type": "Function", "name": "Mid", "parameters": []any{
			map[string]any{"key": "start", "value": map[string]any{"type": "Constant", "name": "1"}},
			map[string]any{"key": "start", "value": map[string]any{"type": "Constant", "name": "2"}}}},
	} {
		if _, err := FromSource(bad); err == nil {
			t.Errorf("FromSource(%v) succeeded; want an error", bad)
		}
	}
	if _, err := FromSource(nil); err == nil {
		t.Error("FromSource(nil) succeeded")
	}
}

func TestFromSourceDepthLimit(t *testing.T) {
	build := func(levels int) map[string]any {
		tree := map[string]any{"type": "Attribute", "name": "a"}
		for i := 0; i < levels; i++ {
			tree = map[string]any{"type": "Function", "name": "ToLower", "parameters": []any{map[string]any{"key": "source", "value": tree}}}
		}
		return tree
	}
	n, err := FromSource(build(maxDepth))
	if err != nil {
		t.Fatalf("%d levels: %v", maxDepth, err)
	}
	if _, err := Parse(Format(n)); err != nil {
		t.Errorf("the deepest accepted tree must format to parseable text: %v", err)
	}
	if _, err := FromSource(build(maxDepth + 2)); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("too deep: %v", err)
	}
}
