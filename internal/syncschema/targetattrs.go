package syncschema

import (
	"fmt"
	"sort"
	"strings"
)

// applyTargetAttributes edits or adds attribute definitions of one target
// object ("Edit attribute list for customappsso"). Only declared fields
// change; an attribute that does not exist is appended with the portal's
// defaults for a new attribute.
func (s *Schema) applyTargetAttributes(objName string, attrs map[string]TargetAttribute) error {
	obj := s.targetObject(objName)
	if obj == nil {
		return fmt.Errorf("no object %q in the target directory; known objects: %s",
			objName, strings.Join(s.targetObjectNames(), ", "))
	}
	list, _ := obj["attributes"].([]any)
	for _, name := range sortedKeys(attrs) {
		want := attrs[name]
		def := attribute(obj, name)
		if def == nil {
			def = newAttributeDefinition(name)
			list = append(list, def)
		}
		if want.Required != nil && !boolIs(def["required"], *want.Required) {
			def["required"] = *want.Required
		}
		if want.Type != nil && str(def, "type") != *want.Type {
			def["type"] = *want.Type
		}
		if want.Multivalued != nil && !boolIs(def["multivalued"], *want.Multivalued) {
			def["multivalued"] = *want.Multivalued
		}
		if want.ReferencedObjects != nil {
			setReferencedObjects(def, want.ReferencedObjects)
		}
	}
	obj["attributes"] = list
	return nil
}

// newAttributeDefinition holds the defaults the portal gives an attribute
// added through "Edit attribute list".
func newAttributeDefinition(name string) map[string]any {
	return map[string]any{
		"anchor":            false,
		"caseExact":         false,
		"defaultValue":      nil,
		"flowNullValues":    false,
		"metadata":          []any{},
		"multivalued":       false,
		"mutability":        "ReadWrite",
		"name":              name,
		"referencedObjects": []any{},
		"required":          false,
		"type":              "String",
	}
}

// setReferencedObjects keeps the existing entries (with their
// referencedProperty and unknown fields) for names that stay, drops the
// others and appends new ones. Order does not matter to Graph; when the set
// is unchanged the JSON is left alone.
func setReferencedObjects(def map[string]any, names []string) {
	existing := objects(def["referencedObjects"])
	if sameSet(referencedNames(existing), names) {
		return
	}
	byName := map[string]map[string]any{}
	for _, e := range existing {
		if _, dup := byName[str(e, "referencedObjectName")]; !dup {
			byName[str(e, "referencedObjectName")] = e
		}
	}
	out := make([]any, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		if e, ok := byName[n]; ok {
			out = append(out, e)
		} else {
			out = append(out, map[string]any{"referencedObjectName": n, "referencedProperty": nil})
		}
	}
	def["referencedObjects"] = out
}

func referencedNames(refs []map[string]any) []string {
	names := make([]string, 0, len(refs))
	for _, r := range refs {
		names = append(names, str(r, "referencedObjectName"))
	}
	return names
}

// sameSet compares two name lists ignoring order and duplicates.
func sameSet(a, b []string) bool {
	return strings.Join(uniqueSorted(a), "\x00") == strings.Join(uniqueSorted(b), "\x00")
}

func uniqueSorted(a []string) []string {
	set := map[string]bool{}
	for _, s := range a {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// boolIs reads a JSON boolean; Graph sometimes sends "true" strings in
// metadata, but attribute flags are real booleans (absent = false).
func boolIs(v any, want bool) bool {
	b, _ := v.(bool)
	return b == want
}
