package syncschema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// FilterOperator is one entry of GET …/schema/filterOperators.
type FilterOperator struct {
	Name string `json:"name"`
	// Arity is "Binary" (needs values) or "Unary" (takes none).
	Arity                     string   `json:"arity"`
	MultivaluedComparisonType string   `json:"multivaluedComparisonType"`
	SupportedAttributeTypes   []string `json:"supportedAttributeTypes"`
}

// Unary reports whether the operator takes no values (IS NULL, IS TRUE).
func (f FilterOperator) Unary() bool { return strings.EqualFold(f.Arity, "Unary") }

// defaultFilterOperatorsJSON lists the operators a tenant returned plus
// those the portal documents.
//
//go:embed filter-operators.json
var defaultFilterOperatorsJSON []byte

// DefaultFilterOperators returns the built-in operator list, for validation
// when the job's own filterOperators cannot be read (no job yet).
func DefaultFilterOperators() []FilterOperator {
	ops, err := FilterOperatorsFromJSON(defaultFilterOperatorsJSON)
	if err != nil {
		panic("syncschema: embedded filter-operators.json is invalid: " + err.Error())
	}
	return ops
}

// FilterOperatorsFromJSON decodes a Graph filterOperators response body
// ({"value":[…]}); a bare array is accepted too.
func FilterOperatorsFromJSON(body []byte) ([]FilterOperator, error) {
	var wrapped struct {
		Value []FilterOperator `json:"value"`
	}
	if err := json.Unmarshal(body, &wrapped); err != nil {
		var bare []FilterOperator
		if err2 := json.Unmarshal(body, &bare); err2 != nil {
			return nil, fmt.Errorf("decoding filterOperators response: %w", err)
		}
		wrapped.Value = bare
	}
	ops := make([]FilterOperator, 0, len(wrapped.Value))
	for i, op := range wrapped.Value {
		if strings.TrimSpace(op.Name) == "" {
			return nil, fmt.Errorf("decoding filterOperators response: entry %d has no name", i)
		}
		if op.Arity == "" {
			op.Arity = "Binary" // documented default
		}
		ops = append(ops, op)
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("decoding filterOperators response: no operators in the body")
	}
	return ops, nil
}

// findOperator matches an operator name exactly. UNVERIFIED whether the
// engine accepts other spellings ("equals", "NOT  EQUALS"); the safe choice
// is to require the exact name filterOperators returns, and Validate
// suggests it when only case or spacing differ.
func findOperator(ops []FilterOperator, name string) (FilterOperator, bool) {
	for _, op := range ops {
		if op.Name == name {
			return op, true
		}
	}
	return FilterOperator{}, false
}

// looseOperatorMatch finds the operator a misspelt name most likely meant
// when only case or spacing differ.
func looseOperatorMatch(ops []FilterOperator, name string) (FilterOperator, bool) {
	squash := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
	for _, op := range ops {
		if squash(op.Name) == squash(name) {
			return op, true
		}
	}
	return FilterOperator{}, false
}
