package syncschema

// DiffFromTemplate returns the target attribute edits that turn template
// into current: attributes current has that template lacks (with required,
// type, multivalued and any referenced objects), and for shared attributes
// only the fields that differ. An imported configuration then lists the
// edits a person made in "Edit attribute list", not all the template's
// attributes. Attributes removed from the template cannot be expressed by
// the overlay and are not reported.
func DiffFromTemplate(current, template *Schema) map[string]map[string]TargetAttribute {
	out := map[string]map[string]TargetAttribute{}
	for _, dir := range current.targetDirectories() {
		for _, obj := range objects(dir["objects"]) {
			objName := str(obj, "name")
			tmplObj := template.targetObject(objName)
			edits := map[string]TargetAttribute{}
			for _, def := range objects(obj["attributes"]) {
				name := str(def, "name")
				if t, changed := attributeEdit(def, attribute(tmplObj, name)); changed {
					edits[name] = t
				}
			}
			if len(edits) > 0 {
				out[objName] = edits
			}
		}
	}
	return out
}

// attributeEdit describes how def differs from tmpl (nil = a new attribute).
func attributeEdit(def, tmpl map[string]any) (TargetAttribute, bool) {
	var t TargetAttribute
	refs := referencedNames(objects(def["referencedObjects"]))
	if tmpl == nil {
		t.Required = boolPtr(def["required"])
		typ := str(def, "type")
		t.Type = &typ
		t.Multivalued = boolPtr(def["multivalued"])
		if len(refs) > 0 {
			t.ReferencedObjects = refs
		}
		return t, true
	}
	changed := false
	if !boolIs(def["required"], *boolPtr(tmpl["required"])) {
		t.Required, changed = boolPtr(def["required"]), true
	}
	if typ := str(def, "type"); typ != str(tmpl, "type") {
		t.Type, changed = &typ, true
	}
	if !boolIs(def["multivalued"], *boolPtr(tmpl["multivalued"])) {
		t.Multivalued, changed = boolPtr(def["multivalued"]), true
	}
	if !sameSet(refs, referencedNames(objects(tmpl["referencedObjects"]))) {
		t.ReferencedObjects, changed = refs, true
	}
	return t, changed
}
