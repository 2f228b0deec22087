package syncschema

import "strings"

// objects returns the JSON objects in a JSON array value, skipping anything
// that is not an object (tolerant of odd Graph output).
func objects(v any) []map[string]any {
	arr, _ := v.([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func (s *Schema) rules() []map[string]any {
	return objects(s.doc["synchronizationRules"])
}

// directory returns the directory definition with the given name.
func (s *Schema) directory(name string) map[string]any {
	for _, d := range objects(s.doc["directories"]) {
		if str(d, "name") == name {
			return d
		}
	}
	return nil
}

// object returns the object definition called name in dir (exact name first,
// then case-insensitive, since Graph treats object names case-insensitively).
func object(dir map[string]any, name string) map[string]any {
	if dir == nil {
		return nil
	}
	objs := objects(dir["objects"])
	for _, o := range objs {
		if str(o, "name") == name {
			return o
		}
	}
	for _, o := range objs {
		if strings.EqualFold(str(o, "name"), name) {
			return o
		}
	}
	return nil
}

// attribute returns the attribute definition called name (exact name first,
// then case-insensitive).
func attribute(obj map[string]any, name string) map[string]any {
	if obj == nil {
		return nil
	}
	attrs := objects(obj["attributes"])
	for _, a := range attrs {
		if str(a, "name") == name {
			return a
		}
	}
	for _, a := range attrs {
		if strings.EqualFold(str(a, "name"), name) {
			return a
		}
	}
	return nil
}

func attributeNames(obj map[string]any) []string {
	var names []string
	for _, a := range objects(obj["attributes"]) {
		names = append(names, str(a, "name"))
	}
	return names
}

func objectNames(dir map[string]any) []string {
	var names []string
	for _, o := range objects(dir["objects"]) {
		names = append(names, str(o, "name"))
	}
	return names
}

// findObjectMapping resolves a source object name to the first object
// mapping with that sourceObjectName, searching rules in array order.
func (s *Schema) findObjectMapping(sourceObject string) (rule, mapping map[string]any) {
	for _, r := range s.rules() {
		for _, om := range objects(r["objectMappings"]) {
			if str(om, "sourceObjectName") == sourceObject {
				return r, om
			}
		}
	}
	return nil, nil
}

// sourceObject returns the definition of the mapping's source object.
func (s *Schema) sourceObject(rule, mapping map[string]any) map[string]any {
	return object(s.directory(str(rule, "sourceDirectoryName")), str(mapping, "sourceObjectName"))
}

// targetDirectories returns the target directories of all rules, in rule
// order without duplicates: target_attributes keys are looked up there.
func (s *Schema) targetDirectories() []map[string]any {
	var dirs []map[string]any
	seen := map[string]bool{}
	for _, r := range s.rules() {
		name := str(r, "targetDirectoryName")
		if seen[name] {
			continue
		}
		seen[name] = true
		if d := s.directory(name); d != nil {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// targetObject finds a target object by name in the rules' target directories.
func (s *Schema) targetObject(name string) map[string]any {
	for _, d := range s.targetDirectories() {
		if o := object(d, name); o != nil {
			return o
		}
	}
	return nil
}

func (s *Schema) targetObjectNames() []string {
	var names []string
	for _, d := range s.targetDirectories() {
		names = append(names, objectNames(d)...)
	}
	return names
}
