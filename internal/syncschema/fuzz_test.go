package syncschema

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSchemaOperations feeds arbitrary JSON through every entry point: odd
// shapes Graph might send (null lists, strings where objects are expected)
// must produce errors or diagnostics, never panics, and a schema is always
// equivalent to itself and to its own re-encoding.
func FuzzSchemaOperations(f *testing.F) {
	f.Add(scimTemplateSchemaJSON)
	body, err := os.ReadFile(filepath.Join("testdata", "schema-with-unknowns.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(body)
	f.Add([]byte(`{"synchronizationRules":[{"objectMappings":[{"sourceObjectName":"User","attributeMappings":null,"scope":"x"}]}]}`))
	f.Add([]byte(`{"synchronizationRules":[{"targetDirectoryName":"t","objectMappings":[{"sourceObjectName":"User","targetObjectName":"o","attributeMappings":[{"targetAttributeName":"userName","source":{"type":"Function","name":"Join","parameters":"bad"}}]}]}],"directories":[{"name":"t","objects":[{"name":"o","attributes":[{"name":"members","referencedObjects":[1,2]}]}]}]}`))
	overlays := []Overlay{myPoliciesOverlay(), aptyOverlay(), andMoneyOverlay(true), {
		ObjectMappings: map[string]ObjectMapping{"User": {ScopingFilter: []FilterGroup{clause("department", "EQUALS", "x")}}},
		TargetAttributes: map[string]map[string]TargetAttribute{
			"o":            {"members": {ReferencedObjects: []string{"o"}, Required: ptr(true)}},
			enterpriseUser: {"new": {Type: ptr("Integer")}},
		},
	}}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := Parse(body)
		if err != nil {
			return
		}
		if !EquivalentSchemas(s, s.Clone()) {
			t.Fatal("a schema is not equivalent to its clone")
		}
		out, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		back, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parsing our own output: %v", err)
		}
		if !EquivalentSchemas(s, back) {
			t.Fatal("a schema is not equivalent to its re-encoding")
		}
		_ = ExtractAll(s)
		_ = DiffFromTemplate(s, s)
		for i := range overlays {
			o := overlays[i]
			_ = Validate(s, o, nil, nil)
			_ = warnings(s, o, nil, nil)
			_ = Extract(s, &o)
			if applied, err := Apply(s, o, nil); err == nil {
				if _, err := applied.MarshalJSON(); err != nil {
					t.Fatalf("MarshalJSON after Apply: %v", err)
				}
			}
		}
	})
}
