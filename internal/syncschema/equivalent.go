package syncschema

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// EquivalentExpression reports whether two mapping expressions mean the
// same: formatting, spaces, quoted vs bare constants and trailing omitted
// arguments are ignored. Text that does not parse is only
// equivalent to identical text.
func EquivalentExpression(a, b string) bool {
	if a == b {
		return true
	}
	if na, err := expression.Normalize(a); err == nil {
		if nb, err := expression.Normalize(b); err == nil && na == nb {
			return true
		}
	}
	x, err := expression.Parse(a)
	if err != nil {
		return false
	}
	y, err := expression.Parse(b)
	if err != nil {
		return false
	}
	return nodesEquivalent(x, y)
}

// EquivalentSchemas reports whether two schemas mean the same to the
// provisioning engine. It ignores the top-level version, the order of
// attributeMappings, attribute definitions and referenced objects, spaces
// in flag lists ("Add, Update, Delete"), Graph's defaults (defaultValue null
// vs "", flowBehavior FlowWhenChanged, flowType Always, matchingPriority 0,
// absent boolean attribute flags) and how a source tree is encoded
// (expression text, Switch parameter keys). Use it to decide whether a PUT
// is needed: EquivalentSchemas(current, Apply(current, overlay)).
func EquivalentSchemas(a, b *Schema) bool {
	return reflect.DeepEqual(canonicalSchema(a), canonicalSchema(b))
}

func canonicalSchema(s *Schema) any {
	doc := canonical(s.doc, "").(map[string]any)
	delete(doc, "version")
	return doc
}

// canonical returns a normalised deep copy; key is the field v sits under.
func canonical(v any, key string) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = canonical(e, k)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = canonical(e, key)
		}
		switch key {
		case "attributeMappings":
			for _, e := range a {
				canonicalMapping(e)
			}
			sortBy(a, "targetAttributeName")
		case "attributes":
			for _, e := range a {
				canonicalAttribute(e)
			}
			sortBy(a, "name")
		case "referencedObjects":
			sortBy(a, "referencedObjectName")
		}
		return a
	case string:
		switch key {
		case "flowTypes", "discoverabilities":
			return canonicalFlags(t)
		case "flowType", "flowBehavior", "mutability", "type":
			return strings.TrimSpace(t)
		}
		return t
	case json.Number:
		return canonicalNumber(t)
	}
	return v
}

func canonicalMapping(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if dv, ok := m["defaultValue"].(string); ok && dv == "" {
		m["defaultValue"] = nil
	}
	setDefault(m, "flowBehavior", "FlowWhenChanged")
	setDefault(m, "flowType", "Always")
	setDefault(m, "matchingPriority", "0")
	setDefault(m, "exportMissingReferences", false)
	if src, ok := m["source"].(map[string]any); ok {
		if n, err := expression.FromSource(src); err == nil {
			m["source"] = canonicalNodeText(n)
		}
	}
}

func canonicalAttribute(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if dv, ok := m["defaultValue"].(string); ok && dv == "" {
		m["defaultValue"] = nil
	}
	for _, k := range []string{"anchor", "caseExact", "flowNullValues", "multivalued", "required"} {
		setDefault(m, k, false)
	}
}

func setDefault(m map[string]any, key string, def any) {
	if v, ok := m[key]; !ok || v == nil || v == "" {
		m[key] = def
	}
}

// canonicalFlags turns "Add, Update, Delete" into "Add,Delete,Update".
func canonicalFlags(s string) string {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func canonicalNumber(n json.Number) string {
	if i, err := n.Int64(); err == nil {
		return strconv.FormatInt(i, 10)
	}
	if f, err := n.Float64(); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return n.String()
}

// canonicalNodeText renders a tree so that equivalent trees (see
// nodesEquivalent) give the same text.
func canonicalNodeText(n *expression.Node) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case expression.Attribute:
		return "[" + n.Name + "]"
	case expression.Constant:
		return strconv.Quote(n.Name)
	}
	args := trimOmitted(n.Args)
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = canonicalNodeText(a)
	}
	return n.Name + "(" + strings.Join(parts, ",") + ")"
}

func sortBy(a []any, field string) {
	sort.SliceStable(a, func(i, j int) bool {
		mi, _ := a[i].(map[string]any)
		mj, _ := a[j].(map[string]any)
		return strings.ToLower(str(mi, field)) < strings.ToLower(str(mj, field))
	})
}
