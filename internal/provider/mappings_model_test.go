package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

func TestObjectMappingsRoundTripKeepsNullAndEmptyApart(t *testing.T) {
	ctx := context.Background()
	dv := ""
	in := map[string]syncschema.ObjectMapping{
		"User": {
			ScopingFilter: []syncschema.FilterGroup{{Clauses: []syncschema.FilterClause{
				{Attribute: "department", Operator: "EQUALS", Values: []string{"Sales"}},
				{Attribute: "accountEnabled", Operator: "IS TRUE"},
			}}},
			AttributeMappings: map[string]syncschema.AttributeMapping{
				"userName": {Source: "userPrincipalName", MatchingPriority: 1},
				"active":   {Expression: `Switch([IsSoftDeleted], , "False", "True", "True", "False")`, Apply: "on_create"},
				"country":  {Constant: "DK", DefaultValue: &dv},
			},
		},
		"Group": {Enabled: boolp(false)},
	}
	v, diags := objectMappingsToTF(ctx, in, types.MapNull(objectMappingElemType))
	if diags.HasError() {
		t.Fatalf("to TF: %v", diags)
	}
	back, diags := objectMappingsFromTF(ctx, v)
	if diags.HasError() {
		t.Fatalf("from TF: %v", diags)
	}
	if !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip changed the mappings:\n got %#v\nwant %#v", back, in)
	}
	group := v.Elements()["Group"].(types.Object).Attributes()
	if !group["attribute_mappings"].IsNull() || !group["scoping_filter"].IsNull() {
		t.Errorf("Group declares only enabled, but attribute_mappings / scoping_filter are not null: %v", group)
	}
	empty := map[string]syncschema.ObjectMapping{"User": {ScopingFilter: []syncschema.FilterGroup{}}}
	v, _ = objectMappingsToTF(ctx, empty, types.MapNull(objectMappingElemType))
	sf := v.Elements()["User"].(types.Object).Attributes()["scoping_filter"].(types.List)
	if sf.IsNull() || len(sf.Elements()) != 0 {
		t.Errorf("an empty scoping filter (remove all groups) became %v; it must stay an empty list", sf)
	}
}

func TestMatchingPriorityZeroStaysAsDeclared(t *testing.T) {
	ctx := context.Background()
	got := map[string]syncschema.ObjectMapping{"User": {AttributeMappings: map[string]syncschema.AttributeMapping{
		"mail": {Source: "mail"}, "title": {Source: "jobTitle"},
	}}}
	prior, _ := objectMappingsToTF(ctx, got, types.MapNull(objectMappingElemType))
	// The user wrote matching_priority = 0 for mail only.
	user := prior.Elements()["User"].(types.Object)
	ams := user.Attributes()["attribute_mappings"].(types.Map)
	mail := ams.Elements()["mail"].(types.Object)
	mailAttrs := mail.Attributes()
	mailAttrs["matching_priority"] = types.Int64Value(0)
	newMail, _ := types.ObjectValue(attributeMappingAttrTypes, mailAttrs)
	elems := ams.Elements()
	elems["mail"] = newMail
	newAMs, _ := types.MapValue(types.ObjectType{AttrTypes: attributeMappingAttrTypes}, elems)
	userAttrs := user.Attributes()
	userAttrs["attribute_mappings"] = newAMs
	newUser, _ := types.ObjectValue(objectMappingAttrTypes, userAttrs)
	prior, _ = types.MapValue(objectMappingElemType, map[string]attr.Value{"User": newUser})

	refreshed, _ := objectMappingsToTF(ctx, got, prior)
	r := refreshed.Elements()["User"].(types.Object).Attributes()["attribute_mappings"].(types.Map).Elements()
	if p := r["mail"].(types.Object).Attributes()["matching_priority"].(types.Int64); p.IsNull() || p.ValueInt64() != 0 {
		t.Errorf("mail matching_priority = %v, want the declared 0", p)
	}
	if p := r["title"].(types.Object).Attributes()["matching_priority"].(types.Int64); !p.IsNull() {
		t.Errorf("title matching_priority = %v, want null (not declared, Graph holds 0)", p)
	}
}

func TestTargetAttributesParseAndRefresh(t *testing.T) {
	ctx := context.Background()
	refs, _ := types.TupleValue([]attr.Type{types.StringType}, []attr.Value{types.StringValue("urn:user")})
	diags := new(diagsHolder)
	members := objectOf(map[string]attr.Value{"referenced_objects": refs}, &diags.d)
	userName := objectOf(map[string]attr.Value{"required": types.BoolValue(true)}, &diags.d)
	value := types.DynamicValue(objectOf(map[string]attr.Value{
		"urn:group": objectOf(map[string]attr.Value{"members": members}, &diags.d),
		"urn:user":  objectOf(map[string]attr.Value{"userName": userName}, &diags.d),
	}, &diags.d))
	if diags.d.HasError() {
		t.Fatal(diags.d)
	}
	parsed, d := targetAttributesFromTF(value)
	if d.HasError() {
		t.Fatalf("parse: %v", d)
	}
	want := map[string]map[string]syncschema.TargetAttribute{
		"urn:group": {"members": {ReferencedObjects: []string{"urn:user"}}},
		"urn:user":  {"userName": {Required: boolp(true)}},
	}
	if !reflect.DeepEqual(parsed, want) {
		t.Fatalf("parsed %#v, want %#v", parsed, want)
	}

	// Graph agrees: the prior value comes back identical (same types).
	same, d := refreshTargetAttributes(ctx, value, want)
	if d.HasError() || !same.Equal(value) {
		t.Fatalf("refresh without drift changed the value: %v (%v)", same, d)
	}
	// Drift: userName no longer required, members gone.
	drifted, _ := refreshTargetAttributes(ctx, value, map[string]map[string]syncschema.TargetAttribute{
		"urn:user": {"userName": {Required: boolp(false)}},
	})
	if drifted.Equal(value) {
		t.Fatal("refresh with drift returned the prior value")
	}
	back, _ := targetAttributesFromTF(drifted)
	if _, ok := back["urn:group"]; ok {
		t.Errorf("a vanished target object is still in the refreshed value: %v", back)
	}
	if r := back["urn:user"]["userName"].Required; r == nil || *r {
		t.Errorf("userName required = %v after drift, want false", r)
	}
}

func TestTargetAttributesRejectsBadShapes(t *testing.T) {
	var h diagsHolder
	bad := types.DynamicValue(objectOf(map[string]attr.Value{
		"urn:user": objectOf(map[string]attr.Value{
			"userName": objectOf(map[string]attr.Value{"requird": types.BoolValue(true), "type": types.StringValue("string")}, &h.d),
		}, &h.d),
	}, &h.d))
	_, d := targetAttributesFromTF(bad)
	if d.ErrorsCount() != 2 {
		t.Fatalf("want 2 errors (unknown field requird, lowercase type), got %v", d)
	}
}

func TestTenantURLValidator(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://scim.example.com/scim/v2": true,
		"http://scim.example.com/scim":     false,
		"scim.example.com":                 false,
		"https://":                         false,
		"https://user:pw@scim.example.com": false,
		"ftp://scim.example.com":           false,
	} {
		req := validator.StringRequest{Path: path.Root("tenant_url"), ConfigValue: types.StringValue(raw)}
		var resp validator.StringResponse
		tenantURLValidator{}.ValidateString(context.Background(), req, &resp)
		if resp.Diagnostics.HasError() == ok {
			t.Errorf("%q: accepted = %v, want %v (%v)", raw, !resp.Diagnostics.HasError(), ok, resp.Diagnostics)
		}
	}
}

// diagsHolder collects diagnostics from value builders in tests.
type diagsHolder struct{ d diag.Diagnostics }
