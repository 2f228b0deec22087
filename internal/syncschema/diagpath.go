package syncschema

import (
	"fmt"
	"strconv"
	"strings"
)

// PathStepKind says what a PathStep addresses.
type PathStepKind int

const (
	// StepAttribute is an attribute name: object_mappings, clauses, source.
	StepAttribute PathStepKind = iota
	// StepKey is a map key: the "User" of object_mappings["User"].
	StepKey
	// StepIndex is a list index: the 0 of scoping_filter[0].
	StepIndex
)

// PathStep is one step of a Diagnostic's Path.
type PathStep struct {
	Kind  PathStepKind
	Name  string // attribute name (StepAttribute) or map key (StepKey)
	Index int    // list index (StepIndex)
}

// Steps splits d.Path (object_mappings["User"].scoping_filter[0].clauses)
// into attribute names, map keys and list indexes, so a caller can attach
// the diagnostic to the exact configuration attribute. Keys are unquoted
// (Go syntax, as the validator writes them). An empty Path has no steps.
func (d Diagnostic) Steps() ([]PathStep, error) {
	var steps []PathStep
	rest := d.Path
	for first := true; rest != ""; first = false {
		switch {
		case rest[0] == '[':
			step, n, err := bracketStep(rest)
			if err != nil {
				return nil, fmt.Errorf("diagnostic path %q: %w", d.Path, err)
			}
			steps, rest = append(steps, step), rest[n:]
		case rest[0] == '.' || first:
			if !first {
				rest = rest[1:]
			}
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, fmt.Errorf("diagnostic path %q: empty attribute name", d.Path)
			}
			steps, rest = append(steps, PathStep{Kind: StepAttribute, Name: rest[:end]}), rest[end:]
		default:
			return nil, fmt.Errorf("diagnostic path %q: unexpected %q", d.Path, rest)
		}
	}
	return steps, nil
}

// bracketStep parses ["key"] or [3] at the start of s and returns the step
// and how many bytes it used.
func bracketStep(s string) (PathStep, int, error) {
	inner := s[1:]
	if strings.HasPrefix(inner, `"`) {
		quoted, err := strconv.QuotedPrefix(inner)
		if err != nil {
			return PathStep{}, 0, fmt.Errorf("bad map key: %w", err)
		}
		key, _ := strconv.Unquote(quoted)
		if !strings.HasPrefix(inner[len(quoted):], "]") {
			return PathStep{}, 0, fmt.Errorf("map key %s is not followed by ]", quoted)
		}
		return PathStep{Kind: StepKey, Name: key}, 1 + len(quoted) + 1, nil
	}
	end := strings.IndexByte(inner, ']')
	if end < 0 {
		return PathStep{}, 0, fmt.Errorf("unclosed [")
	}
	i, err := strconv.Atoi(inner[:end])
	if err != nil || i < 0 {
		return PathStep{}, 0, fmt.Errorf("bad list index %q", inner[:end])
	}
	return PathStep{Kind: StepIndex, Index: i}, 1 + end + 1, nil
}
