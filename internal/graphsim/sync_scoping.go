package graphsim

import (
	_ "embed"
	"strconv"
	"strings"
)

// filterOperatorsJSON and expressionFunctionsJSON are served by
// …/schema/filterOperators and …/schema/functions (data/README.md says
// where each embedded file comes from).
//
//go:embed data/filter-operators.json
var filterOperatorsJSON []byte

//go:embed data/expression-functions.json
var expressionFunctionsJSON []byte

// knownFilterOperators are the operator names filterOperators lists.
var knownFilterOperators = map[string]bool{}

// filterOperators and expressionFunctions are the "value" lists of
// …/schema/filterOperators and …/schema/functions, read-only after init.
// Graph's metadata makes filterOperatorSchema and
// attributeMappingFunctionSchema entities keyed by "id" and declares no
// "name"; the response captured from the service (see the data NOTES)
// carries "name". Both are written: "id" as the metadata requires, "name"
// as the service sends it and clients (this project's provider included)
// read it.
var filterOperators, expressionFunctions = withIDFromName(filterOperatorsJSON), withIDFromName(expressionFunctionsJSON)

func init() {
	for _, op := range filterOperators {
		knownFilterOperators[asString(asMap(op)["name"])] = true
	}
}

// withIDFromName decodes an embedded {"value":[…]} list and gives each
// entry an "id" equal to its name.
func withIDFromName(doc []byte) []any {
	m, err := decodeJSONObject(doc)
	list := asSlice(m["value"])
	if err != nil || len(list) == 0 {
		panic("graphsim: an embedded functions/filterOperators list is invalid")
	}
	for _, e := range list {
		entry := asMap(e)
		if name := asString(entry["name"]); name != "" {
			entry["id"] = name
		}
	}
	return list
}

// inScope reports whether a source object passes a scoping filter: no
// groups means everything is in scope; groups are ORed, clauses ANDed.
func inScope(groups [][]filterClause, attr func(string) any) bool {
	if len(groups) == 0 {
		return true
	}
	for _, clauses := range groups {
		all := true
		for i := range clauses {
			if !clauses[i].matches(attr(clauses[i].attribute)) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// matches evaluates one clause. Per the documentation every clause is false
// when the attribute is null or empty (NOT REGEX MATCH included), except the
// null tests themselves; string comparisons are case-sensitive.
func (c *filterClause) matches(raw any) bool {
	v := normalizeValue(raw)
	empty := isNullOrEmpty(v)
	switch c.operator {
	case "IS NULL":
		return empty
	case "IS NOT NULL":
		return !empty
	}
	if empty {
		return false
	}
	s := scalarString(v)
	first := ""
	if len(c.values) > 0 {
		first = c.values[0]
	}
	switch c.operator {
	case "IS TRUE":
		return strings.EqualFold(s, "true")
	case "IS FALSE":
		return strings.EqualFold(s, "false")
	case "EQUALS":
		return s == first
	case "NOT EQUALS":
		return s != first
	case "REGEX MATCH":
		return c.re != nil && c.re.MatchString(s)
	case "NOT REGEX MATCH":
		return c.re != nil && !c.re.MatchString(s)
	case "Greater_Than", "Greater_Than_OR_EQUALS":
		a, err1 := strconv.ParseInt(s, 10, 64)
		b, err2 := strconv.ParseInt(first, 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if c.operator == "Greater_Than" {
			return a > b
		}
		return a >= b
	case "Includes":
		return strings.Contains(s, first)
	case "ENDS_WITH":
		return strings.HasSuffix(s, first)
	case "&", "!&":
		// UNVERIFIED semantics ("evaluated attribute exists in the input
		// string value"): read as "the attribute value is one of the
		// comma-separated values".
		found := false
		for _, v := range c.values {
			for _, part := range strings.Split(v, ",") {
				found = found || strings.TrimSpace(part) == s
			}
		}
		return found == (c.operator == "&")
	}
	return false
}
