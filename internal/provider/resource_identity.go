package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+) is what `terraform query` puts in the
// import blocks it generates and what `import { identity = {…} }` accepts.
// The importable resources get it from one wrapper instead of each CRUD
// method: the identity is a fixed projection of attributes the state always
// holds (the same parts as the import ID), so the wrapper derives it from the
// state after every Create, Read and Update, and turns an identity import
// into the resource's own ID import.

// identityPart is one identity attribute and the state attribute it mirrors.
type identityPart struct {
	Name        string // identity attribute
	StateAttr   string // state attribute holding the same value
	Description string
}

// identitySpec is a resource's identity: its parts, in import-ID order
// (joined with "/").
type identitySpec []identityPart

// importID joins identity values the way the resource's import ID does.
func (s identitySpec) importID(values []string) string { return strings.Join(values, "/") }

// fromState reads the identity values from a state; ok is false when any is
// unknown or empty (no identity can be given).
func (s identitySpec) fromState(ctx context.Context, state tfsdk.State) ([]string, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	values := make([]string, len(s))
	for i, p := range s {
		var v types.String
		diags.Append(state.GetAttribute(ctx, path.Root(p.StateAttr), &v)...)
		if diags.HasError() || v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			return nil, false, diags
		}
		values[i] = v.ValueString()
	}
	return values, true, diags
}

// setIdentity writes identity values.
func (s identitySpec) setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, values []string) diag.Diagnostics {
	var diags diag.Diagnostics
	for i, p := range s {
		diags.Append(identity.SetAttribute(ctx, path.Root(p.Name), values[i])...)
	}
	return diags
}

// fromIdentity reads identity values.
func (s identitySpec) fromIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity) ([]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	values := make([]string, len(s))
	for i, p := range s {
		var v types.String
		diags.Append(identity.GetAttribute(ctx, path.Root(p.Name), &v)...)
		if v.IsNull() || v.ValueString() == "" {
			diags.AddAttributeError(path.Root(p.Name), "Missing identity attribute",
				fmt.Sprintf("The import block's identity must set %s (%s).", p.Name, p.Description))
		}
		values[i] = v.ValueString()
	}
	return values, diags
}

// withIdentity gives a resource an identity schema (see identitySpec).
func withIdentity(newResource func() resource.Resource, spec identitySpec) func() resource.Resource {
	return func() resource.Resource { return &identityResource{Resource: newResource(), spec: spec} }
}

// identityResource forwards every method to the wrapped resource and adds
// the identity; optional interfaces the wrapped resource lacks are no-ops.
type identityResource struct {
	resource.Resource
	spec identitySpec
}

var (
	_ resource.ResourceWithIdentity         = (*identityResource)(nil)
	_ resource.ResourceWithImportState      = (*identityResource)(nil)
	_ resource.ResourceWithConfigure        = (*identityResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*identityResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*identityResource)(nil)
	_ resource.ResourceWithConfigValidators = (*identityResource)(nil)
)

func (r *identityResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	attrs := make(map[string]identityschema.Attribute, len(r.spec))
	for _, p := range r.spec {
		attrs[p.Name] = identityschema.StringAttribute{RequiredForImport: true, Description: p.Description}
	}
	resp.IdentitySchema = identityschema.Schema{Attributes: attrs}
}

// deriveIdentity sets the response identity from the new state.
func (r *identityResource) deriveIdentity(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || diags.HasError() || state.Raw.IsNull() {
		return
	}
	values, ok, d := r.spec.fromState(ctx, state)
	diags.Append(d...)
	if ok {
		diags.Append(r.spec.setIdentity(ctx, identity, values)...)
	}
}

func (r *identityResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.Resource.Create(ctx, req, resp)
	r.deriveIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *identityResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.Resource.Read(ctx, req, resp)
	state := resp.State
	if state.Raw.IsNull() {
		// Gone (removed from state): the framework still wants an identity,
		// and CLIs before 1.12 send no prior one; it is the vanished object's.
		state = req.State
	}
	r.deriveIdentity(ctx, state, resp.Identity, &resp.Diagnostics)
}

func (r *identityResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.Resource.Update(ctx, req, resp)
	r.deriveIdentity(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// ImportState accepts the import ID or, from `import { identity = {…} }`
// (what `terraform query` generates), the identity, which it turns into the
// same ID.
func (r *identityResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	inner, ok := r.Resource.(resource.ResourceWithImportState)
	if !ok {
		resp.Diagnostics.AddError("Import not supported", "This resource cannot be imported.")
		return
	}
	if req.ID == "" && req.Identity != nil {
		values, diags := r.spec.fromIdentity(ctx, req.Identity)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		req.ID = r.spec.importID(values)
	}
	inner.ImportState(ctx, req, resp)
}

func (r *identityResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if inner, ok := r.Resource.(resource.ResourceWithConfigure); ok {
		inner.Configure(ctx, req, resp)
	}
}

func (r *identityResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if inner, ok := r.Resource.(resource.ResourceWithModifyPlan); ok {
		inner.ModifyPlan(ctx, req, resp)
	}
}

func (r *identityResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if inner, ok := r.Resource.(resource.ResourceWithValidateConfig); ok {
		inner.ValidateConfig(ctx, req, resp)
	}
}

func (r *identityResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	if inner, ok := r.Resource.(resource.ResourceWithConfigValidators); ok {
		return inner.ConfigValidators(ctx)
	}
	return nil
}

// The identities of the importable resources.
var (
	enterpriseApplicationIdentity = identitySpec{
		{Name: "service_principal_id", StateAttr: "service_principal_id", Description: "Object ID of the enterprise application's service principal."},
	}
	provisioningJobIdentity = identitySpec{
		{Name: "service_principal_id", StateAttr: "service_principal_id", Description: "Object ID of the service principal that owns the job."},
		{Name: "job_id", StateAttr: "job_id", Description: "Synchronization job ID, e.g. `scim.0123456789abcdef0123456789abcdef.…`."},
	}
	appRoleAssignmentIdentity = identitySpec{
		{Name: "service_principal_id", StateAttr: "service_principal_id", Description: "Object ID of the resource service principal (the enterprise application)."},
		{Name: "assignment_id", StateAttr: "id", Description: "ID of the app role assignment."},
	}
)
