package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// target_attributes is a dynamic value so users can write
//
//	{ "<object>" = { "<attribute>" = { required = true } } }
//
// with only the fields they manage (the framework has no optional object
// attributes). This file parses it, and rebuilds it on refresh keeping the
// user's exact values (and their types: tuple vs list) wherever Graph agrees.

// Fields accepted per attribute entry.
const (
	taRequired          = "required"
	taType              = "type"
	taMultivalued       = "multivalued"
	taReferencedObjects = "referenced_objects"
)

var targetAttributeFields = []string{taRequired, taType, taMultivalued, taReferencedObjects}

// entries returns the keyed children of an object or map value.
func entries(v attr.Value) (map[string]attr.Value, bool) {
	switch t := v.(type) {
	case types.Object:
		return t.Attributes(), !t.IsNull() && !t.IsUnknown()
	case types.Map:
		return t.Elements(), !t.IsNull() && !t.IsUnknown()
	case types.Dynamic:
		if t.IsNull() || t.IsUnknown() || t.IsUnderlyingValueNull() || t.IsUnderlyingValueUnknown() {
			return nil, false
		}
		return entries(t.UnderlyingValue())
	}
	return nil, false
}

// stringElements returns the strings of a list, set or tuple value.
func stringElements(v attr.Value) ([]string, bool) {
	var elems []attr.Value
	switch t := v.(type) {
	case types.List:
		elems = t.Elements()
	case types.Set:
		elems = t.Elements()
	case types.Tuple:
		elems = t.Elements()
	default:
		return nil, false
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return nil, false
		}
		out = append(out, s.ValueString())
	}
	return out, true
}

// targetAttributesFromTF parses a known target_attributes value; null
// returns nil. Every shape problem is a diagnostic that names the entry.
func targetAttributesFromTF(v types.Dynamic) (map[string]map[string]syncschema.TargetAttribute, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v.IsNull() || v.IsUnknown() || v.IsUnderlyingValueNull() {
		return nil, diags
	}
	root := path.Root("target_attributes")
	objects, ok := entries(v)
	if !ok {
		diags.AddAttributeError(root, "Invalid target_attributes",
			"target_attributes must be a map of target object names to maps of attribute names to settings, e.g. "+
				`{ "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = { "emails[type eq \"work\"].value" = { required = true } } }`)
		return nil, diags
	}
	out := make(map[string]map[string]syncschema.TargetAttribute, len(objects))
	for objName, objVal := range objects {
		attrs, ok := entries(objVal)
		if !ok {
			diags.AddAttributeError(root, "Invalid target_attributes entry",
				fmt.Sprintf("target_attributes[%q] must be a map of attribute names to settings such as { required = true }.", objName))
			continue
		}
		got := make(map[string]syncschema.TargetAttribute, len(attrs))
		for attrName, attrVal := range attrs {
			ta, d := parseTargetAttribute(objName, attrName, attrVal)
			diags.Append(d...)
			got[attrName] = ta
		}
		out[objName] = got
	}
	return out, diags
}

func parseTargetAttribute(objName, attrName string, v attr.Value) (syncschema.TargetAttribute, diag.Diagnostics) {
	var diags diag.Diagnostics
	var ta syncschema.TargetAttribute
	where := fmt.Sprintf("target_attributes[%q][%q]", objName, attrName)
	fields, ok := entries(v)
	if !ok {
		diags.AddAttributeError(path.Root("target_attributes"), "Invalid target_attributes entry",
			fmt.Sprintf("%s must be an object with any of %s, e.g. { required = true }.", where, strings.Join(targetAttributeFields, ", ")))
		return ta, diags
	}
	for name, fv := range fields {
		bad := func(want string) {
			diags.AddAttributeError(path.Root("target_attributes"), "Invalid target_attributes field",
				fmt.Sprintf("%s.%s must be %s.", where, name, want))
		}
		switch name {
		case taRequired, taMultivalued:
			b, ok := fv.(types.Bool)
			if !ok {
				bad("true or false")
				continue
			}
			if b.IsNull() {
				continue
			}
			val := b.ValueBool()
			if name == taRequired {
				ta.Required = &val
			} else {
				ta.Multivalued = &val
			}
		case taType:
			s, ok := fv.(types.String)
			if !ok {
				bad("one of " + strings.Join(syncschema.AttributeTypes, ", "))
				continue
			}
			if s.IsNull() {
				continue
			}
			typ := s.ValueString()
			valid := false
			for _, t := range syncschema.AttributeTypes {
				valid = valid || t == typ
			}
			if !valid {
				bad(fmt.Sprintf("one of %s (got %q; the names are case-sensitive)", strings.Join(syncschema.AttributeTypes, ", "), typ))
				continue
			}
			ta.Type = &typ
		case taReferencedObjects:
			refs, ok := stringElements(fv)
			if !ok {
				bad(`a list of object names, e.g. ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]`)
				continue
			}
			if refs == nil {
				refs = []string{}
			}
			ta.ReferencedObjects = refs
		default:
			diags.AddAttributeError(path.Root("target_attributes"), "Unknown target_attributes field",
				fmt.Sprintf("%s has the field %q; the fields are %s.", where, name, strings.Join(targetAttributeFields, ", ")))
		}
	}
	return ta, diags
}

// refreshTargetAttributes rebuilds prior with the values Graph holds (got,
// from syncschema.Extract). Entries Graph agrees with keep their exact prior
// value; changed fields get Graph's value; entries that vanished are left
// out, so the next plan adds them again.
func refreshTargetAttributes(ctx context.Context, prior types.Dynamic, got map[string]map[string]syncschema.TargetAttribute) (types.Dynamic, diag.Diagnostics) {
	var diags diag.Diagnostics
	objects, ok := entries(prior)
	if !ok {
		return prior, diags
	}
	newObjects := map[string]attr.Value{}
	for objName, objVal := range objects {
		gotAttrs, present := got[objName]
		if !present {
			continue
		}
		attrs, _ := entries(objVal)
		newAttrs := map[string]attr.Value{}
		for attrName, attrVal := range attrs {
			g, present := gotAttrs[attrName]
			if !present {
				continue
			}
			declared, d := parseTargetAttribute(objName, attrName, attrVal)
			diags.Append(d...)
			if targetAttributeEqual(declared, g) {
				newAttrs[attrName] = attrVal
				continue
			}
			newAttrs[attrName] = targetAttributeValue(g, &diags)
		}
		newObjects[objName] = objectOf(newAttrs, &diags)
	}
	return types.DynamicValue(objectOf(newObjects, &diags)), diags
}

// targetAttributesToTF builds a fresh value (import): referenced_objects as
// a tuple, which is what HCL's [ ... ] produces, so a generated
// configuration reads back without a diff.
func targetAttributesToTF(got map[string]map[string]syncschema.TargetAttribute) (types.Dynamic, diag.Diagnostics) {
	var diags diag.Diagnostics
	if len(got) == 0 {
		return types.DynamicNull(), diags
	}
	objects := map[string]attr.Value{}
	for objName, attrs := range got {
		vals := map[string]attr.Value{}
		for attrName, ta := range attrs {
			vals[attrName] = targetAttributeValue(ta, &diags)
		}
		objects[objName] = objectOf(vals, &diags)
	}
	return types.DynamicValue(objectOf(objects, &diags)), diags
}

func targetAttributeValue(ta syncschema.TargetAttribute, diags *diag.Diagnostics) attr.Value {
	fields := map[string]attr.Value{}
	if ta.Required != nil {
		fields[taRequired] = types.BoolValue(*ta.Required)
	}
	if ta.Type != nil {
		fields[taType] = types.StringValue(*ta.Type)
	}
	if ta.Multivalued != nil {
		fields[taMultivalued] = types.BoolValue(*ta.Multivalued)
	}
	if ta.ReferencedObjects != nil {
		elemTypes := make([]attr.Type, len(ta.ReferencedObjects))
		elems := make([]attr.Value, len(ta.ReferencedObjects))
		for i, r := range ta.ReferencedObjects {
			elemTypes[i], elems[i] = types.StringType, types.StringValue(r)
		}
		tv, d := types.TupleValue(elemTypes, elems)
		diags.Append(d...)
		fields[taReferencedObjects] = tv
	}
	return objectOf(fields, diags)
}

// objectOf builds an object value whose attribute types are those of its values.
func objectOf(values map[string]attr.Value, diags *diag.Diagnostics) types.Object {
	typesOf := make(map[string]attr.Type, len(values))
	for k, v := range values {
		typesOf[k] = v.Type(context.Background())
	}
	obj, d := types.ObjectValue(typesOf, values)
	diags.Append(d...)
	return obj
}

func targetAttributeEqual(a, b syncschema.TargetAttribute) bool {
	eqBool := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqStr := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	if !eqBool(a.Required, b.Required) || !eqBool(a.Multivalued, b.Multivalued) || !eqStr(a.Type, b.Type) {
		return false
	}
	if (a.ReferencedObjects == nil) != (b.ReferencedObjects == nil) {
		return false
	}
	x, y := append([]string(nil), a.ReferencedObjects...), append([]string(nil), b.ReferencedObjects...)
	sort.Strings(x)
	sort.Strings(y)
	return strings.Join(x, "\x00") == strings.Join(y, "\x00")
}
