package expression

import (
	"reflect"
	"strings"
	"testing"
)

func validateSrc(t *testing.T, src string) []Diagnostic {
	t.Helper()
	n, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return Validate(n)
}

func TestValidateAcceptsDocumentedExpressions(t *testing.T) {
	for _, src := range docExamples {
		ds := validateSrc(t, src)
		want, warned := docWarnings[src]
		if warned && (len(ds) != 1 || ds[0].Severity != SeverityWarning || !strings.Contains(ds[0].Message, want)) {
			t.Errorf("%s: want one warning containing %q, got %v", src, want, ds)
		}
		if !warned && len(ds) > 0 {
			t.Errorf("%s: unexpected %v", src, ds)
		}
	}
}

func TestValidateMessages(t *testing.T) {
	tests := []struct {
		src      string
		pos      int
		severity Severity
		message  string
	}{
		{`Swich([a], , "x", "y")`, 0, SeverityError, "`Swich` is not a function; did you mean `Switch`?"},
		{`switch([a], , "x", "y")`, 0, SeverityError, "`switch` is not a function; did you mean `Switch`? function names are case-sensitive"},
		{`Append([a], Jion(" ", [b]))`, 12, SeverityError, "`Jion` is not a function; did you mean `Join`?"},
		{`Frobnicate([a])`, 0, SeverityError, "`Frobnicate` is not a function; the catalog has 48 functions"},
		{`Join(" ")`, 0, SeverityError, "`Join` needs at least 2 arguments (separator, source…); got 1"},
		{`Mid([a], 1)`, 0, SeverityError, "`Mid` needs exactly 3 arguments (source, start, length); got 2"},
		{`Left([a], 1, 2)`, 13, SeverityError, "`Left` takes exactly 2 arguments (String, NumChars); got 3"},
		{`ToLower([a], "en-US", "x")`, 22, SeverityError, "`ToLower` takes at most 2 arguments (source, [culture]); got 3"},
		{`FormatDateTime([a], "x")`, 0, SeverityError, "`FormatDateTime` needs 3 to 4 arguments (source, [dateTimeStyles], inputFormat, outputFormat); got 2"},
		{`Guid([a])`, 0, SeverityError, "`Guid` takes no arguments; got 1"},
		{`Join(" ", , [a])`, 0, SeverityError, "argument 2 of `Join` (source) is empty but required"},
		{`FormatDateTime([a], , , "yyyy")`, 0, SeverityError, "argument 3 of `FormatDateTime` (inputFormat) is empty but required"},
		{`Switch([a], "x", "y")`, 0, SeverityError, "did you forget the empty default"},
		{`Switch([a], , "k1", "v1", "k2")`, 26, SeverityError, "`Switch` has a key without a value"},
		{`Switch([a])`, 0, SeverityError, "at least one key/value pair"},
		{`Switch([a], , , "v")`, 0, SeverityError, "argument 3 of `Switch` is an empty key"},
		{`Switch(IsPresent([a]), , "True", "x")`, 7, SeverityWarning, "advises against `IsPresent`"},
		{`Append(SelectUniqueValue([a], [b]), "x")`, 7, SeverityError, "must be the outermost function"},
		{`SelectUniqueValue([a])`, 0, SeverityError, "needs at least 2 rules"},
		{`IIF([c] <> "", [c], "none")`, 4, SeverityWarning, "condition check fails when [c] is empty or null; use Switch([c], [c], \"\", \"<value if empty>\")"},
		{`Split([proxyAddresses])`, 0, SeverityWarning, "`Split` without a delimiter"},
		{`Replace([a], "x")`, 0, SeverityWarning, "`Replace` does nothing useful"},
		{`Replace([a], , , , "x", , )`, 0, SeverityWarning, "`Replace` does nothing useful"},
		{`RandomString(300, 1, 1, 1, 1)`, 13, SeverityError, "length is at most 256; got 300"},
		{`RandomString(3, 1, 1, 1, 1)`, 0, SeverityError, "length 3 is shorter than the minimum counts it must contain (4)"},
		{`Item([proxyAddresses], 0)`, 23, SeverityWarning, "counts from 1"},
		{`Mid([a], "one", 3)`, 9, SeverityWarning, "`Mid` expects an integer for start; got \"one\""},
		{`Append([a] = "x", "y")`, 7, SeverityWarning, "documented only as the condition of IIF"},
		{`IIF([a], [b] <> "x", "y")`, 9, SeverityWarning, "documented only as the condition of IIF"},
		{`IIF([b] = "x", Guid, "y")`, 15, SeverityWarning, "`Guid` is a function; write `Guid()`"},
	}
	for _, tt := range tests {
		ds := validateSrc(t, tt.src)
		if len(ds) != 1 {
			t.Errorf("%s: want 1 diagnostic, got %v", tt.src, ds)
			continue
		}
		d := ds[0]
		if d.Pos != tt.pos || d.Severity != tt.severity || !strings.Contains(d.Message, tt.message) {
			t.Errorf("%s:\n got %s\nwant %s at offset %d: %s", tt.src, d, tt.severity, tt.pos, tt.message)
		}
	}
}

func TestValidateSuggestionsAreStructured(t *testing.T) {
	ds := validateSrc(t, `Swich([a], , "x", "y")`)
	if len(ds) != 1 || !reflect.DeepEqual(ds[0].Suggestions, []string{"Switch"}) {
		t.Fatalf("diagnostics = %+v", ds)
	}
	if !HasErrors(ds) {
		t.Error("HasErrors = false for an unknown function")
	}
	if HasErrors(validateSrc(t, `Split([a])`)) {
		t.Error("a warning alone must not count as an error")
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	ds := validateSrc(t, `Jion(Mid([a]), Swich([b]))`)
	var got []string
	for _, d := range ds {
		got = append(got, d.Message[:strings.Index(d.Message, ";")])
	}
	want := []string{"`Jion` is not a function", "`Mid` needs exactly 3 arguments (source, start, length)", "`Swich` is not a function"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestValidateLength(t *testing.T) {
	long := &Node{Kind: Function, Name: "Append", Args: []*Node{attr("a"), str(strings.Repeat("x", MaxLength))}}
	ds := Validate(long)
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "Entra accepts at most 10000") {
		t.Errorf("diagnostics = %v", ds)
	}
}

func TestValidateProgrammaticNodes(t *testing.T) {
	for _, tt := range []struct {
		n    *Node
		want string
	}{
		{nil, "empty expression"},
		{attr("a]b"), "cannot be written as [name]"},
		{cmp("==", attr("a"), str("b")), `"==" is not a comparison operator`},
		{&Node{Kind: Function, Name: "=", Operator: true, Args: []*Node{attr("a")}}, "needs a left and a right operand"},
		{&Node{Kind: Kind(9)}, "is not Attribute, Constant or Function"},
	} {
		ds := Validate(tt.n)
		if len(ds) == 0 || !strings.Contains(ds[0].Message, tt.want) {
			t.Errorf("Validate(%s) = %v, want %q", Format(tt.n), ds, tt.want)
		}
	}
}

func TestValidateWithTenantCatalog(t *testing.T) {
	c, err := CatalogFromJSON([]byte(`{"value":[{"name":"Shout","parameters":[{"name":"text","required":true,"allowMultipleOccurrences":false,"type":"String"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := Parse(`Shout(Append([a], "!"))`)
	ds := c.Validate(n)
	if len(ds) != 1 || !strings.HasPrefix(ds[0].Message, "`Append` is not a function") {
		t.Errorf("diagnostics = %v", ds)
	}
}

func TestValidateAttributes(t *testing.T) {
	attrs := []string{"givenName", "surname", "mail", "IsSoftDeleted"}
	known := func(name string) bool {
		for _, a := range attrs {
			if a == name {
				return true
			}
		}
		return false
	}
	suggest := func(name string) []string { return Suggest(name, attrs) }
	n, _ := Parse(`Join(" ", [givenNme], [surname], [Mail], [zzz])`)
	ds := ValidateAttributesOf(n, "User", known, suggest)
	want := []string{
		"[givenNme] is not an attribute of User; did you mean `[givenName]`?",
		"[Mail] is not an attribute of User; did you mean `[mail]`?",
		"[zzz] is not an attribute of User",
	}
	if len(ds) != len(want) {
		t.Fatalf("diagnostics = %v", ds)
	}
	for i, d := range ds {
		if d.Message != want[i] {
			t.Errorf("message %d = %q, want %q", i, d.Message, want[i])
		}
	}
	if ds[0].Pos != 10 {
		t.Errorf("[givenNme] reported at %d, want 10", ds[0].Pos)
	}
	if plain := ValidateAttributes(n, known, nil); len(plain) != 3 || plain[2].Message != "[zzz] is not a source attribute" {
		t.Errorf("ValidateAttributes = %v", plain)
	}
}
