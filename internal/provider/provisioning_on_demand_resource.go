package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

var (
	_ resource.Resource                = (*provisioningOnDemandResource)(nil)
	_ resource.ResourceWithConfigure   = (*provisioningOnDemandResource)(nil)
	_ resource.ResourceWithImportState = (*provisioningOnDemandResource)(nil)
)

// NewProvisioningOnDemandResource is the entra_provisioning_on_demand resource.
func NewProvisioningOnDemandResource() resource.Resource {
	return &provisioningOnDemandResource{}
}

type provisioningOnDemandResource struct {
	data *ProviderData
}

type provisioningOnDemandModel struct {
	ID                 types.String `tfsdk:"id"`
	ServicePrincipalID types.String `tfsdk:"service_principal_id"`
	JobID              types.String `tfsdk:"job_id"`
	Subjects           types.List   `tfsdk:"subjects"`
	Triggers           types.Map    `tfsdk:"triggers"`
	Results            types.List   `tfsdk:"results"`
}

type onDemandSubjectModel struct {
	ObjectID   types.String `tfsdk:"object_id"`
	ObjectType types.String `tfsdk:"object_type"`
}

var onDemandResultAttrTypes = map[string]attr.Type{
	"object_id":     types.StringType,
	"object_type":   types.StringType,
	"status":        types.StringType,
	"action":        types.StringType,
	"error_code":    types.StringType,
	"error_message": types.StringType,
}

func (r *provisioningOnDemandResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_on_demand"
}

func (r *provisioningOnDemandResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replaceString := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Provisions users or groups on demand (portal: *Provision on demand*), right away instead of at the next " +
			"provisioning cycle. Runs on create and again whenever an argument or `triggers` changes; destroying it only forgets " +
			"the run (nothing is deprovisioned). A subject that fails is reported in `results` and as a warning, not as an error.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Random id of this on-demand run.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service_principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object id of the enterprise application's service principal.",
				Validators:          []validator.String{uuidValidator()},
				PlanModifiers:       replaceString,
			},
			"job_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Id of the provisioning job, for example `entra_provisioning_job.example.job_id`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       replaceString,
			},
			"subjects": schema.ListNestedAttribute{
				Required:            true,
				MarkdownDescription: "Users and groups to provision, in order. Graph allows 5 on-demand requests per 10 seconds; larger lists are paced automatically.",
				Validators:          []validator.List{listvalidator.SizeBetween(1, 50)},
				PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplace()},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"object_id": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Object id of the user or group in Entra ID.",
							Validators:          []validator.String{uuidValidator()},
						},
						"object_type": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "`User` or `Group`.",
							Validators:          []validator.String{stringvalidator.OneOf("User", "Group")},
						},
					},
				},
			},
			"triggers": schema.MapAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Arbitrary values; changing any of them provisions the subjects again.",
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"results": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Outcome per subject, in the order of `subjects`.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"object_id":     schema.StringAttribute{Computed: true, MarkdownDescription: "Object id of the subject."},
						"object_type":   schema.StringAttribute{Computed: true, MarkdownDescription: "`User` or `Group`."},
						"status":        schema.StringAttribute{Computed: true, MarkdownDescription: "Outcome, for example `Success`, `Skipped` or `Failure`."},
						"action":        schema.StringAttribute{Computed: true, MarkdownDescription: "What the provisioning service did in the target, for example `Create`, `Update` or `Other`."},
						"error_code":    schema.StringAttribute{Computed: true, MarkdownDescription: "Error code when the subject was skipped or failed, for example `RedundantExport`; null otherwise."},
						"error_message": schema.StringAttribute{Computed: true, MarkdownDescription: "Explanation from the provisioning service; null when there is none."},
					},
				},
			},
		},
	}
}

func (r *provisioningOnDemandResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *provisioningOnDemandResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan provisioningOnDemandModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var subjects []onDemandSubjectModel
	resp.Diagnostics.Append(plan.Subjects.ElementsAs(ctx, &subjects, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID, jobID := plan.ServicePrincipalID.ValueString(), plan.JobID.ValueString()
	jobSchema := r.findJobSchema(ctx, spID, jobID, &resp.Diagnostics)
	if jobSchema == nil {
		return
	}
	results := make([]attr.Value, 0, len(subjects))
	var failed []string
	for _, s := range subjects {
		res, ok := r.provisionSubject(ctx, spID, jobID, jobSchema, s, &resp.Diagnostics)
		if !ok {
			return
		}
		if onDemandFailed(res.Status) {
			failed = append(failed, fmt.Sprintf("%s %s: %s %s", s.ObjectType.ValueString(), s.ObjectID.ValueString(), res.ErrorCode, res.ErrorMessage))
		}
		obj, d := types.ObjectValue(onDemandResultAttrTypes, map[string]attr.Value{
			"object_id":     types.StringValue(s.ObjectID.ValueString()),
			"object_type":   types.StringValue(s.ObjectType.ValueString()),
			"status":        types.StringValue(res.Status),
			"action":        nullIfEmpty(res.Action),
			"error_code":    nullIfEmpty(res.ErrorCode),
			"error_message": nullIfEmpty(res.ErrorMessage),
		})
		resp.Diagnostics.Append(d...)
		results = append(results, obj)
	}
	if len(failed) > 0 {
		resp.Diagnostics.AddWarning("Some subjects failed to provision on demand",
			strings.Join(failed, "\n")+"\n\nSee results for details; change triggers to run again after fixing the cause.")
	}
	list, d := types.ListValue(types.ObjectType{AttrTypes: onDemandResultAttrTypes}, results)
	resp.Diagnostics.Append(d...)
	plan.Results = list
	plan.ID = types.StringValue(uuid.NewString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// findJobSchema reads the job's schema, whose rules name the ruleId each
// subject needs. No retry on 404: the job resource this one depends on has
// already waited for its job to replicate, so a 404 means a wrong job_id.
func (r *provisioningOnDemandResource) findJobSchema(ctx context.Context, spID, jobID string, diags *diag.Diagnostics) *syncschema.Schema {
	jobSchema, err := r.data.API.FindJobSchema(ctx, spID, jobID)
	switch {
	case graph.IsNotFound(err):
		diags.AddAttributeError(path.Root("job_id"), "Provisioning job not found",
			fmt.Sprintf("Service principal %s has no provisioning job %q (or it was deleted). Check job_id, for example entra_provisioning_job.<name>.job_id.", spID, jobID))
		return nil
	case err != nil:
		addGraphError(diags, "read the schema of provisioning job "+jobID, err)
		return nil
	}
	return jobSchema
}

// provisionSubject runs one subject through the rule that maps its object
// type.
func (r *provisioningOnDemandResource) provisionSubject(ctx context.Context, spID, jobID string, jobSchema *syncschema.Schema, s onDemandSubjectModel, diags *diag.Diagnostics) (onDemandResult, bool) {
	objectID, objectType := s.ObjectID.ValueString(), s.ObjectType.ValueString()
	ruleID := jobSchema.RuleIDFor(objectType)
	if ruleID == "" {
		diags.AddAttributeError(path.Root("subjects"), "Object type not provisioned by this job",
			fmt.Sprintf("No synchronization rule of job %s maps %s objects (it maps: %s). Provision only object types the job's object mappings enable.",
				jobID, objectType, sourceObjectsOrNothing(jobSchema.SourceObjectNames())))
		return onDemandResult{}, false
	}
	answer, err := r.data.API.ProvisionOnDemand(ctx, spID, jobID, ruleID, entra.OnDemandSubject{ObjectID: objectID, ObjectType: objectType})
	if err != nil {
		addGraphError(diags, fmt.Sprintf("provision %s %s on demand", objectType, objectID), err)
		return onDemandResult{}, false
	}
	return parseOnDemandResponse(answer.Key, answer.Value, objectID), true
}

// Read keeps the recorded run: it is an action, not an object in Graph.
func (r *provisioningOnDemandResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update is never called with a real change (every argument replaces), but
// keeps state consistent if Terraform calls it.
func (r *provisioningOnDemandResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state provisioningOnDemandModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	plan.ID, plan.Results = state.ID, state.Results
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// ImportState explains why there is nothing to import: an on-demand run is
// an action, not an object Graph keeps.
func (r *provisioningOnDemandResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("entra_provisioning_on_demand cannot be imported",
		"An on-demand provisioning run is an action, not an object that Microsoft Graph keeps, so there is nothing to import. "+
			"Declare the resource and apply it to provision the subjects; change triggers to run it again.")
}

// Delete only forgets the run: provisioned accounts stay in the target.
func (r *provisioningOnDemandResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// sourceObjectsOrNothing names the mapped source objects for an error.
func sourceObjectsOrNothing(names []string) string {
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, ", ")
}

func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
