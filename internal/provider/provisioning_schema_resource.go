package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

var (
	_ resource.Resource                   = (*provisioningSchemaResource)(nil)
	_ resource.ResourceWithConfigure      = (*provisioningSchemaResource)(nil)
	_ resource.ResourceWithImportState    = (*provisioningSchemaResource)(nil)
	_ resource.ResourceWithValidateConfig = (*provisioningSchemaResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*provisioningSchemaResource)(nil)
)

// NewProvisioningSchemaResource is entra_provisioning_schema: the attribute
// mappings of a job created elsewhere (e.g. by the AzureAD provider).
func NewProvisioningSchemaResource() resource.Resource {
	return &provisioningSchemaResource{}
}

type provisioningSchemaResource struct {
	data *ProviderData
}

type provisioningSchemaModel struct {
	ID                 types.String  `tfsdk:"id"`
	ServicePrincipalID types.String  `tfsdk:"service_principal_id"`
	JobID              types.String  `tfsdk:"job_id"`
	ObjectMappings     types.Map     `tfsdk:"object_mappings"`
	TargetAttributes   types.Dynamic `tfsdk:"target_attributes"`
}

func (r *provisioningSchemaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_schema"
}

func (r *provisioningSchemaResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Attribute mappings, scoping filters and attribute-list edits (`object_mappings`, `target_attributes`) " +
			"of a provisioning job created elsewhere, for example by the AzureAD provider. Only the declared parts of the job's " +
			"schema are managed; everything else is kept exactly as it is. Destroy resets the schema to the template default " +
			"(`DELETE …/schema`). Do not use it together with `object_mappings`/`target_attributes` of an " +
			"`entra_provisioning_job` for the same job. Import with `<service_principal_id>/<job_id>`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<service_principal_id>/<job_id>`, the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service_principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object ID of the enterprise application's service principal.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"job_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the synchronization job whose schema is managed.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"object_mappings":   objectMappingsAttribute(),
			"target_attributes": targetAttributesAttribute(),
		},
	}
}

func (r *provisioningSchemaResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*ProviderData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *provider.ProviderData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	r.data = data
}

func (r *provisioningSchemaResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config provisioningSchemaModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.ObjectMappings.IsNull() && (config.TargetAttributes.IsNull() || config.TargetAttributes.IsUnderlyingValueNull()) {
		resp.Diagnostics.AddAttributeError(path.Root("object_mappings"), "Nothing to manage",
			"Set object_mappings, target_attributes or both; without them this resource would not change the schema.")
		return
	}
	resp.Diagnostics.Append(validateOverlayOffline(ctx, config.ObjectMappings, config.TargetAttributes)...)
}

func (r *provisioningSchemaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var plan provisioningSchemaModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !req.State.Raw.IsNull() {
		var state provisioningSchemaModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if plan.ObjectMappings.Equal(state.ObjectMappings) && plan.TargetAttributes.Equal(state.TargetAttributes) {
			return
		}
	}
	if plan.ServicePrincipalID.IsUnknown() || plan.JobID.IsUnknown() ||
		!isFullyKnown(ctx, plan.ObjectMappings) || !isFullyKnown(ctx, plan.TargetAttributes) {
		return
	}
	resp.Diagnostics.Append(r.data.validateOverlayOnline(ctx, plan.ServicePrincipalID.ValueString(), plan.JobID.ValueString(), "",
		plan.ObjectMappings, plan.TargetAttributes)...)
}

func (r *provisioningSchemaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan provisioningSchemaModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID, jobID := plan.ServicePrincipalID.ValueString(), plan.JobID.ValueString()
	resp.Diagnostics.Append(r.data.applySchemaOverlay(ctx, spID, jobID, plan.ObjectMappings, plan.TargetAttributes)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(spID + "/" + jobID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *provisioningSchemaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state provisioningSchemaModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()
	imported, diags := req.Private.GetKey(ctx, privateKeyImported)
	resp.Diagnostics.Append(diags...)
	if string(imported) == "true" {
		job, err := r.data.API.FindJob(ctx, spID, jobID)
		if graph.IsNotFound(err) {
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			addGraphError(&resp.Diagnostics, "read the synchronization job", err)
			return
		}
		state.ObjectMappings, state.TargetAttributes = r.data.importSchemaOverlay(ctx, spID, jobID, job.TemplateID, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, nil)...)
	} else {
		s, err := r.data.readJobSchemaForPlan(ctx, spID, jobID)
		if graph.IsNotFound(err) {
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			addGraphError(&resp.Diagnostics, "read the job's synchronization schema", err)
			return
		}
		state.ObjectMappings, state.TargetAttributes = overlayStateFromSchema(ctx, s, state.ObjectMappings, state.TargetAttributes, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *provisioningSchemaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan provisioningSchemaModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.applySchemaOverlay(ctx, plan.ServicePrincipalID.ValueString(), plan.JobID.ValueString(), plan.ObjectMappings, plan.TargetAttributes)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete restores the template's default schema.
func (r *provisioningSchemaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state provisioningSchemaModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()
	r.data.caches.jobSchemas.forget(jobKey(spID, jobID))
	err := r.data.API.DeleteJobSchema(ctx, spID, jobID)
	if err != nil && !graph.IsNotFound(err) {
		addGraphError(&resp.Diagnostics, "reset the job's schema to the template default (DELETE schema)", err)
	}
}

func (r *provisioningSchemaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	spID, jobID, ok := strings.Cut(req.ID, "/")
	if !ok || spID == "" || jobID == "" || strings.Contains(jobID, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Expected \"<service_principal_id>/<job_id>\", got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("service_principal_id"), spID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("job_id"), jobID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, []byte(`true`))...)
}
