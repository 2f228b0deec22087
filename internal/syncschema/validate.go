package syncschema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// Validate checks an overlay against the job's real schema before anything
// is sent to Graph, and returns every error found (nil when the overlay can
// be applied). ops is the job's filterOperators (nil =
// DefaultFilterOperators()); cat is the job's function catalog (nil =
// expression.DefaultCatalog()). Messages name the offending value and say
// how to fix it. Findings that should not block a plan are returned by
// warnings instead.
func Validate(s *Schema, o Overlay, ops []FilterOperator, cat *expression.Catalog) []Diagnostic {
	errs, _ := Check(s, o, ops, cat)
	return errs
}

// warnings returns findings that are probably mistakes but that Entra may
// accept (an operator on an attribute type it does not list, a multi-valued
// attribute in a scoping filter, no matching attribute, a suspicious
// expression). Each has Warning set.
func warnings(s *Schema, o Overlay, ops []FilterOperator, cat *expression.Catalog) []Diagnostic {
	_, warns := Check(s, o, ops, cat)
	return warns
}

// Check returns Validate's errors and Warnings' warnings from one pass.
func Check(s *Schema, o Overlay, ops []FilterOperator, cat *expression.Catalog) (errs, warns []Diagnostic) {
	if s == nil {
		s = &Schema{doc: map[string]any{}}
	}
	return check(s, o, ops, cat)
}

// ValidateOffline runs every check that needs no job schema: the shape of
// each mapping (exactly one source, apply, matching priorities, duplicate
// targets), empty scoping groups, operator names against ops (nil =
// DefaultFilterOperators()), attribute types, and expressions against cat
// (nil = expression.DefaultCatalog()) without checking their attribute
// references. Source/target objects and attributes are not checked: that
// needs the job's schema (Check). Anything ValidateOffline reports, Check
// reports too, with the same Path, Summary and Detail.
func ValidateOffline(o Overlay, ops []FilterOperator, cat *expression.Catalog) (errs, warns []Diagnostic) {
	return check(nil, o, ops, cat)
}

// check validates o; s == nil means offline (no schema-dependent checks).
func check(s *Schema, o Overlay, ops []FilterOperator, cat *expression.Catalog) (errs, warns []Diagnostic) {
	return (&validator{s: s, o: o, ops: ops, cat: cat}).run()
}

// run validates v.o and splits the findings into errors and warnings.
func (v *validator) run() (errs, warns []Diagnostic) {
	if v.ops == nil {
		v.ops = DefaultFilterOperators()
	}
	if v.cat == nil {
		v.cat = expression.DefaultCatalog()
	}
	o := v.o
	for _, name := range sortedKeys(o.ObjectMappings) {
		v.objectMapping(name, o.ObjectMappings[name])
	}
	for _, name := range sortedKeys(o.TargetAttributes) {
		v.targetObject(name, o.TargetAttributes[name])
	}
	for _, d := range v.diags {
		if d.Warning {
			warns = append(warns, d)
		} else {
			errs = append(errs, d)
		}
	}
	return errs, warns
}

type validator struct {
	s   *Schema
	o   Overlay
	ops []FilterOperator
	cat *expression.Catalog
	// sourceOnly: s holds only the source directory (CheckPlan without a
	// template); target objects and attributes are left for apply.
	sourceOnly bool
	// unverified accepts source attribute names that cannot be checked
	// (a tenant list that could not be read); nil accepts none.
	unverified func(name string) bool
	diags      []Diagnostic
}

// knownSource reports whether name is an attribute of srcObj or cannot be
// verified here.
func (v *validator) knownSource(srcObj map[string]any, name string) bool {
	return attribute(srcObj, name) != nil || (v.unverified != nil && v.unverified(name))
}

func (v *validator) add(path, summary, detail string, args ...any) {
	v.diags = append(v.diags, Diagnostic{Path: path, Summary: summary, Detail: fmt.Sprintf(detail, args...)})
}

func (v *validator) warn(path, summary, detail string, args ...any) {
	v.diags = append(v.diags, Diagnostic{Path: path, Summary: summary, Detail: fmt.Sprintf(detail, args...), Warning: true})
}

func (v *validator) objectMapping(name string, om ObjectMapping) {
	path := fmt.Sprintf("object_mappings[%q]", name)
	var srcObj, tgtObj map[string]any
	tgtName := om.TargetObject
	var rule, mapping map[string]any
	if v.s != nil {
		rule, mapping = v.s.findObjectMapping(name)
	}
	switch {
	case v.s == nil:
		// Offline: objects and attributes are checked against the schema later.
	case mapping == nil && v.sourceOnly:
		// Not an object of the Entra ID directory here: the template decides at apply.
	case mapping == nil:
		v.add(path, "Unknown source object",
			"The job's schema has no object mapping for source object %q.%s Use one of: %s.",
			name, didYouMean(name, v.s.SourceObjectNames()), quoteList(v.s.SourceObjectNames()))
	default:
		srcObj = v.s.sourceObject(rule, mapping)
		targetDir := v.s.directory(str(rule, "targetDirectoryName"))
		if tgtName == "" {
			tgtName = str(mapping, "targetObjectName")
		}
		tgtObj = object(targetDir, tgtName)
		if om.TargetObject != "" && tgtObj == nil && !v.sourceOnly {
			v.add(path+".target_object", "Unknown target object",
				"%q is not an object of the target directory %q.%s Use one of: %s.",
				om.TargetObject, str(rule, "targetDirectoryName"), didYouMean(om.TargetObject, objectNames(targetDir)),
				quoteList(objectNames(targetDir)))
		}
	}
	for i, g := range om.ScopingFilter {
		v.filterGroup(fmt.Sprintf("%s.scoping_filter[%d]", path, i), g, srcObj, name)
	}
	if om.AttributeMappings != nil {
		v.attributeMappings(path, om.AttributeMappings, srcObj, name, tgtObj, tgtName)
	}
}

func (v *validator) filterGroup(path string, g FilterGroup, srcObj map[string]any, srcName string) {
	if len(g.Clauses) == 0 {
		v.add(path+".clauses", "Empty scoping group",
			"A scoping group needs at least one clause; an empty group would match every object. Add a clause or remove the group.")
	}
	for j, c := range g.Clauses {
		cpath := fmt.Sprintf("%s.clauses[%d]", path, j)
		var attr map[string]any
		if srcObj != nil {
			if attr = attribute(srcObj, c.Attribute); attr == nil && !v.knownSource(srcObj, c.Attribute) {
				v.add(cpath+".attribute", "Unknown source attribute",
					"%q is not an attribute of source object %q.%s",
					c.Attribute, srcName, didYouMean(c.Attribute, attributeNames(srcObj)))
			}
		}
		op, ok := findOperator(v.ops, c.Operator)
		if !ok {
			hint := didYouMean(c.Operator, operatorNames(v.ops))
			if loose, found := looseOperatorMatch(v.ops, c.Operator); found {
				hint = fmt.Sprintf(" Did you mean %q? Operator names are exact, including case and spaces.", loose.Name)
			}
			v.add(cpath+".operator", "Unknown filter operator",
				"%q is not one of the job's filter operators.%s Use one of: %s.",
				c.Operator, hint, quoteList(operatorNames(v.ops)))
			continue
		}
		v.operatorFitsAttribute(cpath, op, attr, c.Attribute)
		switch {
		case op.Unary() && len(c.Values) > 0:
			v.add(cpath+".values", "Values given to a unary operator",
				"Operator %q takes no values; remove values (it has %d).", op.Name, len(c.Values))
		case !op.Unary() && len(c.Values) == 0:
			v.add(cpath+".values", "Missing values",
				"Operator %q compares the attribute with a value; set values, e.g. values = [\"Sales\"].", op.Name)
		}
	}
}

// operatorFitsAttribute warns (does not block: enforcement by Entra is
// UNVERIFIED) when a clause uses an operator on an attribute type it does
// not list, or a multi-valued attribute, which scoping filters do not
// support.
func (v *validator) operatorFitsAttribute(cpath string, op FilterOperator, attr map[string]any, name string) {
	if attr == nil {
		return
	}
	if multi, _ := attr["multivalued"].(bool); multi {
		v.warn(cpath+".attribute", "Multi-valued attribute in a scoping filter",
			"%q is multi-valued; Entra scoping filters do not support multi-valued attributes, so this clause may never match.", name)
		return
	}
	typ := str(attr, "type")
	if len(op.SupportedAttributeTypes) == 0 || typ == "" || containsString(op.SupportedAttributeTypes, typ) {
		return
	}
	v.warn(cpath+".operator", "Operator does not fit the attribute type",
		"Operator %q works on %s attributes, but %q is %s; pick an operator for %s attributes.",
		op.Name, strings.Join(op.SupportedAttributeTypes, "/"), name, typ, typ)
}

func (v *validator) attributeMappings(path string, declared map[string]AttributeMapping, srcObj map[string]any, srcName string, tgtObj map[string]any, tgtName string) {
	added := v.o.TargetAttributes[tgtName]
	if added == nil {
		for k, attrs := range v.o.TargetAttributes {
			if strings.EqualFold(k, tgtName) {
				added = attrs
			}
		}
	}
	seen := map[string]string{}
	priorities := map[int64]string{}
	for _, target := range sortedKeys(declared) {
		m := declared[target]
		mpath := fmt.Sprintf("%s.attribute_mappings[%q]", path, target)
		if first, dup := seen[strings.ToLower(target)]; dup {
			v.add(mpath, "Duplicate target attribute",
				"%q and %q name the same target attribute (target attribute names are case-insensitive); keep only one of them.",
				first, target)
		} else {
			seen[strings.ToLower(target)] = target
		}
		if tgtObj != nil && attribute(tgtObj, target) == nil && !hasKeyFold(added, target) {
			v.add(mpath, "Unknown target attribute",
				"%q is not an attribute of target object %q.%s To map a new attribute, add it under target_attributes[%q].",
				target, tgtName, didYouMean(target, attributeNames(tgtObj)), tgtName)
		}
		v.mappingSource(mpath, m, srcObj, srcName)
		if m.Apply != "" && m.Apply != ApplyAlways && m.Apply != ApplyOnCreate {
			v.add(mpath+".apply", "Unknown apply value",
				"apply is %q; use \"always\" (update on every change) or \"on_create\" (only when the object is created).", m.Apply)
		}
		switch {
		case m.MatchingPriority < 0:
			v.add(mpath+".matching_priority", "Negative matching priority",
				"matching_priority is %d; use 0 (not used for matching) or 1, 2, … for the matching order.", m.MatchingPriority)
		case m.MatchingPriority > 0:
			if first, dup := priorities[m.MatchingPriority]; dup {
				v.add(mpath+".matching_priority", "Duplicate matching priority",
					"%q and %q both have matching_priority %d; give each matching attribute a different priority.",
					first, target, m.MatchingPriority)
			} else {
				priorities[m.MatchingPriority] = target
			}
		}
	}
	if len(declared) > 0 && len(priorities) == 0 {
		// A warning: the portal refuses to save such a mapping, but whether
		// the API rejects it is UNVERIFIED.
		v.warn(path+".attribute_mappings", "No matching attribute",
			"None of the attribute mappings has matching_priority > 0, so Entra cannot find existing accounts in the target; set matching_priority = 1 on the attribute that identifies an account (usually userName or displayName).")
	}
}

func (v *validator) mappingSource(mpath string, m AttributeMapping, srcObj map[string]any, srcName string) {
	switch n := setCount(m); {
	case n == 0:
		v.add(mpath, "Missing mapping source",
			"Set exactly one of source (a source attribute), constant (a fixed value) or expression.")
		return
	case n > 1:
		v.add(mpath, "Conflicting mapping sources",
			"%s are set; set exactly one of source, constant or expression.", strings.Join(setFields(m), " and "))
		return
	}
	switch {
	case m.Source != "":
		if srcObj != nil && !v.knownSource(srcObj, m.Source) {
			v.add(mpath+".source", "Unknown source attribute",
				"%q is not an attribute of source object %q.%s",
				m.Source, srcName, didYouMean(m.Source, attributeNames(srcObj)))
		}
	case m.Expression != "":
		v.expression(mpath+".expression", m.Expression, srcObj, srcName)
	}
}

func (v *validator) expression(path, src string, srcObj map[string]any, srcName string) {
	n, err := expression.Parse(src)
	if err != nil {
		v.add(path, "Invalid expression", "%s", syntaxErrorDetail(src, err))
		return
	}
	var known func(string) bool
	if srcObj != nil {
		known = func(name string) bool { return v.knownSource(srcObj, name) }
	}
	v.diags = append(v.diags, expressionDiagnostics(path, src, n, v.cat, srcObj, srcName, known)...)
}

func (v *validator) targetObject(objName string, attrs map[string]TargetAttribute) {
	path := fmt.Sprintf("target_attributes[%q]", objName)
	checkSchema := v.s != nil && !v.sourceOnly
	if checkSchema && v.s.targetObject(objName) == nil {
		v.add(path, "Unknown target object",
			"%q is not an object of the job's target directory.%s Use one of: %s.",
			objName, didYouMean(objName, v.s.targetObjectNames()), quoteList(v.s.targetObjectNames()))
		return
	}
	for _, name := range sortedKeys(attrs) {
		a := attrs[name]
		apath := fmt.Sprintf("%s[%q]", path, name)
		if a.Type != nil && !containsString(AttributeTypes, *a.Type) {
			v.add(apath+".type", "Unknown attribute type",
				"type is %q.%s Use one of: %s.", *a.Type, didYouMean(*a.Type, AttributeTypes), quoteList(AttributeTypes))
		}
		if !checkSchema {
			continue // referenced objects are checked against the schema
		}
		known := v.s.targetObjectNames()
		for _, ref := range a.ReferencedObjects {
			if v.s.targetObject(ref) == nil {
				v.add(apath+".referenced_objects", "Unknown referenced object",
					"%q is not an object of the target directory.%s Use one of: %s.",
					ref, didYouMean(ref, known), quoteList(known))
			}
		}
	}
}

func operatorNames(ops []FilterOperator) []string {
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.Name
	}
	return names
}

func hasKeyFold[V any](m map[string]V, key string) bool {
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	sort.Strings(q)
	if len(q) > 12 {
		return strings.Join(q[:12], ", ") + fmt.Sprintf(" and %d more", len(q)-12)
	}
	return strings.Join(q, ", ")
}
