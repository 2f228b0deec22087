package expression

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func attr(name string) *Node { return &Node{Kind: Attribute, Name: name} }
func str(v string) *Node     { return &Node{Kind: Constant, Name: v} }
func bare(v string) *Node    { return &Node{Kind: Constant, Name: v, Bare: true} }
func call(name string, args ...*Node) *Node {
	return &Node{Kind: Function, Name: name, Args: args}
}
func cmp(op string, l, r *Node) *Node {
	return &Node{Kind: Function, Name: op, Operator: true, Args: []*Node{l, r}}
}

func TestParseShapes(t *testing.T) {
	tests := []struct {
		src  string
		want *Node
	}{
		{`[mail]`, attr("mail")},
		{`[extension_abc_costCenter]`, attr("extension_abc_costCenter")},
		{`[ name with spaces.and:colons ]`, attr(" name with spaces.and:colons ")},
		{`"plain"`, str("plain")},
		{`"say \"hi\" \\ done"`, str(`say "hi" \ done`)},
		{`"\d+"`, str(`\d+`)}, // unknown escape keeps the backslash
		{`""`, str("")},
		{`1000`, bare("1000")},
		{`-1`, bare("-1")},
		{`2.5`, bare("2.5")},
		{`&HF`, bare("&HF")},
		{`vbTextCompare`, bare("vbTextCompare")},
		{`Guid()`, call("Guid")},
		{`Now( )`, call("Now")},
		{`Join(" ", [givenName], [surname])`, call("Join", str(" "), attr("givenName"), attr("surname"))},
		{`Switch([IsSoftDeleted], , "False", "True", "True", "False")`,
			call("Switch", attr("IsSoftDeleted"), nil, str("False"), str("True"), str("True"), str("False"))},
		{`Replace([preferredLanguage], "-", , , "_", , )`,
			call("Replace", attr("preferredLanguage"), str("-"), nil, nil, str("_"), nil, nil)},
		{`F(,)`, call("F", nil, nil)},
		{`F(a,)`, call("F", bare("a"), nil)},
		{`IIF([country]="FR","a","b")`, call("IIF", cmp("=", attr("country"), str("FR")), str("a"), str("b"))},
		{`IIF([n] >= 10, 1, 0)`, call("IIF", cmp(">=", attr("n"), bare("10")), bare("1"), bare("0"))},
		{`IIF([a]<>[b], 1, 0)`, call("IIF", cmp("<>", attr("a"), attr("b")), bare("1"), bare("0"))},
		{`IIF([a]<=-1, 1, 0)`, call("IIF", cmp("<=", attr("a"), bare("-1")), bare("1"), bare("0"))},
		{`BitAnd(&HF, &H10)`, call("BitAnd", bare("&HF"), bare("&H10"))},
		{`Coalesce(Append([a], "x"), Left([b], 3), "none")`,
			call("Coalesce", call("Append", attr("a"), str("x")), call("Left", attr("b"), bare("3")), str("none"))},
		{" \n\tSwitch ( [x] ,\"a\" , \"b\" ) \n", call("Switch", attr("x"), str("a"), str("b"))},
	}
	for _, tt := range tests {
		got, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if !Equal(got, tt.want) {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, Format(got), Format(tt.want))
		}
	}
}

func TestParsePositions(t *testing.T) {
	n, err := Parse(`Join(" ", [givenName], Left([sn], 1))`)
	if err != nil {
		t.Fatal(err)
	}
	if n.Pos != 0 || n.Args[0].Pos != 5 || n.Args[1].Pos != 10 || n.Args[2].Pos != 23 || n.Args[2].Args[0].Pos != 28 {
		t.Errorf("positions: join %d sep %d given %d left %d sn %d",
			n.Pos, n.Args[0].Pos, n.Args[1].Pos, n.Args[2].Pos, n.Args[2].Args[0].Pos)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src     string
		pos     int
		message string
	}{
		{``, 0, "empty expression"},
		{`   `, 3, "empty expression"},
		{`Join(" " [givenName])`, 9, "expected ',' or ')' in call to Join"},
		{`Join(" ", [givenName]`, 21, "missing its closing ')'"},
		{`Join(" ", [givenName`, 10, "missing its closing ']'"},
		{`[]`, 0, "empty attribute reference"},
		{`"abc`, 0, "missing its closing '\"'"},
		{`"abc\"`, 0, "missing its closing '\"'"},
		{`[mail] [upn]`, 7, "unexpected '['"},
		{`IIF([a] = , 1, 2)`, 10, `missing right-hand side of "="`},
		{`IIF([a] = 1 = 2, 1, 2)`, 12, "cannot be chained"},
		{`12abc`, 0, "malformed number"},
		{`-x`, 0, "'-' must be followed by digits"},
		{`&G1`, 0, "hexadecimal literal"},
		{`1.`, 2, "digits must follow the decimal point"},
		{`@`, 0, "unexpected '@'"},
		{`Join(“ ”, [a])`, 5, "typographic quote"},
		// Copied verbatim from the &Money seed guide, which typeset the quotes.
		{`Switch([IsSoftDeleted], , “False”, “True”, “True”, “False”)`, 26, "typographic quote: use a straight double quote"},
		{`Join(" ",` + "\u00a0" + `[a])`, 9, "non-breaking or invisible space"},
		{`Join(" " ` + "\u00a0" + `[a])`, 9, "non-breaking or invisible space"},
		{`Join('x', [a])`, 5, "straight double quotes"},
		{`,`, 0, "only function arguments may be empty"},
		{`Left([a] 3)`, 9, "expected ',' or ')'"},
		{`F(` + strings.Repeat("G(", maxDepth) + strings.Repeat(")", maxDepth+1), 2 * maxDepth, "nested deeper"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): want *SyntaxError, got %v", tt.src, err)
			continue
		}
		if se.Pos != tt.pos || !strings.Contains(se.Msg, tt.message) {
			t.Errorf("Parse(%q) = %q at %d; want %q at %d", tt.src, se.Msg, se.Pos, tt.message, tt.pos)
		}
		if !strings.HasSuffix(se.Error(), "at offset "+strconv.Itoa(tt.pos)) {
			t.Errorf("Error() = %q does not end with the offset", se.Error())
		}
	}
}

func TestParseMaxLength(t *testing.T) {
	lit := func(n int) string { return `"` + strings.Repeat("é", n-2) + `"` } // multi-byte: length counts characters
	if _, err := Parse(lit(MaxLength)); err != nil {
		t.Fatalf("a %d-character expression must parse: %v", MaxLength, err)
	}
	_, err := Parse(lit(MaxLength + 1))
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "at most 10000") {
		t.Fatalf("want a length error, got %v", err)
	}
}
