package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The object_mappings and target_attributes attributes, shared by
// entra_provisioning_job and entra_provisioning_schema. Their values are
// converted to a syncschema.Overlay (mappings_model.go) and applied to the
// job's raw schema with syncschema.Apply.

func objectMappingsAttribute() schema.MapNestedAttribute {
	return schema.MapNestedAttribute{
		Optional: true,
		MarkdownDescription: "The portal's **Mappings**, keyed by source object name (`User`, `Group`). " +
			"Omitted: the template's mappings are left untouched. Only the listed object mappings, and within them only " +
			"the set attributes, are managed. Removing the attribute later stops managing the mappings and leaves them as " +
			"they are (use `entra_provisioning_schema`, whose destroy restores the template default, to reset them). " +
			"Checked at plan time, offline and against the job's schema: mistakes are errors with suggestions; probable " +
			"mistakes Entra accepts (no matching attribute, a multi-valued attribute or an operator that does not fit the " +
			"attribute's type in a scoping filter, a suspicious expression) are warnings.",
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"enabled": schema.BoolAttribute{
					Optional:            true,
					MarkdownDescription: "Whether this object mapping is provisioned (the portal's **Enabled**). Omit to leave it unchanged.",
				},
				"target_object": schema.StringAttribute{
					Optional:            true,
					MarkdownDescription: "Target object name (e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`). Omit to leave it unchanged.",
				},
				"scoping_filter": schema.ListNestedAttribute{
					Optional: true,
					MarkdownDescription: "**Source Object Scope**: scoping groups. Groups are OR-ed; the clauses inside a group are AND-ed. " +
						"`[]` removes every group (all records); omit to leave the filter unchanged.",
					NestedObject: schema.NestedAttributeObject{
						Attributes: map[string]schema.Attribute{
							"clauses": schema.ListNestedAttribute{
								Required:            true,
								MarkdownDescription: "Conditions that must all hold (at least one).",
								NestedObject: schema.NestedAttributeObject{
									Attributes: map[string]schema.Attribute{
										"attribute": schema.StringAttribute{
											Required:            true,
											MarkdownDescription: "Source attribute name, e.g. `department`.",
										},
										"operator": schema.StringAttribute{
											Required:            true,
											MarkdownDescription: "Filter operator as Graph names it, e.g. `EQUALS`, `NOT EQUALS`, `IS TRUE`, `IS NOT NULL`, `REGEX MATCH`, `Greater_Than`.",
										},
										"values": schema.ListAttribute{
											ElementType:         types.StringType,
											Optional:            true,
											MarkdownDescription: "Comparison values; omit for unary operators such as `IS TRUE`.",
										},
									},
								},
							},
						},
					},
				},
				"attribute_mappings": schema.MapNestedAttribute{
					Optional: true,
					MarkdownDescription: "Attribute mappings keyed by target attribute name. When set, exactly these mappings exist " +
						"(others are removed); omit to leave the mappings unchanged.",
					NestedObject: schema.NestedAttributeObject{
						Attributes: map[string]schema.Attribute{
							"source": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "**Direct** mapping: the source attribute name, e.g. `userPrincipalName`. Exactly one of `source`, `constant` and `expression`.",
							},
							"constant": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "**Constant** mapping: the value to send.",
							},
							"expression": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "**Expression** mapping, e.g. `Join(\" \", [givenName], [surname])`. Checked offline against the function catalog; formatting differences never cause a diff.",
							},
							"default_value": schema.StringAttribute{
								Optional:            true,
								MarkdownDescription: "**Default value if null**.",
							},
							"matching_priority": schema.Int64Attribute{
								Optional:            true,
								MarkdownDescription: "**Match objects using this attribute** with this precedence (1, 2, …); 0 or omitted means not used for matching.",
							},
							"apply": schema.StringAttribute{
								Optional: true,
								// Checked (with a fuller message) by syncschema.Validate in ValidateConfig.
								MarkdownDescription: "**Apply this mapping**: `always` or `on_create` (only during object creation). Omit to keep the current behaviour (`always` for a new mapping).",
							},
						},
					},
				},
			},
		},
	}
}

func targetAttributesAttribute() schema.DynamicAttribute {
	return schema.DynamicAttribute{
		Optional: true,
		MarkdownDescription: "The portal's **Edit attribute list**, keyed by target object name and then attribute name; each entry sets " +
			"any of `required` (bool), `type` (`String`, `Integer`, `Reference`, `Binary`, `Boolean`, `DateTime`), `multivalued` (bool) " +
			"and `referenced_objects` (list of object names). Attributes that do not exist are added. Unset fields and unlisted " +
			"attributes are left unchanged.",
	}
}
