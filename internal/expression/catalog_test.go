package expression

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultCatalogMatchesReference(t *testing.T) {
	c := DefaultCatalog()
	if c.Len() != 48 {
		t.Errorf("DefaultCatalog has %d functions; the reference file lists 48", c.Len())
	}
	if _, ok := c.Lookup("AssertNotNull"); ok {
		t.Error("AssertNotNull is not documented anywhere and must not be in the catalog")
	}
	if _, ok := c.Lookup("switch"); ok {
		t.Error("Lookup must be case-sensitive")
	}
	// The embedded copy must stay identical to the shared reference when it is available.
	if ref, err := os.ReadFile("../../../shared/reference/expression-functions.json"); err == nil && string(ref) != string(functionsJSON) {
		t.Error("functions.json differs from shared/reference/expression-functions.json; copy the reference again")
	}
}

func TestSignaturesAndArity(t *testing.T) {
	c := DefaultCatalog()
	tests := []struct {
		name      string
		signature string
		min, max  int
	}{
		{"Join", "separator, source…", 2, -1},
		{"Switch", "source, [defaultValue], [switchValue…]", 1, -1},
		{"Coalesce", "source…, [defaultValue]", 1, -1},
		{"FormatDateTime", "source, [dateTimeStyles], inputFormat, outputFormat", 3, 4},
		{"Replace", "source, [Find], [RegularExpression], [RegularExpressionGroupName], [Replacement], [ReplacementPropertyName], [Template]", 1, 7},
		{"Guid", "", 0, 0},
	}
	for _, tt := range tests {
		f, ok := c.Lookup(tt.name)
		if !ok {
			t.Fatalf("%s missing", tt.name)
		}
		if f.Signature() != tt.signature || f.MinArgs() != tt.min || f.MaxArgs() != tt.max {
			t.Errorf("%s: signature %q [%d,%d], want %q [%d,%d]", tt.name, f.Signature(), f.MinArgs(), f.MaxArgs(), tt.signature, tt.min, tt.max)
		}
	}
}

func TestBind(t *testing.T) {
	c := DefaultCatalog()
	names := func(fn string, nargs int) []string {
		f, _ := c.Lookup(fn)
		idx, ok := f.Bind(nargs)
		if !ok {
			return nil
		}
		out := make([]string, len(idx))
		for i, p := range idx {
			out[i] = f.Params[p].Name
		}
		return out
	}
	tests := []struct {
		fn    string
		nargs int
		want  []string
	}{
		{"FormatDateTime", 3, []string{"source", "inputFormat", "outputFormat"}},
		{"FormatDateTime", 4, []string{"source", "dateTimeStyles", "inputFormat", "outputFormat"}},
		{"Replace", 3, []string{"source", "Find", "RegularExpression"}},
		{"Join", 3, []string{"separator", "source", "source"}},
		{"Coalesce", 3, []string{"source", "source", "source"}},
		{"Switch", 6, []string{"source", "defaultValue", "switchValue", "switchValue", "switchValue", "switchValue"}},
		{"InStr", 3, []string{"value1", "value2", "start"}},
		{"Mid", 2, nil},
		{"Mid", 4, nil},
	}
	for _, tt := range tests {
		if got := names(tt.fn, tt.nargs); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s with %d arguments binds %v, want %v", tt.fn, tt.nargs, got, tt.want)
		}
	}
}

func TestCatalogFromJSON(t *testing.T) {
	body := `{"@odata.context":"x","value":[{"name":"Append","parameters":[
	  {"allowMultipleOccurrences":false,"name":"source","required":true,"type":"String"},
	  {"allowMultipleOccurrences":false,"name":"suffix","required":true,"type":"String"}]},
	  {"name":"Now","parameters":[]}]}`
	c, err := CatalogFromJSON([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Names(), []string{"Append", "Now"}) {
		t.Errorf("names = %v", c.Names())
	}
	if f, _ := c.Lookup("Append"); f.Signature() != "source, suffix" {
		t.Errorf("Append signature = %q", f.Signature())
	}
	if c2, err := CatalogFromJSON([]byte(`[{"name":"Now"}]`)); err != nil || c2.Len() != 1 {
		t.Errorf("bare array: %v, %v", c2, err)
	}
	for bad, want := range map[string]string{
		`{"value":[{"parameters":[]}]}`:                             "function #1 has no name",
		`{"value":[{"name":"A"},{"name":"A"}]}`:                     "function A is listed twice",
		`{"value":[{"name":"A","parameters":[{"type":"String"}]}]}`: "parameter #1 has no name",
		`{"error":{"code":"x"}}`:                                    `no "value" array`,
		`{"value":`:                                                 "decode functions response",
	} {
		if _, err := CatalogFromJSON([]byte(bad)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CatalogFromJSON(%s) error = %v, want %q", bad, err, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := DefaultCatalog().Names()
	tests := []struct {
		name string
		want []string
	}{
		{"Swich", []string{"Switch"}},
		{"switch", []string{"Switch"}},
		{"Jion", []string{"Join"}},
		{"FormatDatetime", []string{"FormatDateTime"}},
		{"Coalese", []string{"Coalesce"}},
		{"Xyzzy", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := Suggest(tt.name, names)
		if len(got) > 0 && tt.want != nil && got[0] != tt.want[0] || (tt.want == nil) != (len(got) == 0) {
			t.Errorf("Suggest(%q) = %v, want first %v", tt.name, got, tt.want)
		}
	}
	attrs := []string{"givenName", "surname", "mail", "mailNickname", "mobile"}
	if got := Suggest("givenNme", attrs); !reflect.DeepEqual(got, []string{"givenName"}) {
		t.Errorf("Suggest(givenNme) = %v", got)
	}
	if got := Suggest("mial", attrs); len(got) == 0 || got[0] != "mail" {
		t.Errorf("transposition: Suggest(mial) = %v", got)
	}
	if got := Suggest("mail", attrs); len(got) != 0 && got[0] == "mail" {
		t.Errorf("an exact match is not a suggestion: %v", got)
	}
	if got := Suggest("a", []string{"b", "c", "d", "e", "f"}); len(got) > 3 {
		t.Errorf("at most three suggestions, got %v", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"kitten", "sitting", 3}, {"é", "e", 1}, {"", "abcd", 4},
	} {
		if got := editDistance(tt.a, tt.b, 10); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := editDistance("abcdefgh", "zzzzzzzz", 2); got != 3 {
		t.Errorf("the limit must cut off early: got %d, want 3", got)
	}
}

// TestDefaultCatalogConcurrentUse: the provider validates many mappings in
// parallel against the shared catalog (run with -race).
func TestDefaultCatalogConcurrentUse(t *testing.T) {
	done := make(chan []Diagnostic)
	for i := 0; i < 8; i++ {
		go func() {
			n, _ := Parse(`Swich([a], , "x", "y")`)
			done <- DefaultCatalog().Validate(n)
		}()
	}
	for i := 0; i < 8; i++ {
		if ds := <-done; len(ds) != 1 || ds[0].Suggestions[0] != "Switch" {
			t.Errorf("concurrent Validate = %v", ds)
		}
	}
}
