package expression

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzParse guards the parser: it never panics, and whenever Parse succeeds
// Parse(Format(n)) equals n, Format is a fixed point, Validate and the Graph
// tree conversion do not panic, and a tree that converts converts back to
// the same expression.
func FuzzParse(f *testing.F) {
	for _, s := range docExamples {
		f.Add(s)
	}
	for _, s := range []string{
		``, `[`, `"`, `"\`, `F(`, `F(,`, `F( , , )`, `-`, `&H`, `&HZ`, `1.`, `IIF([a]=`, `IIF([a]=1=2,1,2)`,
		`[a] <> [b]`, `vb`, `a (`, `"\\\""`, "[\xff]", `F(G(H(I())))`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", src, err)
			}
			if se := err.(*SyntaxError); se.Pos < 0 || se.Pos > len(src) {
				t.Fatalf("Parse(%q): error offset %d outside the source", src, se.Pos)
			}
			return
		}
		text := Format(n)
		back, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) ok but its canonical form %q does not parse: %v", src, text, err)
		}
		if !Equal(back, n) {
			t.Fatalf("Parse(Format(Parse(%q))) differs: %q vs %q", src, Format(back), text)
		}
		if again := Format(back); again != text {
			t.Fatalf("Format not a fixed point for %q: %q then %q", src, text, again)
		}
		if utf8.ValidString(src) && len(text) > len(src)*2+2 {
			t.Fatalf("canonical form of %q grew unreasonably: %q", src, text)
		}
		_ = Validate(n)
		tree, err := ToSource(n, nil)
		if err != nil {
			return // unknown function or wrong arity: nothing to convert
		}
		fromTree, err := FromSource(tree)
		if err == nil && n.Kind == Constant {
			fromTree.Bare = n.Bare // a lone constant's tree is always quoted
		}
		if err != nil || !Equal(fromTree, n) {
			t.Fatalf("FromSource(ToSource(%q)) = %v, %v", text, fromTree, err)
		}
	})
}

// FuzzFromSource guards the Graph tree decoder, which reads trees a client
// PUT into the simulator or Graph returned: it never panics, and whatever it
// accepts formats to text that parses back to the same expression.
func FuzzFromSource(f *testing.F) {
	for _, src := range docExamples {
		n, err := Parse(src)
		if err != nil {
			f.Fatal(err)
		}
		tree, err := ToSource(n, nil)
		if err != nil {
			f.Fatal(err)
		}
		b, _ := json.Marshal(tree)
		f.Add(string(b))
		stripExpressions(tree)
		b, _ = json.Marshal(tree)
		f.Add(string(b))
	}
	f.Add(`{"type":"Function","name":"=","parameters":[{"key":"left","value":{"name":"a"}},{"key":"right","value":{"type":"Constant","name":"b"}}]}`)
	f.Add(`{"type":"Function","name":"Switch","parameters":[{"key":"source","value":{"name":"a"}},{"key":"x","value":{"type":"Constant","name":"y"}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var src map[string]any
		if json.Unmarshal([]byte(body), &src) != nil {
			return
		}
		n, err := FromSource(src)
		if err != nil {
			return
		}
		text := Format(n)
		back, err := Parse(text)
		if err != nil {
			if utf8.RuneCountInString(text) > MaxLength {
				return
			}
			t.Fatalf("FromSource(%s) gave %q, which does not parse: %v", body, text, err)
		}
		if !Equal(back, n) {
			t.Fatalf("FromSource(%s) gave %q, which parses to %q", body, text, Format(back))
		}
	})
}
