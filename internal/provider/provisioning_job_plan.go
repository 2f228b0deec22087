package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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
	if plan.ServicePrincipalID.IsUnknown() || !isFullyKnown(ctx, plan.ObjectMappings) || !isFullyKnown(ctx, plan.TargetAttributes) {
		return // the service principal is created in this apply; offline checks ran in ValidateConfig
	}
	jobID := ""
	if state != nil && !plan.JobID.IsUnknown() {
		jobID = state.JobID.ValueString()
	}
	templateID := ""
	if !plan.TemplateID.IsUnknown() {
		templateID = plan.TemplateID.ValueString()
	}
	// A job still to be created is checked against its template, whose
	// schema never changes: apply's repeat of this plan skips a check that
	// already passed (see provisioning_job_plan_memo.go).
	memoDir, memoKey := "", ""
	if jobID == "" {
		memoDir = planMemoDir()
		memoKey = planMemoKey(r.data.Client.BaseURL(), plan.ServicePrincipalID.ValueString(), templateID,
			plan.ObjectMappings.String(), plan.TargetAttributes.String())
		if planValidatedRecently(memoDir, memoKey) {
			tflog.Debug(ctx, "mappings of the job to create already passed the online check with these inputs; not repeating it")
			return
		}
	}
	diags := validateOverlayOnline(ctx, r.data.Client, plan.ServicePrincipalID.ValueString(), jobID, templateID, plan.ObjectMappings, plan.TargetAttributes)
	resp.Diagnostics.Append(diags...)
	// Only a check with nothing to report is skipped later, so a repeated
	// plan never hides a warning or error the first one showed.
	if memoKey != "" && len(diags) == 0 {
		rememberPlanValidated(memoDir, memoKey)
	}
}
