package expression

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLength is the longest expression Entra accepts, in characters
// (entra-docs known-issues.md).
const MaxLength = 10000

// maxDepth bounds call nesting so hostile input cannot exhaust the stack;
// real mappings nest a handful of levels.
const maxDepth = 200

// SyntaxError is a parse failure at a byte offset of the source.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at offset %d", e.Msg, e.Pos)
}

// Parse parses one Entra attribute-mapping expression. The grammar is
// described in the package README.
func Parse(src string) (*Node, error) {
	if n := utf8.RuneCountInString(src); n > MaxLength {
		return nil, &SyntaxError{Pos: byteOffsetOfRune(src, MaxLength), Msg: fmt.Sprintf(
			"expression is %d characters long; Entra accepts at most %d, so split the logic or shorten literals", n, MaxLength)}
	}
	p := &parser{src: src}
	p.skipSpace()
	if p.eof() {
		return nil, p.errorf(p.pos, "empty expression; write an attribute such as [mail], a string such as \"text\" or a function call")
	}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.eof() {
		return nil, p.errorf(p.pos, "unexpected %s after the end of the expression", p.describeHere())
	}
	return n, nil
}

// Normalize returns the canonical text of src: Format(Parse(src)). Two
// expressions with the same canonical text are the same expression.
func Normalize(src string) (string, error) {
	n, err := Parse(src)
	if err != nil {
		return "", err
	}
	return Format(n), nil
}

type parser struct {
	src   string
	pos   int
	depth int
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

func (p *parser) errorf(pos int, format string, args ...any) error {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// describeHere names the character at the cursor for error messages.
func (p *parser) describeHere() string {
	if p.eof() {
		return "end of expression"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return fmt.Sprintf("%q", r)
}

// lookalikeHint explains characters that creep in when expressions are
// copied from web pages or word processors.
func (p *parser) lookalikeHint() string {
	if p.eof() {
		return ""
	}
	switch r, _ := utf8.DecodeRuneInString(p.src[p.pos:]); r {
	case '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb':
		return " (a typographic quote: use a straight double quote \")"
	case '\u2018', '\u2019', '\'':
		return " (strings use straight double quotes \")"
	case '\u00a0', '\u2002', '\u2003', '\u2009', '\u200b', '\ufeff':
		return " (a non-breaking or invisible space: replace it with a normal space)"
	case '\uff0c':
		return " (a full-width comma: use ,)"
	}
	return ""
}

func (p *parser) skipSpace() {
	for !p.eof() {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// expr is an operand optionally followed by one comparison operator and a
// second operand. Comparisons do not chain.
func (p *parser) expr() (*Node, error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	op := p.operatorHere()
	if op == "" {
		return left, nil
	}
	opPos := p.pos
	p.pos += len(op)
	p.skipSpace()
	if p.eof() || p.peek() == ',' || p.peek() == ')' {
		return nil, p.errorf(p.pos, "missing right-hand side of %q (operator at offset %d)", op, opPos)
	}
	right, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if next := p.operatorHere(); next != "" {
		return nil, p.errorf(p.pos, "comparisons cannot be chained: found %q after %q; IIF takes a single comparison", next, op)
	}
	return &Node{Kind: Function, Name: op, Operator: true, Args: []*Node{left, right}, Pos: left.Pos}, nil
}

func (p *parser) operatorHere() string {
	rest := p.src[p.pos:]
	for _, op := range comparisonOperators {
		if strings.HasPrefix(rest, op) {
			return op
		}
	}
	return ""
}

func (p *parser) operand() (*Node, error) {
	start := p.pos
	switch c := p.peek(); {
	case p.eof():
		return nil, p.errorf(p.pos, "expected an expression but the input ended")
	case c == '[':
		return p.attribute()
	case c == '"':
		return p.stringLiteral()
	case isIdentStart(c):
		return p.identifierOrCall()
	case c == '-' || isDigit(c):
		return p.number()
	case c == '&':
		return p.hex()
	case c == ',' || c == ')':
		return nil, p.errorf(start, "expected an expression before %q; only function arguments may be empty", string(c))
	default:
		return nil, p.errorf(start, "unexpected %s; expected [attribute], \"string\", a number or a function call%s", p.describeHere(), p.lookalikeHint())
	}
}

func (p *parser) attribute() (*Node, error) {
	start := p.pos
	p.pos++ // '['
	for i := p.pos; i < len(p.src); i++ {
		switch p.src[i] {
		case ']':
			name := p.src[p.pos:i]
			if name == "" {
				return nil, p.errorf(start, "empty attribute reference []; write the attribute name inside the brackets, e.g. [mail]")
			}
			p.pos = i + 1
			return &Node{Kind: Attribute, Name: name, Pos: start}, nil
		case '[', '\n':
			return nil, p.errorf(i, "attribute reference opened at offset %d is missing its closing ']'", start)
		}
	}
	return nil, p.errorf(start, "attribute reference is missing its closing ']'")
}

// stringLiteral reads "…". A backslash escapes the next character; Entra
// documents only \" and \\, and a backslash before any other character is
// kept literally (so regular expressions like "\d" survive) — the formatter
// then writes it as \\, which parses back to the same value.
func (p *parser) stringLiteral() (*Node, error) {
	start := p.pos
	p.pos++ // opening quote
	var b strings.Builder
	for i := p.pos; i < len(p.src); i++ {
		switch c := p.src[i]; c {
		case '"':
			p.pos = i + 1
			return &Node{Kind: Constant, Name: b.String(), Pos: start}, nil
		case '\\':
			if i+1 < len(p.src) && (p.src[i+1] == '"' || p.src[i+1] == '\\') {
				b.WriteByte(p.src[i+1])
				i++
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return nil, p.errorf(start, "string literal is missing its closing '\"' (write \\\" for a quote inside a string)")
}

func (p *parser) identifierOrCall() (*Node, error) {
	start := p.pos
	for !p.eof() && isIdentPart(p.peek()) {
		p.pos++
	}
	name := p.src[start:p.pos]
	afterName := p.pos
	p.skipSpace()
	if p.peek() != '(' {
		p.pos = afterName
		return &Node{Kind: Constant, Name: name, Bare: true, Pos: start}, nil
	}
	return p.call(name, start)
}

func (p *parser) call(name string, start int) (*Node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf(start, "function calls nested deeper than %d levels", maxDepth)
	}
	open := p.pos
	p.pos++ // '('
	n := &Node{Kind: Function, Name: name, Pos: start}
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		if c := p.peek(); c == ',' || c == ')' {
			n.Args = append(n.Args, nil) // empty argument
		} else if p.eof() {
			return nil, p.errorf(p.pos, "call to %s opened at offset %d is missing its closing ')'", name, open)
		} else {
			arg, err := p.expr()
			if err != nil {
				return nil, err
			}
			n.Args = append(n.Args, arg)
		}
		p.skipSpace()
		switch {
		case p.peek() == ',':
			p.pos++
		case p.peek() == ')':
			p.pos++
			return n, nil
		case p.eof():
			return nil, p.errorf(p.pos, "call to %s opened at offset %d is missing its closing ')'", name, open)
		default:
			return nil, p.errorf(p.pos, "expected ',' or ')' in call to %s but found %s%s", name, p.describeHere(), p.lookalikeHint())
		}
	}
}

// number reads an unquoted integer or decimal, optionally negative: 1000, -1, 2.5.
func (p *parser) number() (*Node, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	if !isDigit(p.peek()) {
		return nil, p.errorf(start, "'-' must be followed by digits, as in -1")
	}
	p.digits()
	if p.peek() == '.' {
		p.pos++
		if !isDigit(p.peek()) {
			return nil, p.errorf(p.pos, "malformed number %q: digits must follow the decimal point", p.src[start:p.pos])
		}
		p.digits()
	}
	if !p.eof() && (isIdentPart(p.peek()) || p.peek() == '.') {
		return nil, p.errorf(start, "malformed number starting %q; quote text that is not a number", p.src[start:p.pos+1])
	}
	return &Node{Kind: Constant, Name: p.src[start:p.pos], Bare: true, Pos: start}, nil
}

// hex reads a VB-style hexadecimal literal such as &HF (used by BitAnd).
func (p *parser) hex() (*Node, error) {
	start := p.pos
	p.pos++ // '&'
	if c := p.peek(); c != 'H' && c != 'h' {
		return nil, p.errorf(start, "'&' must start a hexadecimal literal such as &HF")
	}
	p.pos++
	digits := p.pos
	for !p.eof() && isHexDigit(p.peek()) {
		p.pos++
	}
	if p.pos == digits || (!p.eof() && isIdentPart(p.peek())) {
		return nil, p.errorf(start, "malformed hexadecimal literal; write &H followed by hex digits, e.g. &HF")
	}
	return &Node{Kind: Constant, Name: p.src[start:p.pos], Bare: true, Pos: start}, nil
}

func (p *parser) digits() {
	for !p.eof() && isDigit(p.peek()) {
		p.pos++
	}
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// byteOffsetOfRune converts a character index into a byte offset of s.
func byteOffsetOfRune(s string, runeIndex int) int {
	i := 0
	for off := range s {
		if i == runeIndex {
			return off
		}
		i++
	}
	return len(s)
}
