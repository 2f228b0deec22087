package graphsim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// This file implements the OData $filter subset Graph's directory accepts:
// eq ne gt ge lt le, and / or / not, parentheses, startswith / endswith /
// contains (case-insensitive like Entra's directory), tolower / toupper, and
// the lambda forms categories/any(c:c eq 'x') and any(c:contains(c,'x')).

// filterError is a $filter the simulator cannot accept; unsupported=true
// means the syntax was fine but the property may not be filtered on.
type filterError struct {
	msg         string
	unsupported bool
	property    string
}

func (e *filterError) Error() string { return e.msg }

type filterExpr interface {
	eval(env filterEnv) bool
}

type filterEnv struct {
	obj  map[string]any
	vars map[string]any
}

type valueExpr interface {
	value(env filterEnv) any
}

type (
	andExpr struct{ l, r filterExpr }
	orExpr  struct{ l, r filterExpr }
	notExpr struct{ e filterExpr }
	cmpExpr struct {
		op   string
		l, r valueExpr
	}
	strFuncExpr struct {
		name string
		l, r valueExpr
	}
	lambdaExpr struct {
		all       bool
		coll      valueExpr
		variable  string
		predicate filterExpr
	}
	literalValue struct{ v any }
	pathValue    struct{ segs []string }
	caseFunc     struct {
		upper bool
		v     valueExpr
	}
)

func (e andExpr) eval(env filterEnv) bool { return e.l.eval(env) && e.r.eval(env) }
func (e orExpr) eval(env filterEnv) bool  { return e.l.eval(env) || e.r.eval(env) }
func (e notExpr) eval(env filterEnv) bool { return !e.e.eval(env) }

func (e cmpExpr) eval(env filterEnv) bool {
	a, b := e.l.value(env), e.r.value(env)
	c, comparable := compareValues(a, b)
	switch e.op {
	case "eq":
		return comparable && c == 0
	case "ne":
		return !comparable || c != 0
	case "gt":
		return comparable && c > 0
	case "ge":
		return comparable && c >= 0
	case "lt":
		return comparable && c < 0
	case "le":
		return comparable && c <= 0
	}
	return false
}

// compareValues orders two JSON values; strings compare case-insensitively
// (Entra's directory does). Nil equals only nil.
func compareValues(a, b any) (int, bool) {
	if a == nil || b == nil {
		if a == nil && b == nil {
			return 0, true
		}
		return 1, false
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(strings.ToLower(x), strings.ToLower(y)), true
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		if x == y {
			return 0, true
		}
		if !x {
			return -1, true
		}
		return 1, true
	case float64, int:
		fx, fy := toFloat(a), toFloat(b)
		if fy != fy { // NaN: b not a number
			return 0, false
		}
		switch {
		case fx < fy:
			return -1, true
		case fx > fy:
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return math.NaN()
}

func (e strFuncExpr) eval(env filterEnv) bool {
	a, ok1 := e.l.value(env).(string)
	b, ok2 := e.r.value(env).(string)
	if !ok1 || !ok2 {
		return false
	}
	a, b = strings.ToLower(a), strings.ToLower(b)
	switch e.name {
	case "startswith":
		return strings.HasPrefix(a, b)
	case "endswith":
		return strings.HasSuffix(a, b)
	default:
		return strings.Contains(a, b)
	}
}

func (e lambdaExpr) eval(env filterEnv) bool {
	var items []any
	switch c := e.coll.value(env).(type) {
	case []any:
		items = c
	case []string:
		for _, s := range c {
			items = append(items, s)
		}
	}
	vars := map[string]any{}
	for k, v := range env.vars {
		vars[k] = v
	}
	for _, it := range items {
		vars[e.variable] = it
		ok := e.predicate.eval(filterEnv{obj: env.obj, vars: vars})
		if ok && !e.all {
			return true
		}
		if !ok && e.all {
			return false
		}
	}
	return e.all
}

func (v literalValue) value(filterEnv) any { return v.v }

func (v pathValue) value(env filterEnv) any {
	var cur any = env.obj
	segs := v.segs
	if val, ok := env.vars[segs[0]]; ok {
		cur, segs = val, segs[1:]
	}
	for _, s := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[s]
	}
	return cur
}

func (v caseFunc) value(env filterEnv) any {
	s, ok := v.v.value(env).(string)
	if !ok {
		return nil
	}
	if v.upper {
		return strings.ToUpper(s)
	}
	return strings.ToLower(s)
}

// parseFilter parses a $filter expression. allowed lists the properties that
// may be filtered on (first path segment); nil allows any.
func parseFilter(src string, allowed map[string]bool) (filterExpr, error) {
	toks, err := lexFilter(src)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks, allowed: allowed, vars: map[string]bool{}}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if !p.done() {
		return nil, &filterError{msg: fmt.Sprintf("Invalid filter clause: syntax error at '%s'.", p.peek().text)}
	}
	return e, nil
}

type tokKind int

const (
	tIdent tokKind = iota
	tString
	tNumber
	tLParen
	tRParen
	tComma
	tColon
)

type filterToken struct {
	kind tokKind
	text string
}

func lexFilter(src string) ([]filterToken, error) {
	var toks []filterToken
	rs := []rune(src)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(':
			toks = append(toks, filterToken{tLParen, "("})
			i++
		case c == ')':
			toks = append(toks, filterToken{tRParen, ")"})
			i++
		case c == ',':
			toks = append(toks, filterToken{tComma, ","})
			i++
		case c == ':':
			toks = append(toks, filterToken{tColon, ":"})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			closed := false
			for i < len(rs) {
				if rs[i] == '\'' {
					if i+1 < len(rs) && rs[i+1] == '\'' {
						b.WriteRune('\'')
						i += 2
						continue
					}
					closed = true
					i++
					break
				}
				b.WriteRune(rs[i])
				i++
			}
			if !closed {
				return nil, &filterError{msg: "Invalid filter clause: unterminated string literal."}
			}
			toks = append(toks, filterToken{tString, b.String()})
		case isGUIDAt(rs, i):
			// Edm.Guid literals (principalId eq 5f0c…) are unquoted in OData.
			toks = append(toks, filterToken{tString, string(rs[i : i+36])})
			i += 36
		case c == '-' || unicode.IsDigit(c):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || rs[j] == '-' || rs[j] == ':' || rs[j] == 'T' || rs[j] == 'Z') {
				j++
			}
			toks = append(toks, filterToken{tNumber, string(rs[i:j])})
			i = j
		case unicode.IsLetter(c) || c == '_' || c == '@' || c == '$':
			j := i + 1
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '/' || rs[j] == '.') {
				j++
			}
			toks = append(toks, filterToken{tIdent, string(rs[i:j])})
			i = j
		default:
			return nil, &filterError{msg: fmt.Sprintf("Invalid filter clause: unexpected character '%c'.", c)}
		}
	}
	return toks, nil
}

type filterParser struct {
	toks    []filterToken
	pos     int
	allowed map[string]bool
	vars    map[string]bool
}

func (p *filterParser) done() bool { return p.pos >= len(p.toks) }

func (p *filterParser) peek() filterToken {
	if p.done() {
		return filterToken{kind: -1, text: "end of expression"}
	}
	return p.toks[p.pos]
}

func (p *filterParser) next() filterToken {
	t := p.peek()
	p.pos++
	return t
}

func (p *filterParser) isKeyword(word string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, word)
}

func (p *filterParser) expect(k tokKind, what string) error {
	if p.peek().kind != k {
		return &filterError{msg: fmt.Sprintf("Invalid filter clause: expected %s but found '%s'.", what, p.peek().text)}
	}
	p.pos++
	return nil
}

func (p *filterParser) parseOr() (filterExpr, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("or") {
		p.pos++
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = orExpr{l, r}
	}
	return l, nil
}

func (p *filterParser) parseAnd() (filterExpr, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for p.isKeyword("and") {
		p.pos++
		r, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		l = andExpr{l, r}
	}
	return l, nil
}

func (p *filterParser) parseUnary() (filterExpr, error) {
	if p.isKeyword("not") {
		p.pos++
		e, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return notExpr{e}, nil
	}
	return p.parsePrimary()
}

func (p *filterParser) parsePrimary() (filterExpr, error) {
	t := p.peek()
	if t.kind == tLParen {
		p.pos++
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(tRParen, "')'")
	}
	if t.kind == tIdent && p.pos+1 < len(p.toks) && p.toks[p.pos+1].kind == tLParen {
		name := strings.ToLower(t.text)
		switch {
		case name == "startswith" || name == "endswith" || name == "contains":
			p.pos += 2
			l, err := p.parseValue()
			if err != nil {
				return nil, err
			}
			if err := p.expect(tComma, "','"); err != nil {
				return nil, err
			}
			r, err := p.parseValue()
			if err != nil {
				return nil, err
			}
			return strFuncExpr{name, l, r}, p.expect(tRParen, "')'")
		case strings.HasSuffix(name, "/any") || strings.HasSuffix(name, "/all"):
			return p.parseLambda()
		case name != "tolower" && name != "toupper":
			return nil, &filterError{msg: fmt.Sprintf("Invalid filter clause: unknown function '%s' (supported: startswith, endswith, contains, tolower, toupper, any, all).", t.text)}
		}
	}
	l, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	op := strings.ToLower(p.peek().text)
	switch op {
	case "eq", "ne", "gt", "ge", "lt", "le":
	default:
		return nil, &filterError{msg: fmt.Sprintf("Invalid filter clause: expected a comparison operator (eq, ne, gt, ge, lt, le) but found '%s'.", p.peek().text)}
	}
	p.pos++
	r, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	return cmpExpr{op, l, r}, nil
}

func (p *filterParser) parseLambda() (filterExpr, error) {
	t := p.next()
	collPath := t.text[:len(t.text)-4]
	all := strings.EqualFold(t.text[len(t.text)-3:], "all")
	coll, err := p.pathFor(collPath)
	if err != nil {
		return nil, err
	}
	p.pos++ // (
	v := p.next()
	if v.kind != tIdent {
		return nil, &filterError{msg: "Invalid filter clause: a lambda needs a range variable, e.g. categories/any(c:c eq 'x')."}
	}
	if err := p.expect(tColon, "':'"); err != nil {
		return nil, err
	}
	p.vars[v.text] = true
	pred, err := p.parseOr()
	delete(p.vars, v.text)
	if err != nil {
		return nil, err
	}
	return lambdaExpr{all: all, coll: coll, variable: v.text, predicate: pred}, p.expect(tRParen, "')'")
}

func (p *filterParser) parseValue() (valueExpr, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return literalValue{t.text}, nil
	case tNumber:
		if f, err := strconv.ParseFloat(t.text, 64); err == nil {
			return literalValue{f}, nil
		}
		return literalValue{t.text}, nil // dates such as 2024-01-01T00:00:00Z compare as strings
	case tIdent:
		switch strings.ToLower(t.text) {
		case "true":
			return literalValue{true}, nil
		case "false":
			return literalValue{false}, nil
		case "null":
			return literalValue{nil}, nil
		case "tolower", "toupper":
			if p.peek().kind == tLParen {
				p.pos++
				inner, err := p.parseValue()
				if err != nil {
					return nil, err
				}
				return caseFunc{upper: strings.EqualFold(t.text, "toupper"), v: inner}, p.expect(tRParen, "')'")
			}
		}
		return p.pathFor(t.text)
	}
	return nil, &filterError{msg: fmt.Sprintf("Invalid filter clause: expected a property or a literal but found '%s'.", t.text)}
}

func (p *filterParser) pathFor(path string) (valueExpr, error) {
	segs := strings.Split(path, "/")
	if !p.vars[segs[0]] && p.allowed != nil && !p.allowed[segs[0]] {
		return nil, &filterError{unsupported: true, property: segs[0],
			msg: fmt.Sprintf("Unsupported or invalid query filter clause specified for property '%s'.", segs[0])}
	}
	return pathValue{segs}, nil
}

// isGUIDAt reports whether a GUID (8-4-4-4-12 hex digits) starts at rs[i]
// and is not part of a longer word.
func isGUIDAt(rs []rune, i int) bool {
	if i+36 > len(rs) || (i+36 < len(rs) && (unicode.IsLetter(rs[i+36]) || unicode.IsDigit(rs[i+36]))) {
		return false
	}
	for j := 0; j < 36; j++ {
		c := rs[i+j]
		switch j {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}
