package syncschema

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseRejectsNonObjects(t *testing.T) {
	for body, want := range map[string]string{
		`{"a":1} {"b":2}`: "unexpected data after the top-level object",
		`null`:            "the body is null",
		`[1,2]`:           "cannot unmarshal array",
		`{"a":`:           "unexpected EOF",
	} {
		if _, err := Parse([]byte(body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) error = %v, want it to mention %q", body, err, want)
		}
	}
}

func TestMarshalRoundTripIsExact(t *testing.T) {
	s := unknowns(t)
	body, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, literal := range []string{`"bigInt":12345678901234567890`, `"decimal":"1.50"`, `Join(\" \", [givenName], [surname])`} {
		if !strings.Contains(string(body), literal) {
			t.Errorf("marshalled JSON lacks %s", literal)
		}
	}
	back, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.doc, s.doc) {
		t.Error("Parse(MarshalJSON(s)) differs from s")
	}
	withHTML, _ := Parse([]byte(`{"e":"IIF([a] < 1 && [b] > 2, \"x\", \"y\")"}`))
	if out, _ := withHTML.MarshalJSON(); string(out) != `{"e":"IIF([a] < 1 && [b] > 2, \"x\", \"y\")"}` {
		t.Errorf("MarshalJSON escaped HTML characters: %s", out)
	}
}

func TestCloneSharesNothing(t *testing.T) {
	s := template(t)
	c := s.Clone()
	_, user := c.findObjectMapping("User")
	mappingsByName(user)["userName"]["matchingPriority"] = "changed"
	user["attributeMappings"] = append(user["attributeMappings"].([]any), "extra")
	if _, orig := s.findObjectMapping("User"); mappingsByName(orig)["userName"]["matchingPriority"] == "changed" ||
		len(orig["attributeMappings"].([]any)) != 22 {
		t.Error("changing the clone changed the original")
	}
}

func TestSchemaAccessors(t *testing.T) {
	s := unknowns(t)
	if got := s.RuleIDFor("Group"); got != "8a6c1d2e-4b7f-4c5a-9e3d-1f2b3c4d5e6f" {
		t.Errorf("RuleIDFor(Group) = %q", got)
	}
	if got := s.RuleIDFor("Contact"); got != "" {
		t.Errorf("RuleIDFor(Contact) = %q, want empty", got)
	}
	if got := s.SourceObjectNames(); !reflect.DeepEqual(got, []string{"User", "Group"}) {
		t.Errorf("SourceObjectNames = %v", got)
	}
	if got := s.Version(); !strings.HasPrefix(got, "Date:2025-03-30") {
		t.Errorf("Version = %q", got)
	}
}

// TestSeveralRules documents how object mappings resolve when a schema has
// more than one rule: the first rule holding the source object wins, and
// the later rule is left alone.
func TestSeveralRules(t *testing.T) {
	s := template(t)
	rules := s.doc["synchronizationRules"].([]any)
	second := deepCopy(rules[0]).(map[string]any)
	second["id"] = "second-rule"
	s.doc["synchronizationRules"] = append(rules, second)

	got := mustApply(t, s, aptyOverlay())
	gotRules := objects(got.doc["synchronizationRules"])
	if n := len(objects(objects(gotRules[0]["objectMappings"])[0]["attributeMappings"])); n != 3 {
		t.Errorf("first rule's User has %d mappings, want 3", n)
	}
	if !reflect.DeepEqual(gotRules[1], second) {
		t.Error("the second rule changed")
	}
	if n := len(ExtractAll(got).ObjectMappings["User"].AttributeMappings); n != 3 {
		t.Errorf("ExtractAll reads %d User mappings, want the first rule's 3", n)
	}
}
