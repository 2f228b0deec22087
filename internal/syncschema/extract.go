package syncschema

import (
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// Extract reads back, for refresh, the parts of s that declared manages, in
// the declared shape: unmanaged fields (nil in declared) stay nil, and a
// value that means the same as the declared one is returned exactly as
// declared (expression formatting, operator case, referenced object order,
// default_value "" vs null), so equivalent state never shows a diff.
// Object mappings or target attributes that no longer exist are left out.
// A nil declared returns ExtractAll(s).
func Extract(s *Schema, declared *Overlay) Overlay {
	if declared == nil {
		return ExtractAll(s)
	}
	var out Overlay
	if declared.ObjectMappings != nil {
		out.ObjectMappings = map[string]ObjectMapping{}
		for name, hint := range declared.ObjectMappings {
			_, mapping := s.findObjectMapping(name)
			if mapping == nil {
				continue
			}
			h := hint
			out.ObjectMappings[name] = extractObjectMapping(mapping, &h)
		}
	}
	if declared.TargetAttributes != nil {
		out.TargetAttributes = map[string]map[string]TargetAttribute{}
		for objName, attrs := range declared.TargetAttributes {
			obj := s.targetObject(objName)
			if obj == nil {
				continue
			}
			got := map[string]TargetAttribute{}
			for attrName, hint := range attrs {
				if def := attribute(obj, attrName); def != nil {
					got[attrName] = extractTargetAttribute(def, hint)
				}
			}
			out.TargetAttributes[objName] = got
		}
	}
	return out
}

// ExtractAll describes every object mapping of the first synchronization
// rule in a tidy form for import and generate-config: enabled, the scoping
// filter when there is one, and every attribute mapping with apply and
// default values only where they differ from the defaults. Target
// attributes are left out; use DiffFromTemplate for those.
func ExtractAll(s *Schema) Overlay {
	out := Overlay{ObjectMappings: map[string]ObjectMapping{}}
	rules := s.rules()
	if len(rules) == 0 {
		return out
	}
	for _, mapping := range objects(rules[0]["objectMappings"]) {
		name := str(mapping, "sourceObjectName")
		if _, dup := out.ObjectMappings[name]; dup || name == "" {
			continue // later mappings for the same source object are not addressable
		}
		out.ObjectMappings[name] = extractObjectMapping(mapping, nil)
	}
	return out
}

func extractObjectMapping(mapping map[string]any, hint *ObjectMapping) ObjectMapping {
	var om ObjectMapping
	if hint == nil || hint.Enabled != nil {
		enabled, _ := mapping["enabled"].(bool)
		om.Enabled = &enabled
	}
	if hint != nil && hint.TargetObject != "" {
		om.TargetObject = str(mapping, "targetObjectName")
		if strings.EqualFold(om.TargetObject, hint.TargetObject) {
			om.TargetObject = hint.TargetObject
		}
	}
	scope, _ := mapping["scope"].(map[string]any)
	groups := readGroups(objects(scopeGroups(scope)))
	switch {
	case hint == nil:
		if len(groups) > 0 {
			om.ScopingFilter = groups
		}
	case hint.ScopingFilter != nil:
		om.ScopingFilter = groups
		if groupsEqual(groups, hint.ScopingFilter) {
			om.ScopingFilter = hint.ScopingFilter
		}
	}
	if hint == nil || hint.AttributeMappings != nil {
		om.AttributeMappings = map[string]AttributeMapping{}
		for _, cur := range objects(mapping["attributeMappings"]) {
			name := str(cur, "targetAttributeName")
			var h *AttributeMapping
			if hint != nil {
				name, h = hintFor(hint.AttributeMappings, name)
			}
			if _, dup := om.AttributeMappings[name]; dup {
				continue // a duplicate Graph accepted: the first one is what the portal shows
			}
			om.AttributeMappings[name] = extractAttributeMapping(cur, h)
		}
	}
	return om
}

// hintFor finds the declared mapping for a target attribute name (exact,
// then case-insensitive) and returns the declared spelling of the name.
func hintFor(declared map[string]AttributeMapping, name string) (string, *AttributeMapping) {
	if d, ok := declared[name]; ok {
		return name, &d
	}
	for k, d := range declared {
		if strings.EqualFold(k, name) {
			return k, &d
		}
	}
	return name, nil
}

func extractAttributeMapping(cur map[string]any, hint *AttributeMapping) AttributeMapping {
	var m AttributeMapping
	node := existingNode(cur, nil)
	if want, err := declaredNodeIfHint(hint); err == nil && want != nil && nodesEquivalent(node, want) {
		m.Source, m.Constant, m.Expression = hint.Source, hint.Constant, hint.Expression
	} else {
		m.Source, m.Constant, m.Expression = sourceFields(cur, node)
	}
	if dv, ok := cur["defaultValue"].(string); ok && dv != "" {
		m.DefaultValue = &dv
	} else if hint != nil && hint.DefaultValue != nil && *hint.DefaultValue == "" {
		m.DefaultValue = hint.DefaultValue
	}
	m.MatchingPriority = intOf(cur["matchingPriority"])
	switch {
	case hint != nil && hint.Apply == "":
		// apply not declared: the current flowType is deliberately unmanaged.
	case flowTypeOf(cur) == "ObjectAddOnly":
		m.Apply = ApplyOnCreate
	case flowTypeOf(cur) == "Always" && hint != nil:
		m.Apply = ApplyAlways
	}
	// Other flowTypes (MultiValueAddOnly, ValueAddOnly, AttributeAddOnly) have
	// no apply value: they read back as "" so a declared apply shows a diff
	// and re-applying sets the declared flowType.
	return m
}

func declaredNodeIfHint(hint *AttributeMapping) (*expression.Node, error) {
	if hint == nil {
		return nil, nil
	}
	return declaredNode(*hint)
}

// sourceFields describes a Graph source tree the way a user would write it.
func sourceFields(cur map[string]any, node *expression.Node) (source, constant, expr string) {
	if node == nil {
		// Undecodable tree: fall back to the text Graph stored with it.
		if src, ok := cur["source"].(map[string]any); ok {
			return "", "", str(src, "expression")
		}
		return "", "", ""
	}
	switch {
	case node.Kind == expression.Attribute:
		return node.Name, "", ""
	case node.Kind == expression.Constant && node.Name != "":
		return "", node.Name, ""
	}
	return "", "", expression.Format(node)
}

func extractTargetAttribute(def map[string]any, hint TargetAttribute) TargetAttribute {
	var t TargetAttribute
	if hint.Required != nil {
		t.Required = boolPtr(def["required"])
	}
	if hint.Type != nil {
		typ := str(def, "type")
		t.Type = &typ
	}
	if hint.Multivalued != nil {
		t.Multivalued = boolPtr(def["multivalued"])
	}
	if hint.ReferencedObjects != nil {
		t.ReferencedObjects = referencedNames(objects(def["referencedObjects"]))
		if sameSet(t.ReferencedObjects, hint.ReferencedObjects) {
			t.ReferencedObjects = hint.ReferencedObjects
		}
	}
	return t
}

func boolPtr(v any) *bool {
	b, _ := v.(bool)
	return &b
}
