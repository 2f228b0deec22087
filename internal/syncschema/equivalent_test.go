package syncschema

import (
	"encoding/json"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

func TestEquivalentExpression(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{activeSwitch, `Switch( [IsSoftDeleted],,"False","True" , "True","False" )`, true},
		{`Mid([userPrincipalName], 1, 8)`, `Mid([userPrincipalName], "1", "8")`, true},
		{`Replace([preferredLanguage], "-", , , "_", , )`, `Replace([preferredLanguage], "-", , , "_")`, true},
		{`Join(" ", [givenName], [surname])`, `Join(" ", [surname], [givenName])`, false},
		{`Join(" ", [givenName], [surname])`, `Join("", [givenName], [surname])`, false},
		{`[mail]`, `[Mail]`, false},
		{`"x"`, `[x]`, false},
		{`Join(" ", [givenName]`, `Join(" ", [givenName]`, true}, // identical unparsable text
		{`Join(" ", [givenName]`, `Join(" ",[givenName]`, false},
	}
	for _, tt := range tests {
		if got := EquivalentExpression(tt.a, tt.b); got != tt.want {
			t.Errorf("EquivalentExpression(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// mutate returns a copy of the template after f changed its decoded JSON.
func mutate(t *testing.T, f func(doc map[string]any, user map[string]any)) *Schema {
	t.Helper()
	s := template(t)
	_, user := s.findObjectMapping("User")
	f(s.doc, user)
	return s
}

func TestEquivalentSchemas(t *testing.T) {
	reverse := func(a []any) {
		for i, j := 0, len(a)-1; i < j; i, j = i+1, j-1 {
			a[i], a[j] = a[j], a[i]
		}
	}
	tests := []struct {
		name   string
		change func(doc, user map[string]any)
		want   bool
	}{
		{"reordered attribute mappings and attributes", func(doc, user map[string]any) {
			reverse(user["attributeMappings"].([]any))
			for _, d := range objects(doc["directories"]) {
				for _, o := range objects(d["objects"]) {
					reverse(o["attributes"].([]any))
				}
			}
		}, true},
		{"version and flag spacing", func(doc, user map[string]any) {
			doc["version"] = "Date:2026-01-01T00:00:00Z, ActivityId:x"
			user["flowTypes"] = "Add,Update,Delete"
		}, true},
		{"Graph defaults", func(doc, user map[string]any) {
			for _, m := range objects(user["attributeMappings"]) {
				m["defaultValue"] = ""
				delete(m, "flowBehavior")
				delete(m, "flowType")
				delete(m, "matchingPriority")
			}
			// matchingPriority was 1 on userName: restore it, 0 is the default only.
			mappingsByName(user)["userName"]["matchingPriority"] = json.Number("1")
		}, true},
		{"expression text and Switch encoding", func(doc, user map[string]any) {
			active := mappingsByName(user)["active"]
			n, err := expression.Parse(`Switch([IsSoftDeleted],,"False","True","True","False")`)
			if err != nil {
				t.Fatal(err)
			}
			tree, err := expression.ToSource(n, nil)
			if err != nil {
				t.Fatal(err)
			}
			tree["expression"] = `Switch([IsSoftDeleted],,"False","True","True","False")`
			active["source"] = tree
		}, true},
		{"different source attribute", func(doc, user map[string]any) {
			mappingsByName(user)["title"]["source"].(map[string]any)["name"] = "department"
		}, false},
		{"different matching priority", func(doc, user map[string]any) {
			mappingsByName(user)["userName"]["matchingPriority"] = json.Number("2")
		}, false},
		{"different flowType", func(doc, user map[string]any) {
			mappingsByName(user)["title"]["flowType"] = "ObjectAddOnly"
		}, false},
		{"removed mapping", func(doc, user map[string]any) {
			user["attributeMappings"] = user["attributeMappings"].([]any)[1:]
		}, false},
		{"unknown field value", func(doc, user map[string]any) {
			user["futureField"] = "x"
		}, false},
	}
	orig := template(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := mutate(t, tt.change)
			if got := EquivalentSchemas(orig, changed); got != tt.want {
				t.Errorf("EquivalentSchemas = %v, want %v", got, tt.want)
			}
			if got := EquivalentSchemas(changed, orig); got != tt.want {
				t.Errorf("EquivalentSchemas (swapped) = %v, want %v", got, tt.want)
			}
		})
	}
}
