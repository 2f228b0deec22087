package expression

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validate checks n against DefaultCatalog. See (*Catalog).Validate.
func Validate(n *Node) []Diagnostic {
	return DefaultCatalog().Validate(n)
}

// Validate checks an expression offline, the way Entra would judge it:
// unknown functions (with "did you mean" and case-sensitivity hints),
// argument counts, required arguments left empty, Switch's key/value pairs,
// SelectUniqueValue placement, comparisons outside IIF, integer parameters
// given text, and the 10,000-character limit. Diagnostics come in source
// order of the nodes, outermost first.
func (c *Catalog) Validate(n *Node) []Diagnostic {
	if n == nil {
		return []Diagnostic{{Severity: SeverityError, Message: "empty expression"}}
	}
	v := &validator{c: c}
	if l := utf8.RuneCountInString(Format(n)); l > MaxLength {
		v.errorf(n.Pos, "expression is %d characters long; Entra accepts at most %d", l, MaxLength)
	}
	Walk(n, v.node)
	return v.out
}

type validator struct {
	c   *Catalog
	out []Diagnostic
}

func (v *validator) add(pos int, sev Severity, suggestions []string, format string, args ...any) {
	v.out = append(v.out, Diagnostic{Pos: pos, Severity: sev, Message: fmt.Sprintf(format, args...), Suggestions: suggestions})
}

func (v *validator) errorf(pos int, format string, args ...any) {
	v.add(pos, SeverityError, nil, format, args...)
}

func (v *validator) warnf(pos int, format string, args ...any) {
	v.add(pos, SeverityWarning, nil, format, args...)
}

func (v *validator) node(n, parent *Node, index int) {
	switch n.Kind {
	case Attribute:
		if !writableAttributeName(n.Name) {
			v.errorf(n.Pos, "attribute name %q cannot be written as [name]: it is empty or contains '[', ']' or a line break", n.Name)
		}
	case Constant:
		if n.Bare {
			if _, isFunc := v.c.Lookup(n.Name); isFunc {
				v.warnf(n.Pos, "`%s` is a function; write `%s()` to call it, or quote it (\"%s\") if you mean the text", n.Name, n.Name, n.Name)
			}
		}
	case Function:
		if n.Operator {
			v.comparison(n, parent, index)
			return
		}
		v.call(n, parent)
	default:
		v.errorf(n.Pos, "node kind %d is not Attribute, Constant or Function", n.Kind)
	}
}

func (v *validator) comparison(n, parent *Node, index int) {
	if !IsComparisonOperator(n.Name) {
		v.errorf(n.Pos, "%q is not a comparison operator; use one of = <> < <= > >=", n.Name)
	}
	if len(n.Args) != 2 || n.Args[0] == nil || n.Args[1] == nil {
		v.errorf(n.Pos, "comparison %q needs a left and a right operand", n.Name)
		return
	}
	// The function reference shows comparisons in IIF's condition and in
	// CBool([attribute1] = [attribute2]); anywhere else is undocumented.
	if parent == nil || parent.Operator || index != 0 || (parent.Name != "IIF" && parent.Name != "CBool") {
		v.warnf(n.Pos, "comparisons (%s) are documented only as the condition of IIF or the argument of CBool, e.g. IIF([country] = \"FR\", \"a\", \"b\")", n.Name)
	}
}

func (v *validator) call(n, parent *Node) {
	spec, ok := v.c.Lookup(n.Name)
	if !ok {
		v.unknownFunction(n)
		return
	}
	if n.Name == "Switch" {
		v.switchArgs(n, spec)
		return
	}
	if !v.arity(n, spec) {
		return
	}
	paramOf, _ := spec.Bind(len(n.Args))
	for i, a := range n.Args {
		p := spec.Params[paramOf[i]]
		if a == nil {
			if p.Required {
				v.errorf(n.Pos, "argument %d of `%s` (%s) is empty but required; parameters are (%s)", i+1, n.Name, p.Name, spec.Signature())
			}
			continue
		}
		if p.Type == "Integer" && a.Kind == Constant && !isInteger(a.Name) {
			v.warnf(a.Pos, "`%s` expects an integer for %s; got %s", n.Name, p.Name, Format(a))
		}
	}
	v.functionRules(n, parent)
}

// arity reports a wrong argument count and returns false if there was one.
func (v *validator) arity(n *Node, spec *FunctionSpec) bool {
	min, max, got := spec.MinArgs(), spec.MaxArgs(), len(n.Args)
	if got >= min && (max < 0 || got <= max) {
		return true
	}
	var need string
	switch {
	case max == 0:
		v.errorf(n.Pos, "`%s` takes no arguments; got %d", n.Name, got)
		return false
	case max < 0:
		need = fmt.Sprintf("at least %d %s", min, plural(min, "argument"))
	case got > max && min != max:
		need = fmt.Sprintf("at most %d %s", max, plural(max, "argument"))
	case min == max:
		need = fmt.Sprintf("exactly %d %s", min, plural(min, "argument"))
	default:
		need = fmt.Sprintf("%d to %d arguments", min, max)
	}
	verb := "needs"
	if got > max && max >= 0 {
		verb = "takes"
	}
	pos := n.Pos
	if max >= 0 && got > max && n.Args[max] != nil {
		pos = n.Args[max].Pos
	}
	v.errorf(pos, "`%s` %s %s (%s); got %d", n.Name, verb, need, spec.Signature(), got)
	return false
}

// switchArgs checks Switch(source, default, key1, value1, key2, value2, …):
// the function reference requires at least one pair and a default slot,
// which may be empty.
func (v *validator) switchArgs(n *Node, spec *FunctionSpec) {
	got := len(n.Args)
	example := `Switch([IsSoftDeleted], , "False", "True", "True", "False")`
	switch {
	case got < 4 && got != 3:
		v.errorf(n.Pos, "`Switch` needs the source, a default value (may be empty) and at least one key/value pair, as in %s; got %d %s", example, got, plural(got, "argument"))
		return
	case got == 3:
		v.errorf(n.Pos, "`Switch` needs the source, a default value (may be empty) and key/value pairs; got 3 arguments — did you forget the empty default, as in Switch([x], , \"key\", \"value\")?")
		return
	case (got-2)%2 != 0:
		last := n.Args[got-1]
		pos := n.Pos
		if last != nil {
			pos = last.Pos
		}
		v.errorf(pos, "`Switch` has a key without a value: after the source and the default, arguments must come in key/value pairs; got %d arguments", got)
		return
	}
	if n.Args[0] == nil {
		v.errorf(n.Pos, "argument 1 of `Switch` (source) is empty but required; parameters are (%s)", spec.Signature())
	} else if src := n.Args[0]; src.Kind == Function && (src.Name == "IsPresent" || src.Name == "IsNull" || src.Name == "IsNullOrEmpty") {
		v.warnf(src.Pos, "the function reference advises against `%s` as the source of `Switch`; use IIF(%s(…), …, …) instead", src.Name, src.Name)
	}
	for i := 2; i < got; i++ {
		if n.Args[i] == nil {
			role := "key"
			if i%2 == 1 {
				role = "value"
			}
			v.errorf(n.Pos, "argument %d of `Switch` is an empty %s; every key/value pair needs both parts (use \"\" for empty text)", i+1, role)
		}
	}
}

func (v *validator) unknownFunction(n *Node) {
	names := v.c.Names()
	for _, name := range names {
		if strings.EqualFold(name, n.Name) {
			v.add(n.Pos, SeverityError, []string{name}, "`%s` is not a function; did you mean `%s`? function names are case-sensitive", n.Name, name)
			return
		}
	}
	if s := Suggest(n.Name, names); len(s) > 0 {
		v.add(n.Pos, SeverityError, s, "`%s` is not a function; %s", n.Name, didYouMean(s, identity))
		return
	}
	v.errorf(n.Pos, "`%s` is not a function; the catalog has %d functions (e.g. Append, Join, Switch, IIF, Replace)", n.Name, v.c.Len())
}

// ValidateAttributes reports attribute references that known rejects, with
// suggest's candidates as "did you mean". suggest may be nil.
func ValidateAttributes(n *Node, known func(name string) bool, suggest func(name string) []string) []Diagnostic {
	return ValidateAttributesOf(n, "", known, suggest)
}

// ValidateAttributesOf is ValidateAttributes naming the source object in
// messages: "[givenNme] is not an attribute of User; did you mean [givenName]?".
func ValidateAttributesOf(n *Node, object string, known func(name string) bool, suggest func(name string) []string) []Diagnostic {
	of := "a source attribute"
	if object != "" {
		of = "an attribute of " + object
	}
	var out []Diagnostic
	Walk(n, func(x, _ *Node, _ int) {
		if x.Kind != Attribute || known(x.Name) {
			return
		}
		var s []string
		if suggest != nil {
			s = suggest(x.Name)
		}
		msg := fmt.Sprintf("[%s] is not %s", x.Name, of)
		if len(s) > 0 {
			msg += "; " + didYouMean(s, func(a string) string { return "[" + a + "]" })
		}
		out = append(out, Diagnostic{Pos: x.Pos, Severity: SeverityError, Message: msg, Suggestions: s})
	})
	return out
}

func identity(s string) string { return s }

func isInteger(s string) bool {
	_, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return err == nil || (strings.HasPrefix(s, "&H") || strings.HasPrefix(s, "&h")) && isBareLiteral(s)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
