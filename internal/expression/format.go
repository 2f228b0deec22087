package expression

import "strings"

// Format returns the canonical text of n: `Name(arg1, arg2, , arg4)` with
// ", " between arguments and nothing for an empty argument, strings quoted
// with \" and \\ escaped, comparisons as `left op right`. For every node
// produced by Parse, Parse(Format(n)) equals n (ignoring Pos).
func Format(n *Node) string {
	var b strings.Builder
	writeNode(&b, n)
	return b.String()
}

func writeNode(b *strings.Builder, n *Node) {
	if n == nil {
		return
	}
	switch n.Kind {
	case Attribute:
		b.WriteByte('[')
		b.WriteString(n.Name)
		b.WriteByte(']')
	case Constant:
		if n.Bare && isBareLiteral(n.Name) {
			b.WriteString(n.Name)
		} else {
			b.WriteString(Quote(n.Name))
		}
	case Function:
		if n.Operator && len(n.Args) == 2 {
			writeNode(b, n.Args[0])
			b.WriteByte(' ')
			b.WriteString(n.Name)
			b.WriteByte(' ')
			writeNode(b, n.Args[1])
			return
		}
		b.WriteString(n.Name)
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNode(b, a)
		}
		b.WriteByte(')')
	}
}

// Quote writes s as an expression string literal, escaping \ and ".
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// isBareLiteral reports whether s can be written unquoted and read back as
// the same bare constant: an identifier, a (negative, decimal) number or a
// &H hexadecimal literal. Anything else is quoted by Format.
func isBareLiteral(s string) bool {
	switch {
	case s == "":
		return false
	case isIdentStart(s[0]):
		return allBytes(s[1:], isIdentPart)
	case s[0] == '&':
		return len(s) > 2 && (s[1] == 'H' || s[1] == 'h') && allBytes(s[2:], isHexDigit)
	}
	digits := strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(digits, ".")
	return whole != "" && allBytes(whole, isDigit) && (!hasDot || (frac != "" && allBytes(frac, isDigit)))
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}
