package syncschema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
)

const (
	enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	coreGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	activeSwitch   = `Switch([IsSoftDeleted], , "False", "True", "True", "False")`
)

func ptr[T any](v T) *T { return &v }

func loadSchema(t testing.TB, name string) *Schema {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(body)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return s
}

func template(testing.TB) *Schema   { return BuiltinTemplateSchema(SCIMTemplateID) }
func unknowns(t testing.TB) *Schema { return loadSchema(t, "schema-with-unknowns.json") }
func bothSchemas(t testing.TB) map[string]*Schema {
	return map[string]*Schema{"template": template(t), "unknowns": unknowns(t)}
}

func mustApply(t testing.TB, s *Schema, o Overlay) *Schema {
	t.Helper()
	out, err := Apply(s, o, nil)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return out
}

// userMapping returns the User object mapping's JSON object.
func userMapping(t testing.TB, s *Schema, source string) map[string]any {
	t.Helper()
	_, m := s.findObjectMapping(source)
	if m == nil {
		t.Fatalf("no object mapping for %s", source)
	}
	return m
}

// mappingsByName indexes an object mapping's attributeMappings.
func mappingsByName(m map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, am := range objects(m["attributeMappings"]) {
		out[str(am, "targetAttributeName")] = am
	}
	return out
}

func targetNames(m map[string]any) []string {
	var names []string
	for _, am := range objects(m["attributeMappings"]) {
		names = append(names, str(am, "targetAttributeName"))
	}
	return names
}

// docWithout returns a JSON-decoded copy of s with the given paths replaced
// by the marker "<touched>", so the rest can be compared exactly.
func docWithout(t testing.TB, s *Schema, blank func(doc map[string]any)) any {
	t.Helper()
	body, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	blank(c.doc)
	return c.doc
}

func jsonEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func itoa(i int) string { return strconv.Itoa(i) }

func mustJSONNoT(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
