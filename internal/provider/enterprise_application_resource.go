package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

var (
	_ resource.Resource                = (*enterpriseApplicationResource)(nil)
	_ resource.ResourceWithConfigure   = (*enterpriseApplicationResource)(nil)
	_ resource.ResourceWithImportState = (*enterpriseApplicationResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*enterpriseApplicationResource)(nil)
)

// NewEnterpriseApplicationResource is the entra_enterprise_application resource.
func NewEnterpriseApplicationResource() resource.Resource {
	return &enterpriseApplicationResource{}
}

type enterpriseApplicationResource struct {
	data *ProviderData
}

type enterpriseApplicationModel struct {
	ID                         types.String   `tfsdk:"id"`
	DisplayName                types.String   `tfsdk:"display_name"`
	TemplateID                 types.String   `tfsdk:"template_id"`
	AppRoleAssignmentRequired  types.Bool     `tfsdk:"app_role_assignment_required"`
	PermanentlyDeleteOnDestroy types.Bool     `tfsdk:"permanently_delete_on_destroy"`
	ServicePrincipalID         types.String   `tfsdk:"service_principal_id"`
	ApplicationObjectID        types.String   `tfsdk:"application_object_id"`
	ClientID                   types.String   `tfsdk:"client_id"`
	AppRoleIDs                 types.Map      `tfsdk:"app_role_ids"`
	Timeouts                   timeouts.Value `tfsdk:"timeouts"`
}

func (r *enterpriseApplicationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_enterprise_application"
}

func (r *enterpriseApplicationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An enterprise application: an application template (from the gallery, or the non-gallery " +
			"\"Custom\" template by default) instantiated into an application and its service principal, as " +
			"*Enterprise applications → New application* does in the portal.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Object id of the service principal (same as `service_principal_id`).",
				PlanModifiers:       keep,
			},
			"display_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name shown in *Enterprise applications* and *App registrations*. Updated in place.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"template_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Application template to instantiate, for example from the `entra_application_template` data source. " +
					"Default: the cloud's non-gallery (\"Custom\") template (`8adf8e6e-67b2-4cf2-a259-e3dc5476c621` in the global cloud). " +
					"Changing it creates a new application. When omitted for an imported application, its current template is kept.",
				Validators:    []validator.String{uuidValidator()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()},
			},
			"app_role_assignment_required": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
				MarkdownDescription: "Whether users and groups must be assigned to the application (portal: *Assignment required?*) before they can sign in or be provisioned in the *assigned* scope. Default `true`.",
			},
			"permanently_delete_on_destroy": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Also purge the application from *Deleted applications* on destroy, so it cannot be restored and its name is free at once. Default `false` (soft delete, restorable for 30 days).",
			},
			"service_principal_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Object id of the service principal (the enterprise application). Provisioning jobs and app role assignments live on it.",
				PlanModifiers:       keep,
			},
			"application_object_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Object id of the application (the app registration).",
				PlanModifiers:       keep,
			},
			"client_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Application (client) id, the `appId` shared by the application and its service principal.",
				PlanModifiers:       keep,
			},
			"app_role_ids": schema.MapAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "App role ids by display name, for example `User` and `msiam_access` for the non-gallery template.",
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx, "the enterprise application", defaultApplicationTimeout),
		},
	}
}

func (r *enterpriseApplicationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills template_id with the cloud's custom template on create,
// so the plan shows what will be instantiated.
func (r *enterpriseApplicationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return
	}
	var tmpl types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("template_id"), &tmpl)...)
	if tmpl.IsUnknown() && req.State.Raw.IsNull() {
		var configured types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("template_id"), &configured)...)
		if configured.IsNull() {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("template_id"), r.data.CustomAppTemplateID)...)
		}
	}
}

func (r *enterpriseApplicationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan enterpriseApplicationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultApplicationTimeout, &resp.Diagnostics)
	defer cancel()
	api := r.data.API
	name, required := plan.DisplayName.ValueString(), plan.AppRoleAssignmentRequired.ValueBool()
	templateID := plan.TemplateID.ValueString()
	if templateID == "" {
		templateID = r.data.CustomAppTemplateID
	}

	app, sp, err := instantiateTemplate(ctx, api, templateID)
	if app != nil && sp == nil {
		// An application without a findable service principal is of no use
		// and would be orphaned: remove it before reporting the failure.
		if delErr := api.DeleteApplication(ctx, app.ID); delErr != nil && !graph.IsNotFound(delErr) {
			resp.Diagnostics.AddWarning("Orphaned application",
				fmt.Sprintf("Application %s (%s) was created but could not be completed or removed: %v. Delete it under App registrations.", app.ID, app.DisplayName, delErr))
		}
	}
	if app != nil && sp != nil {
		// Track the objects from here on: if a later step fails, Terraform
		// keeps them (tainted) instead of leaving them orphaned.
		r.setFromAPI(&plan, app, sp, templateID)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
	if err != nil {
		addGraphError(&resp.Diagnostics, fmt.Sprintf("instantiate application template %s", templateID), err)
		return
	}
	tflog.Debug(ctx, "instantiated application template", map[string]any{"service_principal_id": sp.ID, "application_object_id": app.ID})

	var spFields map[string]any
	if sp.AppRoleAssignmentRequired != required {
		spFields = map[string]any{"appRoleAssignmentRequired": required}
	}
	if err := renameEnterpriseApplication(ctx, api, app.ID, sp.ID, name, spFields); err != nil {
		addGraphError(&resp.Diagnostics, "set the display name and app_role_assignment_required of the new enterprise application", err)
		return
	}
	// Everything else is known from instantiate; reading back would cost a
	// request and could hit a replica that has not seen the PATCH yet.
	plan.DisplayName = types.StringValue(name)
	plan.AppRoleAssignmentRequired = types.BoolValue(required)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *enterpriseApplicationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state enterpriseApplicationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sp, err := r.data.API.FindServicePrincipal(ctx, state.ID.ValueString())
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "enterprise application no longer exists; removing it from state", map[string]any{"service_principal_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addGraphError(&resp.Diagnostics, "read enterprise application "+state.ID.ValueString(), err)
		return
	}
	if err := r.fillFromServicePrincipal(ctx, &state, sp); err != nil {
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddError("Not an application of this tenant",
				fmt.Sprintf("Service principal %s (%q, appId %s) has no application object in this tenant: it belongs to an application registered in another tenant or by Microsoft. "+
					"entra_enterprise_application manages only applications instantiated in this tenant; remove it from the configuration or import another object id.", sp.ID, sp.DisplayName, sp.AppID))
			return
		}
		addGraphError(&resp.Diagnostics, "find the application object of service principal "+sp.ID, err)
		return
	}
	if state.PermanentlyDeleteOnDestroy.IsNull() {
		state.PermanentlyDeleteOnDestroy = types.BoolValue(false) // import
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *enterpriseApplicationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state enterpriseApplicationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultApplicationTimeout, &resp.Diagnostics)
	defer cancel()
	spID := state.ID.ValueString()
	requiredChanged := !plan.AppRoleAssignmentRequired.Equal(state.AppRoleAssignmentRequired)
	if !plan.DisplayName.Equal(state.DisplayName) {
		var spFields map[string]any
		if requiredChanged {
			spFields = map[string]any{"appRoleAssignmentRequired": plan.AppRoleAssignmentRequired.ValueBool()}
			requiredChanged = false
		}
		if err := renameEnterpriseApplication(ctx, r.data.API, state.ApplicationObjectID.ValueString(), spID, plan.DisplayName.ValueString(), spFields); err != nil {
			addGraphError(&resp.Diagnostics, "update enterprise application "+spID, err)
			return
		}
	}
	if requiredChanged {
		if err := r.patchAssignmentRequired(ctx, spID, plan.AppRoleAssignmentRequired.ValueBool()); err != nil {
			addGraphError(&resp.Diagnostics, "update app_role_assignment_required of "+spID, err)
			return
		}
	}
	// Computed attributes are unchanged by these PATCHes.
	plan.ID, plan.ServicePrincipalID, plan.ApplicationObjectID = state.ID, state.ServicePrincipalID, state.ApplicationObjectID
	plan.ClientID, plan.AppRoleIDs, plan.TemplateID = state.ClientID, state.AppRoleIDs, state.TemplateID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *enterpriseApplicationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state enterpriseApplicationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultApplicationTimeout, &resp.Diagnostics)
	defer cancel()
	api := r.data.API
	appID, spID := state.ApplicationObjectID.ValueString(), state.ID.ValueString()
	// Deleting the application also deletes its service principal.
	if err := api.DeleteApplication(ctx, appID); err != nil && !graph.IsNotFound(err) {
		addGraphError(&resp.Diagnostics, "delete application "+appID, err)
		return
	}
	if err := waitGone(ctx, "service principal "+spID, func() error {
		_, err := api.FindServicePrincipal(ctx, spID)
		return err
	}); err != nil {
		addGraphError(&resp.Diagnostics, "confirm deletion of service principal "+spID, err)
		return
	}
	if !state.PermanentlyDeleteOnDestroy.ValueBool() {
		return
	}
	// The soft-deleted application reaches deletedItems asynchronously.
	err := retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) error {
		return api.PurgeDeletedApplication(ctx, appID)
	})
	if err != nil {
		addGraphError(&resp.Diagnostics, "permanently delete application "+appID+" from deleted items", err)
	}
}

func (r *enterpriseApplicationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if !uuidPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not a service principal object id. Import with the enterprise application's object id (a GUID), as shown under Enterprise applications → Properties → Object ID.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("service_principal_id"), id)...)
}

func (r *enterpriseApplicationResource) patchAssignmentRequired(ctx context.Context, spID string, required bool) error {
	return retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) error {
		return r.data.API.UpdateServicePrincipal(ctx, spID, map[string]any{"appRoleAssignmentRequired": required})
	})
}

// fillFromServicePrincipal maps a service principal onto the model. The
// application object id is looked up only when not yet known (import), so a
// refresh costs one request.
func (r *enterpriseApplicationResource) fillFromServicePrincipal(ctx context.Context, m *enterpriseApplicationModel, sp *entra.ServicePrincipal) error {
	m.ID = types.StringValue(sp.ID)
	m.ServicePrincipalID = types.StringValue(sp.ID)
	m.DisplayName = types.StringValue(sp.DisplayName)
	m.ClientID = types.StringValue(sp.AppID)
	m.AppRoleAssignmentRequired = types.BoolValue(sp.AppRoleAssignmentRequired)
	if sp.ApplicationTemplateID != nil && *sp.ApplicationTemplateID != "" {
		m.TemplateID = types.StringValue(*sp.ApplicationTemplateID)
	}
	roles, diags := types.MapValueFrom(ctx, types.StringType, appRoleIDs(sp.AppRoles))
	if diags.HasError() {
		return fmt.Errorf("converting app roles: %v", diags)
	}
	m.AppRoleIDs = roles
	if m.ApplicationObjectID.ValueString() == "" {
		app, err := r.data.API.FindApplicationByAppID(ctx, sp.AppID)
		if err != nil {
			return err
		}
		m.ApplicationObjectID = types.StringValue(app.ID)
	}
	return nil
}

// setFromAPI records what instantiate returned, before any later step.
func (r *enterpriseApplicationResource) setFromAPI(m *enterpriseApplicationModel, app *entra.Application, sp *entra.ServicePrincipal, templateID string) {
	m.ID = types.StringValue(sp.ID)
	m.ServicePrincipalID = types.StringValue(sp.ID)
	m.ApplicationObjectID = types.StringValue(app.ID)
	m.ClientID = types.StringValue(app.AppID)
	m.TemplateID = types.StringValue(templateID)
	m.DisplayName = types.StringValue(sp.DisplayName)
	m.AppRoleAssignmentRequired = types.BoolValue(sp.AppRoleAssignmentRequired)
	m.AppRoleIDs = types.MapNull(types.StringType)
	if ids, d := types.MapValueFrom(context.Background(), types.StringType, appRoleIDs(sp.AppRoles)); !d.HasError() {
		m.AppRoleIDs = ids
	}
}
