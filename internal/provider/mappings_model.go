package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// Conversions between object_mappings (a map of nested objects) and
// syncschema's ObjectMapping. null and empty are kept apart everywhere:
// null means "not managed", empty means "none".

var (
	clauseAttrTypes = map[string]attr.Type{
		"attribute": types.StringType,
		"operator":  types.StringType,
		"values":    types.ListType{ElemType: types.StringType},
	}
	scopingGroupAttrTypes = map[string]attr.Type{
		"clauses": types.ListType{ElemType: types.ObjectType{AttrTypes: clauseAttrTypes}},
	}
	attributeMappingAttrTypes = map[string]attr.Type{
		"source":            types.StringType,
		"constant":          types.StringType,
		"expression":        types.StringType,
		"default_value":     types.StringType,
		"matching_priority": types.Int64Type,
		"apply":             types.StringType,
	}
	objectMappingAttrTypes = map[string]attr.Type{
		"enabled":            types.BoolType,
		"target_object":      types.StringType,
		"scoping_filter":     types.ListType{ElemType: types.ObjectType{AttrTypes: scopingGroupAttrTypes}},
		"attribute_mappings": types.MapType{ElemType: types.ObjectType{AttrTypes: attributeMappingAttrTypes}},
	}
	objectMappingElemType = types.ObjectType{AttrTypes: objectMappingAttrTypes}
)

type objectMappingTF struct {
	Enabled           types.Bool   `tfsdk:"enabled"`
	TargetObject      types.String `tfsdk:"target_object"`
	ScopingFilter     types.List   `tfsdk:"scoping_filter"`
	AttributeMappings types.Map    `tfsdk:"attribute_mappings"`
}

type scopingGroupTF struct {
	Clauses []scopingClauseTF `tfsdk:"clauses"`
}

type scopingClauseTF struct {
	Attribute types.String `tfsdk:"attribute"`
	Operator  types.String `tfsdk:"operator"`
	Values    types.List   `tfsdk:"values"`
}

type attributeMappingTF struct {
	Source           types.String `tfsdk:"source"`
	Constant         types.String `tfsdk:"constant"`
	Expression       types.String `tfsdk:"expression"`
	DefaultValue     types.String `tfsdk:"default_value"`
	MatchingPriority types.Int64  `tfsdk:"matching_priority"`
	Apply            types.String `tfsdk:"apply"`
}

// isFullyKnown reports whether v holds no unknown value anywhere.
func isFullyKnown(ctx context.Context, v attr.Value) bool {
	tv, err := v.ToTerraformValue(ctx)
	return err == nil && tv.IsFullyKnown()
}

// objectMappingsFromTF converts a known object_mappings value. A null value
// returns nil (nothing managed).
func objectMappingsFromTF(ctx context.Context, v types.Map) (map[string]syncschema.ObjectMapping, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v.IsNull() || v.IsUnknown() {
		return nil, diags
	}
	var raw map[string]objectMappingTF
	diags.Append(v.ElementsAs(ctx, &raw, false)...)
	if diags.HasError() {
		return nil, diags
	}
	out := make(map[string]syncschema.ObjectMapping, len(raw))
	for name, m := range raw {
		om := syncschema.ObjectMapping{TargetObject: m.TargetObject.ValueString()}
		if !m.Enabled.IsNull() {
			b := m.Enabled.ValueBool()
			om.Enabled = &b
		}
		if !m.ScopingFilter.IsNull() {
			var groups []scopingGroupTF
			diags.Append(m.ScopingFilter.ElementsAs(ctx, &groups, false)...)
			om.ScopingFilter = make([]syncschema.FilterGroup, 0, len(groups))
			for _, g := range groups {
				fg := syncschema.FilterGroup{Clauses: make([]syncschema.FilterClause, 0, len(g.Clauses))}
				for _, c := range g.Clauses {
					fc := syncschema.FilterClause{Attribute: c.Attribute.ValueString(), Operator: c.Operator.ValueString()}
					if !c.Values.IsNull() {
						diags.Append(c.Values.ElementsAs(ctx, &fc.Values, false)...)
					}
					fg.Clauses = append(fg.Clauses, fc)
				}
				om.ScopingFilter = append(om.ScopingFilter, fg)
			}
		}
		if !m.AttributeMappings.IsNull() {
			var mappings map[string]attributeMappingTF
			diags.Append(m.AttributeMappings.ElementsAs(ctx, &mappings, false)...)
			om.AttributeMappings = make(map[string]syncschema.AttributeMapping, len(mappings))
			for target, am := range mappings {
				sm := syncschema.AttributeMapping{
					Source:           am.Source.ValueString(),
					Constant:         am.Constant.ValueString(),
					Expression:       am.Expression.ValueString(),
					MatchingPriority: am.MatchingPriority.ValueInt64(),
					Apply:            am.Apply.ValueString(),
				}
				if !am.DefaultValue.IsNull() {
					dv := am.DefaultValue.ValueString()
					sm.DefaultValue = &dv
				}
				om.AttributeMappings[target] = sm
			}
		}
		out[name] = om
	}
	return out, diags
}

// objectMappingsToTF converts extracted mappings back. prior (may be null)
// is the state or plan value: a matching_priority it wrote as 0 stays 0,
// otherwise Graph's 0 ("not used for matching") reads as null.
func objectMappingsToTF(ctx context.Context, got map[string]syncschema.ObjectMapping, prior types.Map) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	if got == nil {
		return types.MapNull(objectMappingElemType), diags
	}
	elems := make(map[string]attr.Value, len(got))
	for name, om := range got {
		m := objectMappingTF{
			Enabled:           types.BoolPointerValue(om.Enabled),
			TargetObject:      stringOrNull(om.TargetObject),
			ScopingFilter:     types.ListNull(types.ObjectType{AttrTypes: scopingGroupAttrTypes}),
			AttributeMappings: types.MapNull(types.ObjectType{AttrTypes: attributeMappingAttrTypes}),
		}
		if om.ScopingFilter != nil {
			groups := make([]attr.Value, 0, len(om.ScopingFilter))
			for _, g := range om.ScopingFilter {
				clauses := make([]attr.Value, 0, len(g.Clauses))
				for _, c := range g.Clauses {
					values := types.ListNull(types.StringType)
					if c.Values != nil {
						lv, d := types.ListValueFrom(ctx, types.StringType, c.Values)
						diags.Append(d...)
						values = lv
					}
					obj, d := types.ObjectValue(clauseAttrTypes, map[string]attr.Value{
						"attribute": types.StringValue(c.Attribute),
						"operator":  types.StringValue(c.Operator),
						"values":    values,
					})
					diags.Append(d...)
					clauses = append(clauses, obj)
				}
				cl, d := types.ListValue(types.ObjectType{AttrTypes: clauseAttrTypes}, clauses)
				diags.Append(d...)
				obj, d := types.ObjectValue(scopingGroupAttrTypes, map[string]attr.Value{"clauses": cl})
				diags.Append(d...)
				groups = append(groups, obj)
			}
			lv, d := types.ListValue(types.ObjectType{AttrTypes: scopingGroupAttrTypes}, groups)
			diags.Append(d...)
			m.ScopingFilter = lv
		}
		if om.AttributeMappings != nil {
			mappings := make(map[string]attr.Value, len(om.AttributeMappings))
			for target, am := range om.AttributeMappings {
				mappings[target] = attributeMappingValue(am, explicitZeroPriority(ctx, prior, name, target), &diags)
			}
			mv, d := types.MapValue(types.ObjectType{AttrTypes: attributeMappingAttrTypes}, mappings)
			diags.Append(d...)
			m.AttributeMappings = mv
		}
		obj, d := types.ObjectValueFrom(ctx, objectMappingAttrTypes, m)
		diags.Append(d...)
		elems[name] = obj
	}
	mv, d := types.MapValue(objectMappingElemType, elems)
	diags.Append(d...)
	return mv, diags
}

func attributeMappingValue(am syncschema.AttributeMapping, keepZero bool, diags *diag.Diagnostics) attr.Value {
	priority := types.Int64Value(am.MatchingPriority)
	if am.MatchingPriority == 0 && !keepZero {
		priority = types.Int64Null()
	}
	obj, d := types.ObjectValue(attributeMappingAttrTypes, map[string]attr.Value{
		"source":            stringOrNull(am.Source),
		"constant":          stringOrNull(am.Constant),
		"expression":        stringOrNull(am.Expression),
		"default_value":     types.StringPointerValue(am.DefaultValue),
		"matching_priority": priority,
		"apply":             stringOrNull(am.Apply),
	})
	diags.Append(d...)
	return obj
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// explicitZeroPriority reports whether prior wrote matching_priority = 0
// for this mapping (syncschema cannot tell 0 from unset).
func explicitZeroPriority(ctx context.Context, prior types.Map, object, target string) bool {
	if prior.IsNull() || prior.IsUnknown() {
		return false
	}
	objVal, ok := prior.Elements()[object].(types.Object)
	if !ok {
		return false
	}
	ams, ok := objVal.Attributes()["attribute_mappings"].(types.Map)
	if !ok || ams.IsNull() || ams.IsUnknown() {
		return false
	}
	am, ok := ams.Elements()[target].(types.Object)
	if !ok {
		return false
	}
	p, ok := am.Attributes()["matching_priority"].(types.Int64)
	return ok && !p.IsNull() && !p.IsUnknown() && p.ValueInt64() == 0
}
