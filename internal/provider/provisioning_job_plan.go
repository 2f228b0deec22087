package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ValidateConfig catches what single-attribute validators cannot, before
// any Graph call.
func (r *provisioningJobResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config provisioningJobModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.SendFailureNotifications.ValueBool() && config.NotificationEmail.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("send_failure_notifications"), "Notification email missing",
			"send_failure_notifications = true needs a recipient: set notification_email, or remove send_failure_notifications.")
	}
	resp.Diagnostics.Append(validateOverlayOffline(ctx, config.ObjectMappings, config.TargetAttributes)...)
}

// ModifyPlan fills in send_failure_notifications, insists on a token
// whenever secrets must be sent, and checks the mappings against the job's
// real schema.
func (r *provisioningJobResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, config provisioningJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var state *provisioningJobModel
	if !req.State.Raw.IsNull() {
		state = &provisioningJobModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	if config.SendFailureNotifications.IsNull() {
		send := types.BoolValue(!plan.NotificationEmail.IsNull())
		if plan.NotificationEmail.IsUnknown() {
			send = types.BoolUnknown()
		}
		plan.SendFailureNotifications = send
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("send_failure_notifications"), send)...)
	}

	// Graph replaces all secrets at once and never returns the token, so
	// any secrets PUT needs the token from the configuration.
	tokenConfigured := !config.SecretToken.IsNull() || !config.SecretTokenWO.IsNull()
	if !tokenConfigured && (state == nil || credentialsDiffer(&plan, state)) {
		why := "Creating the job saves the tenant URL together with the secret token."
		if state != nil {
			why = "This change re-sends all provisioning secrets (Graph has no partial update), and the saved token cannot be read back."
		}
		resp.Diagnostics.AddAttributeError(path.Root("secret_token_wo"), "Secret token required",
			why+" Set secret_token_wo with secret_token_wo_version (Terraform 1.11+, never stored) or secret_token.")
	}

	if r.data == nil || !declaresSchemaOverlay(plan.ObjectMappings, plan.TargetAttributes) {
		return
	}
	if state != nil && plan.ObjectMappings.Equal(state.ObjectMappings) && plan.TargetAttributes.Equal(state.TargetAttributes) {
		return // unchanged: already valid when it was applied
	}
	if !isFullyKnown(ctx, plan.ObjectMappings) || !isFullyKnown(ctx, plan.TargetAttributes) {
		return // checked again once the values are known
	}
	if plan.ServicePrincipalID.IsUnknown() {
		resp.Diagnostics.Append(r.data.validateOverlayForNewApplication(ctx, plan.TemplateID, plan.ObjectMappings, plan.TargetAttributes)...)
		return
	}
	jobID := ""
	if state != nil && !plan.JobID.IsUnknown() {
		jobID = state.JobID.ValueString()
	}
	templateID := ""
	if !plan.TemplateID.IsUnknown() {
		templateID = plan.TemplateID.ValueString()
	}
	// A job still to be created is checked against its template. Terraform
	// repeats this plan at apply time in a fresh provider configuration, so
	// the check runs (and reads the template's schema) once more there.
	resp.Diagnostics.Append(r.data.validateOverlayOnline(ctx, plan.ServicePrincipalID.ValueString(), jobID, templateID, plan.ObjectMappings, plan.TargetAttributes)...)
}
