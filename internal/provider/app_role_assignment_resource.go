package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

var (
	_ resource.Resource                     = (*appRoleAssignmentResource)(nil)
	_ resource.ResourceWithConfigure        = (*appRoleAssignmentResource)(nil)
	_ resource.ResourceWithImportState      = (*appRoleAssignmentResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*appRoleAssignmentResource)(nil)
	_ resource.ResourceWithConfigValidators = (*appRoleAssignmentResource)(nil)
)

// NewAppRoleAssignmentResource is the entra_app_role_assignment resource.
func NewAppRoleAssignmentResource() resource.Resource {
	return &appRoleAssignmentResource{}
}

type appRoleAssignmentResource struct {
	data *ProviderData
}

type appRoleAssignmentModel struct {
	ID                   types.String `tfsdk:"id"`
	ServicePrincipalID   types.String `tfsdk:"service_principal_id"`
	PrincipalID          types.String `tfsdk:"principal_id"`
	AppRole              types.String `tfsdk:"app_role"`
	AppRoleID            types.String `tfsdk:"app_role_id"`
	PrincipalType        types.String `tfsdk:"principal_type"`
	PrincipalDisplayName types.String `tfsdk:"principal_display_name"`
}

// defaultAccessRoleID is the "default access" role of applications that
// declare no app roles.
const defaultAccessRoleID = "00000000-0000-0000-0000-000000000000"

func (r *appRoleAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app_role_assignment"
}

func (r *appRoleAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns a user or group to an enterprise application in an app role (portal: *Users and groups → Add user/group*). " +
			"With the *assigned* provisioning scope, only assigned users and groups are provisioned. Every change creates a new assignment.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Id of the app role assignment.",
				PlanModifiers:       keep,
			},
			"service_principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object id of the enterprise application's service principal (the resource being assigned).",
				Validators:          []validator.String{uuidValidator()},
				PlanModifiers:       replace,
			},
			"principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object id of the user, group or service principal being assigned.",
				Validators:          []validator.String{uuidValidator()},
				PlanModifiers:       replace,
			},
			"app_role": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "App role by display name or value (case-insensitive), for example `User`. " +
					"Exactly one of `app_role` and `app_role_id` must be set. An unknown role is an error that lists the application's roles.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"app_role_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "App role id. Use `00000000-0000-0000-0000-000000000000` (default access) for applications without roles. " +
					"Computed from `app_role` when that is set instead.",
				Validators: []validator.String{uuidValidator()},
			},
			"principal_type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Type of the assigned principal: `User`, `Group` or `ServicePrincipal`.",
				PlanModifiers:       keep,
			},
			"principal_display_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Display name of the assigned principal when the assignment was read.",
				PlanModifiers:       keep,
			},
		},
	}
}

func (r *appRoleAssignmentResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("app_role"), path.MatchRoot("app_role_id")),
	}
}

func (r *appRoleAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan resolves app_role to an id when the application is known at
// plan time, so an unknown role fails the plan (listing the roles), and the
// assignment is replaced only when the resolved role actually changes (a
// config naming the same role differently, or an import, is no change).
func (r *appRoleAssignmentResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, state appRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	hasState := !req.State.Raw.IsNull()
	if hasState {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	resolved := plan.AppRoleID // set directly, or unknown
	unchanged := hasState && !state.AppRoleID.IsNull() && plan.AppRole.Equal(state.AppRole) && plan.ServicePrincipalID.Equal(state.ServicePrincipalID)
	switch {
	case !plan.AppRole.IsNull() && unchanged:
		// Already resolved when created: no Graph request on every plan.
		resolved = state.AppRoleID
	case !plan.AppRole.IsNull():
		resolved = types.StringUnknown()
		if r.data != nil && !plan.AppRole.IsUnknown() && !plan.ServicePrincipalID.IsUnknown() {
			sp, err := r.data.API.FindServicePrincipal(ctx, plan.ServicePrincipalID.ValueString())
			switch {
			case err == nil:
				role, ok := resolveAppRole(sp.AppRoles, plan.AppRole.ValueString())
				if !ok {
					resp.Diagnostics.AddAttributeError(path.Root("app_role"), "Unknown app role",
						fmt.Sprintf("Enterprise application %q (%s) has no app role named %q. Its roles: %s. Set app_role to one of these display names or values, or use app_role_id.",
							sp.DisplayName, sp.ID, plan.AppRole.ValueString(), describeAppRoles(sp.AppRoles)))
					return
				}
				resolved = types.StringValue(role.ID)
			case graph.IsNotFound(err):
				// Deleted or not yet replicated: apply resolves it (or fails clearly).
			default:
				tflog.Warn(ctx, "could not read the application's roles at plan time; app_role is resolved during apply", map[string]any{"error": err.Error()})
			}
		}
	}
	if hasState && !resolved.IsUnknown() && !state.AppRoleID.IsNull() {
		if !strings.EqualFold(resolved.ValueString(), state.AppRoleID.ValueString()) {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("app_role_id"))
		} else {
			resolved = state.AppRoleID
		}
	}
	if hasState && resolved.IsUnknown() {
		if plan.AppRole.Equal(state.AppRole) {
			resolved = state.AppRoleID // unchanged and unresolvable now: keep
		} else {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("app_role"))
		}
	}
	if hasState && !plan.AppRoleID.IsUnknown() && !plan.AppRoleID.IsNull() && !strings.EqualFold(plan.AppRoleID.ValueString(), state.AppRoleID.ValueString()) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("app_role_id"))
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("app_role_id"), resolved)...)
}

func (r *appRoleAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan appRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID := plan.ServicePrincipalID.ValueString()
	roleID, ok := r.resolveRoleAtApply(ctx, spID, plan.AppRoleID.ValueString(), plan.AppRole.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	created, err := r.createAssignment(ctx, spID, plan.PrincipalID.ValueString(), roleID)
	if err != nil {
		addAssignmentError(&resp.Diagnostics, err)
		return
	}
	plan.ID = types.StringValue(created.ID)
	plan.AppRoleID = types.StringValue(roleID)
	plan.PrincipalType = types.StringValue(created.PrincipalType)
	plan.PrincipalDisplayName = types.StringValue(created.PrincipalDisplayName)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)

	if err := waitVisible(ctx, "app role assignment "+created.ID, func() error {
		_, err := r.data.API.FindAppRoleAssignment(ctx, spID, created.ID)
		return err
	}); err != nil {
		addGraphError(&resp.Diagnostics, "confirm the new app role assignment", err)
	}
}

// resolveRoleAtApply returns the planned role id, or, when the application
// was not known at plan time, resolves app_role now, waiting for a
// just-created service principal to replicate.
func (r *appRoleAssignmentResource) resolveRoleAtApply(ctx context.Context, spID, roleID, roleName string, diags *diag.Diagnostics) (string, bool) {
	if roleID != "" {
		return roleID, true
	}
	var sp *entra.ServicePrincipal
	err := retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) (err error) {
		sp, err = r.data.API.FindServicePrincipal(ctx, spID)
		return err
	})
	if err != nil {
		addGraphError(diags, "read the app roles of service principal "+spID, err)
		return "", false
	}
	role, ok := resolveAppRole(sp.AppRoles, roleName)
	if !ok {
		diags.AddAttributeError(path.Root("app_role"), "Unknown app role",
			fmt.Sprintf("Enterprise application %q (%s) has no app role named %q. Its roles: %s. Set app_role to one of these display names or values, or use app_role_id.",
				sp.DisplayName, sp.ID, roleName, describeAppRoles(sp.AppRoles)))
		return "", false
	}
	return role.ID, true
}

// createAssignment assigns the role, retrying while the principal or the
// resource replicates.
func (r *appRoleAssignmentResource) createAssignment(ctx context.Context, spID, principalID, roleID string) (created *entra.AppRoleAssignment, err error) {
	err = retryWhileReplicating(ctx, graph.AssignmentWrite, func(ctx context.Context) (err error) {
		created, err = r.data.API.CreateAppRoleAssignment(ctx, spID, principalID, roleID)
		return err
	})
	return created, err
}

// addAssignmentError explains a failed assignment; a 400 that outlived the
// replication retries is a bad principal or role.
func addAssignmentError(diags *diag.Diagnostics, err error) {
	if graph.IsBadRequest(err) {
		diags.AddError("Failed to assign the app role", graphErrorDetail(err)+
			"\n\nCheck that principal_id is an existing user, group or service principal and that the role allows its type.")
		return
	}
	addGraphError(diags, "assign the app role", err)
}

func (r *appRoleAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state appRoleAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	a, err := r.data.API.FindAppRoleAssignment(ctx, state.ServicePrincipalID.ValueString(), state.ID.ValueString())
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "app role assignment no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addGraphError(&resp.Diagnostics, "read app role assignment "+state.ID.ValueString(), err)
		return
	}
	state.PrincipalID = types.StringValue(a.PrincipalID)
	state.AppRoleID = types.StringValue(a.AppRoleID)
	state.PrincipalType = types.StringValue(a.PrincipalType)
	state.PrincipalDisplayName = types.StringValue(a.PrincipalDisplayName)
	if a.ResourceID != "" {
		state.ServicePrincipalID = types.StringValue(a.ResourceID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only records a new spelling of the same role (see ModifyPlan);
// every real change replaces the assignment.
func (r *appRoleAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state appRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID, plan.AppRoleID = state.ID, state.AppRoleID
	plan.PrincipalType, plan.PrincipalDisplayName = state.PrincipalType, state.PrincipalDisplayName
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *appRoleAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state appRoleAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.data.API.DeleteAppRoleAssignment(ctx, state.ServicePrincipalID.ValueString(), state.ID.ValueString()); err != nil && !graph.IsNotFound(err) {
		addGraphError(&resp.Diagnostics, "delete app role assignment "+state.ID.ValueString(), err)
	}
}

func (r *appRoleAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	spID, assignmentID, ok := strings.Cut(strings.TrimSpace(req.ID), "/")
	if !ok || !uuidPattern.MatchString(spID) || assignmentID == "" || strings.Contains(assignmentID, "/") {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("%q is not of the form <service_principal_id>/<assignment_id>, for example 11111111-2222-3333-4444-555555555555/-WmtM5na7Uus0D8kI1yylpU9Mdo0Pb9OoBJvd3T5eKc.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("service_principal_id"), spID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), assignmentID)...)
}
