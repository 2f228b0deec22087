package syncschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// Apply returns a copy of s with the overlay applied; s is not modified.
// Only what the overlay declares changes: unknown fields and enum values
// anywhere survive, and a mapping, scope or attribute whose meaning is
// unchanged keeps its original JSON so no churn is sent to Graph.
//
// cat converts expressions to Graph source trees (parameter names); nil
// means expression.DefaultCatalog(). Run Validate first for friendly
// messages: Apply only reports what makes the overlay impossible to apply.
func Apply(s *Schema, o Overlay, cat *expression.Catalog) (*Schema, error) {
	if cat == nil {
		cat = expression.DefaultCatalog()
	}
	out := s.Clone()
	var errs []error
	for _, name := range sortedKeys(o.ObjectMappings) {
		if err := out.applyObjectMapping(name, o.ObjectMappings[name], cat); err != nil {
			errs = append(errs, fmt.Errorf("object_mappings[%q]: %w", name, err))
		}
	}
	for _, objName := range sortedKeys(o.TargetAttributes) {
		if err := out.applyTargetAttributes(objName, o.TargetAttributes[objName]); err != nil {
			errs = append(errs, fmt.Errorf("target_attributes[%q]: %w", objName, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Schema) applyObjectMapping(sourceObject string, om ObjectMapping, cat *expression.Catalog) error {
	_, mapping := s.findObjectMapping(sourceObject)
	if mapping == nil {
		return fmt.Errorf("the schema has no object mapping with source object %q; known source objects: %s",
			sourceObject, strings.Join(s.SourceObjectNames(), ", "))
	}
	if om.Enabled != nil {
		if cur, ok := mapping["enabled"].(bool); !ok || cur != *om.Enabled {
			mapping["enabled"] = *om.Enabled
		}
	}
	if om.TargetObject != "" && str(mapping, "targetObjectName") != om.TargetObject {
		mapping["targetObjectName"] = om.TargetObject
	}
	if om.ScopingFilter != nil {
		applyScope(mapping, om.ScopingFilter)
	}
	if om.AttributeMappings != nil {
		list, err := applyAttributeMappings(objects(mapping["attributeMappings"]), om.AttributeMappings, cat)
		if err != nil {
			return err
		}
		mapping["attributeMappings"] = list
	}
	return nil
}

// applyAttributeMappings makes the list hold exactly the declared mappings.
// Kept mappings stay in their original positions; new ones are appended in
// name order (Graph sorts the list itself anyway).
func applyAttributeMappings(existing []map[string]any, declared map[string]AttributeMapping, cat *expression.Catalog) ([]any, error) {
	matched := matchExisting(existing, declared)
	var errs []error
	result := make([]any, 0, len(declared))
	placed := map[string]bool{}
	for i, cur := range existing {
		name, ok := matched[i]
		if !ok {
			continue // not declared (or a duplicate): removed
		}
		m, err := mergeMapping(cur, name, declared[name], cat)
		if err != nil {
			errs = append(errs, fmt.Errorf("attribute_mappings[%q]: %w", name, err))
			continue
		}
		result = append(result, m)
		placed[name] = true
	}
	for _, name := range sortedKeys(declared) {
		if placed[name] {
			continue
		}
		m, err := mergeMapping(nil, name, declared[name], cat)
		if err != nil {
			errs = append(errs, fmt.Errorf("attribute_mappings[%q]: %w", name, err))
			continue
		}
		result = append(result, m)
	}
	return result, errors.Join(errs...)
}

// matchExisting pairs existing list positions with declared names: exact
// name first, then case-insensitive. Each declared name takes at most one
// existing entry, so duplicates Graph accepted get removed.
func matchExisting(existing []map[string]any, declared map[string]AttributeMapping) map[int]string {
	matched := map[int]string{}
	taken := map[string]bool{}
	for i, cur := range existing {
		target := str(cur, "targetAttributeName")
		if _, ok := declared[target]; ok && !taken[target] {
			matched[i] = target
			taken[target] = true
		}
	}
	byFold := map[string][]string{} // lower-case name -> declared names not yet matched, sorted
	for _, name := range sortedKeys(declared) {
		if !taken[name] {
			byFold[strings.ToLower(name)] = append(byFold[strings.ToLower(name)], name)
		}
	}
	for i, cur := range existing {
		if _, done := matched[i]; done {
			continue
		}
		key := strings.ToLower(str(cur, "targetAttributeName"))
		if names := byFold[key]; len(names) > 0 {
			matched[i] = names[0]
			byFold[key] = names[1:]
		}
	}
	return matched
}

// mergeMapping returns cur unchanged when it already means d, otherwise a
// copy of cur (keeping fields the overlay does not model) with d's values.
func mergeMapping(cur map[string]any, name string, d AttributeMapping, cat *expression.Catalog) (map[string]any, error) {
	want, err := declaredNode(d)
	if err != nil {
		return nil, err
	}
	if cur != nil && mappingMatches(cur, name, d, want, cat) {
		return cur, nil
	}
	var m map[string]any
	if cur != nil {
		m = deepCopy(cur).(map[string]any)
	} else {
		m = newAttributeMapping()
	}
	m["targetAttributeName"] = name
	if cur == nil || !nodesEquivalent(existingNode(cur, cat), want) {
		tree, err := expression.ToSource(want, cat)
		if err != nil {
			return nil, fmt.Errorf("converting %s to a Graph source tree: %w", describeSource(d), err)
		}
		m["source"] = tree
	}
	if !defaultValuesEqual(m["defaultValue"], d.DefaultValue) {
		if d.DefaultValue == nil || *d.DefaultValue == "" {
			m["defaultValue"] = nil
		} else {
			m["defaultValue"] = *d.DefaultValue
		}
	}
	if intOf(m["matchingPriority"]) != d.MatchingPriority {
		m["matchingPriority"] = json.Number(fmt.Sprint(d.MatchingPriority))
	}
	if ft := flowTypeFor(d.Apply); ft != "" && flowTypeOf(m) != ft {
		m["flowType"] = ft
	}
	return m, nil
}

// newAttributeMapping holds the defaults the portal uses for a new mapping.
func newAttributeMapping() map[string]any {
	return map[string]any{
		"defaultValue":            nil,
		"exportMissingReferences": false,
		"flowBehavior":            "FlowWhenChanged",
		"flowType":                "Always",
		"matchingPriority":        json.Number("0"),
	}
}

func mappingMatches(cur map[string]any, name string, d AttributeMapping, want *expression.Node, cat *expression.Catalog) bool {
	if str(cur, "targetAttributeName") != name {
		return false
	}
	if !nodesEquivalent(existingNode(cur, cat), want) {
		return false
	}
	if !defaultValuesEqual(cur["defaultValue"], d.DefaultValue) {
		return false
	}
	if intOf(cur["matchingPriority"]) != d.MatchingPriority {
		return false
	}
	if ft := flowTypeFor(d.Apply); ft != "" && flowTypeOf(cur) != ft {
		return false
	}
	return true
}

func describeSource(d AttributeMapping) string {
	switch {
	case d.Source != "":
		return fmt.Sprintf("source %q", d.Source)
	case d.Constant != "":
		return fmt.Sprintf("constant %q", d.Constant)
	}
	return fmt.Sprintf("expression %q", d.Expression)
}

// flowTypeFor maps the provider's apply value to Graph's flowType; "" means
// "keep whatever is there".
func flowTypeFor(apply string) string {
	switch apply {
	case ApplyAlways:
		return "Always"
	case ApplyOnCreate:
		return "ObjectAddOnly"
	}
	return ""
}

// flowTypeOf reads a mapping's flowType; absent or empty means Always (the
// documented default).
func flowTypeOf(m map[string]any) string {
	if ft := strings.TrimSpace(str(m, "flowType")); ft != "" {
		return ft
	}
	return "Always"
}

// defaultValuesEqual treats JSON null and "" as the same "no default".
func defaultValuesEqual(cur any, want *string) bool {
	c := ""
	switch v := cur.(type) {
	case string:
		c = v
	case nil:
	default:
		c = fmt.Sprint(v)
	}
	w := ""
	if want != nil {
		w = *want
	}
	return c == w
}

// intOf reads a JSON number (absent or malformed = 0).
func intOf(v any) int64 {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i
		}
		if f, err := n.Float64(); err == nil {
			return int64(f)
		}
	case float64:
		return int64(n)
	case int64:
		return n
	case int:
		return int64(n)
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
