package graphsim

import (
	"fmt"
	"strings"
	"time"
)

// A small OData $filter for provisioning events: comparisons (eq ne gt ge lt
// le) on the fields below, contains/startswith/endswith with optional
// tolower/toupper, and/or/not and parentheses. String comparisons are
// case-sensitive, as Graph documents for this API.

type eventPredicate func(e *provisioningEvent) bool

// eventFields maps filterable properties to event accessors.
var eventFields = map[string]func(e *provisioningEvent) string{
	"id":                            func(e *provisioningEvent) string { return e.id },
	"jobId":                         func(e *provisioningEvent) string { return e.jobID },
	"cycleId":                       func(e *provisioningEvent) string { return e.cycleID },
	"changeId":                      func(e *provisioningEvent) string { return e.changeID },
	"servicePrincipal/id":           func(e *provisioningEvent) string { return e.spID },
	"servicePrincipal/displayName":  func(e *provisioningEvent) string { return e.spName },
	"provisioningAction":            func(e *provisioningEvent) string { return e.action },
	"provisioningStatusInfo/status": func(e *provisioningEvent) string { return e.status },
	"sourceIdentity/id":             func(e *provisioningEvent) string { return e.sourceID },
	"sourceIdentity/displayName":    func(e *provisioningEvent) string { return e.sourceName },
	"sourceIdentity/identityType":   func(e *provisioningEvent) string { return e.identity },
	"targetIdentity/id":             func(e *provisioningEvent) string { return e.targetID },
	"targetIdentity/displayName":    func(e *provisioningEvent) string { return e.targetName },
	"provisioningStatusInfo/errorInformation/errorCode": func(e *provisioningEvent) string { return e.errorCode },
}

type eventFilterParser struct {
	toks []string
	pos  int
}

// parseEventFilter compiles a $filter; an empty filter matches everything.
func parseEventFilter(src string) (eventPredicate, error) {
	if strings.TrimSpace(src) == "" {
		return func(*provisioningEvent) bool { return true }, nil
	}
	toks, err := tokenizeEventFilter(src)
	if err != nil {
		return nil, err
	}
	p := &eventFilterParser{toks: toks}
	pred, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q at the end of the filter", p.toks[p.pos])
	}
	return pred, nil
}

func tokenizeEventFilter(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, string(c))
			i++
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated string literal")
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, "'"+b.String())
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t(),'", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func (p *eventFilterParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *eventFilterParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *eventFilterParser) expect(t string) error {
	if got := p.next(); got != t {
		return fmt.Errorf("expected %q, found %q", t, got)
	}
	return nil
}

func (p *eventFilterParser) or() (eventPredicate, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "or") {
		p.next()
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(e *provisioningEvent) bool { return l(e) || right(e) }
	}
	return left, nil
}

func (p *eventFilterParser) and() (eventPredicate, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "and") {
		p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(e *provisioningEvent) bool { return l(e) && right(e) }
	}
	return left, nil
}

func (p *eventFilterParser) unary() (eventPredicate, error) {
	switch tok := p.peek(); {
	case strings.EqualFold(tok, "not"):
		p.next()
		inner, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(e *provisioningEvent) bool { return !inner(e) }, nil
	case tok == "(":
		p.next()
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		return inner, p.expect(")")
	case tok == "contains" || tok == "startswith" || tok == "endswith":
		return p.stringFunction()
	}
	return p.comparison()
}

// operand reads a field, optionally wrapped in tolower()/toupper().
func (p *eventFilterParser) operand() (func(e *provisioningEvent) string, error) {
	tok := p.next()
	if tok == "tolower" || tok == "toupper" {
		if err := p.expect("("); err != nil {
			return nil, err
		}
		inner, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		conv := strings.ToLower
		if tok == "toupper" {
			conv = strings.ToUpper
		}
		return func(e *provisioningEvent) string { return conv(inner(e)) }, nil
	}
	f := eventFields[tok]
	if f == nil {
		return nil, fmt.Errorf("property %q cannot be used in $filter (supported: activityDateTime, servicePrincipal/id, servicePrincipal/displayName, jobId, cycleId, provisioningAction, provisioningStatusInfo/status, sourceIdentity/id, targetIdentity/id, …)", tok)
	}
	return f, nil
}

func (p *eventFilterParser) stringLiteral() (string, error) {
	tok := p.next()
	if !strings.HasPrefix(tok, "'") {
		return "", fmt.Errorf("expected a quoted string, found %q", tok)
	}
	return tok[1:], nil
}

func (p *eventFilterParser) stringFunction() (eventPredicate, error) {
	fn := p.next()
	if err := p.expect("("); err != nil {
		return nil, err
	}
	field, err := p.operand()
	if err != nil {
		return nil, err
	}
	if err := p.expect(","); err != nil {
		return nil, err
	}
	lit, err := p.stringLiteral()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	test := map[string]func(string, string) bool{"contains": strings.Contains, "startswith": strings.HasPrefix, "endswith": strings.HasSuffix}[fn]
	return func(e *provisioningEvent) bool { return test(field(e), lit) }, nil
}

func (p *eventFilterParser) comparison() (eventPredicate, error) {
	if p.peek() == "activityDateTime" {
		p.next()
		op := p.next()
		lit := p.next()
		t, err := parseEventFilterTime(strings.TrimPrefix(lit, "'"))
		if err != nil {
			return nil, err
		}
		cmp, err := eventCompareOp(op)
		if err != nil {
			return nil, err
		}
		return func(e *provisioningEvent) bool { return cmp(e.at.Compare(t)) }, nil
	}
	field, err := p.operand()
	if err != nil {
		return nil, err
	}
	cmp, err := eventCompareOp(p.next())
	if err != nil {
		return nil, err
	}
	lit, err := p.stringLiteral()
	if err != nil {
		return nil, err
	}
	return func(e *provisioningEvent) bool { return cmp(strings.Compare(field(e), lit)) }, nil
}

func eventCompareOp(op string) (func(int) bool, error) {
	switch op {
	case "eq":
		return func(c int) bool { return c == 0 }, nil
	case "ne":
		return func(c int) bool { return c != 0 }, nil
	case "gt":
		return func(c int) bool { return c > 0 }, nil
	case "ge":
		return func(c int) bool { return c >= 0 }, nil
	case "lt":
		return func(c int) bool { return c < 0 }, nil
	case "le":
		return func(c int) bool { return c <= 0 }, nil
	}
	return nil, fmt.Errorf("unsupported operator %q (use eq, ne, gt, ge, lt or le)", op)
}

func parseEventFilterTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time such as 2026-01-31 or 2026-01-31T12:00:00Z", s)
}
