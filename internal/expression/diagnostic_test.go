package expression

import (
	"errors"
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	src := `Join(" " [givenName])`
	_, err := Parse(src)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatal(err)
	}
	if got, want := Excerpt(src, se.Pos), "Join(\" \" [givenName])\n         ^"; got != want {
		t.Errorf("Excerpt =\n%s\nwant\n%s", got, want)
	}
	// Multi-line source: only the line with the error, caret counted in characters.
	multi := "Join(\"é\",\n  [a] [b])"
	if got, want := Excerpt(multi, strings.Index(multi, "[b]")), "  [a] [b])\n      ^"; got != want {
		t.Errorf("multi-line Excerpt =\n%s\nwant\n%s", got, want)
	}
	long := `Append(` + strings.Repeat(`"x", `, 40) + `@)`
	got := Excerpt(long, strings.Index(long, "@"))
	lines := strings.Split(got, "\n")
	if !strings.HasPrefix(lines[0], "…") || len([]rune(lines[0])) > 82 {
		t.Errorf("long line not windowed: %q", lines[0])
	}
	if caret := len(lines[1]) - 1; []rune(lines[0])[caret] != '@' {
		t.Errorf("caret at column %d points at %q, want '@'", caret, []rune(lines[0])[caret])
	}
	if got := Excerpt("", 5); got != "\n^" {
		t.Errorf("empty source Excerpt = %q", got)
	}
}

func TestDiagnosticString(t *testing.T) {
	d := Diagnostic{Pos: 3, Severity: SeverityWarning, Message: "m"}
	if d.String() != "warning at offset 3: m" {
		t.Errorf("String() = %q", d.String())
	}
}

func TestDidYouMean(t *testing.T) {
	wrap := func(s string) string { return "[" + s + "]" }
	if got := didYouMean([]string{"a", "b", "c"}, wrap); got != "did you mean `[a]`, `[b]` or `[c]`?" {
		t.Errorf("three = %q", got)
	}
	if got := didYouMean(nil, wrap); got != "" {
		t.Errorf("none = %q", got)
	}
}
