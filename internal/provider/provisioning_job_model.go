package provider

import (
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// provisioningJobModel is entra_provisioning_job's state, plan and config.
type provisioningJobModel struct {
	ID                          types.String   `tfsdk:"id"`
	ServicePrincipalID          types.String   `tfsdk:"service_principal_id"`
	TemplateID                  types.String   `tfsdk:"template_id"`
	TenantURL                   types.String   `tfsdk:"tenant_url"`
	SecretToken                 types.String   `tfsdk:"secret_token"`
	SecretTokenWO               types.String   `tfsdk:"secret_token_wo"`
	SecretTokenWOVersion        types.Int64    `tfsdk:"secret_token_wo_version"`
	NotificationEmail           types.String   `tfsdk:"notification_email"`
	SendFailureNotifications    types.Bool     `tfsdk:"send_failure_notifications"`
	AccidentalDeletionThreshold types.Int64    `tfsdk:"accidental_deletion_threshold"`
	Scope                       types.String   `tfsdk:"scope"`
	SkipOutOfScopeDeletions     types.Bool     `tfsdk:"skip_out_of_scope_deletions"`
	ValidateCredentials         types.Bool     `tfsdk:"validate_credentials"`
	Enabled                     types.Bool     `tfsdk:"enabled"`
	RestartTriggers             types.Map      `tfsdk:"restart_triggers"`
	ObjectMappings              types.Map      `tfsdk:"object_mappings"`
	TargetAttributes            types.Dynamic  `tfsdk:"target_attributes"`
	JobID                       types.String   `tfsdk:"job_id"`
	ScheduleInterval            types.String   `tfsdk:"schedule_interval"`
	Status                      types.String   `tfsdk:"status"`
	Timeouts                    timeouts.Value `tfsdk:"timeouts"`
}

// Scope values: which users and groups the job provisions (secret SyncAll).
const (
	scopeAssigned = "assigned"
	scopeAll      = "all"
)

// credentials returns the settings to PUT as secrets; token is the bearer
// token resolved from secret_token or secret_token_wo ("" when unknown).
func (m *provisioningJobModel) credentials(token string) credentialSettings {
	s := credentialSettings{
		TenantURL:               m.TenantURL.ValueString(),
		Token:                   token,
		NotificationEmail:       m.NotificationEmail.ValueString(),
		SyncAll:                 m.Scope.ValueString() == scopeAll,
		SkipOutOfScopeDeletions: m.SkipOutOfScopeDeletions.ValueBool(),
	}
	s.SendFailureNotifications = s.NotificationEmail != "" && m.SendFailureNotifications.ValueBool()
	if !m.AccidentalDeletionThreshold.IsNull() && !m.AccidentalDeletionThreshold.IsUnknown() {
		s.DeleteThreshold = m.AccidentalDeletionThreshold.ValueInt64()
	}
	return s
}

// credentialsDiffer reports whether applying plan over state needs a
// secrets PUT (anything in the credential set changed, or a new token).
func credentialsDiffer(plan, state *provisioningJobModel) bool {
	return !plan.TenantURL.Equal(state.TenantURL) ||
		!plan.SecretToken.Equal(state.SecretToken) ||
		!plan.SecretTokenWOVersion.Equal(state.SecretTokenWOVersion) ||
		!plan.NotificationEmail.Equal(state.NotificationEmail) ||
		!plan.SendFailureNotifications.Equal(state.SendFailureNotifications) ||
		!plan.AccidentalDeletionThreshold.Equal(state.AccidentalDeletionThreshold) ||
		!plan.Scope.Equal(state.Scope) ||
		!plan.SkipOutOfScopeDeletions.Equal(state.SkipOutOfScopeDeletions)
}

// connectionChanged reports whether Test Connection must run again: the
// target or the token changed.
func connectionChanged(plan, state *provisioningJobModel) bool {
	return !plan.TenantURL.Equal(state.TenantURL) ||
		!plan.SecretToken.Equal(state.SecretToken) ||
		!plan.SecretTokenWOVersion.Equal(state.SecretTokenWOVersion)
}

// applyObservedCredentials copies what a secrets GET says into m, keeping
// what Graph cannot tell (masked token, write-only attributes).
func (m *provisioningJobModel) applyObservedCredentials(o observedCredentials) {
	if o.HasTenantURL || !m.TenantURL.IsNull() {
		m.TenantURL = types.StringValue(o.TenantURL)
	}
	// The token is only ever in state when the user chose secret_token. A
	// token removed in the portal shows as drift; a masked one cannot be
	// compared, so the state value is kept.
	if !m.SecretToken.IsNull() {
		switch {
		case !o.TokenSet:
			m.SecretToken = types.StringValue("")
		case o.TokenClear != "":
			m.SecretToken = types.StringValue(o.TokenClear)
		}
	}
	if o.NotificationEmail != "" {
		m.NotificationEmail = types.StringValue(o.NotificationEmail)
	} else {
		m.NotificationEmail = types.StringNull()
	}
	m.SendFailureNotifications = types.BoolValue(o.SendFailureNotifications)
	if o.DeleteThreshold > 0 {
		m.AccidentalDeletionThreshold = types.Int64Value(o.DeleteThreshold)
	} else {
		m.AccidentalDeletionThreshold = types.Int64Null()
	}
	if o.SyncAll {
		m.Scope = types.StringValue(scopeAll)
	} else {
		m.Scope = types.StringValue(scopeAssigned)
	}
	m.SkipOutOfScopeDeletions = types.BoolValue(o.SkipOutOfScopeDeletions)
}

// applyObservedJob copies a job GET into m.
func (m *provisioningJobModel) applyObservedJob(j *entra.Job) {
	m.JobID = types.StringValue(j.ID)
	m.ID = types.StringValue(m.ServicePrincipalID.ValueString() + "/" + j.ID)
	if j.TemplateID != "" {
		m.TemplateID = types.StringValue(j.TemplateID)
	}
	m.ScheduleInterval = types.StringValue(j.Schedule.Interval)
	m.Status = types.StringValue(j.Status.Code)
	m.Enabled = types.BoolValue(j.Running())
}

// resolveDefaults settles computed defaults that were still unknown at plan
// time (the notification email came from another resource).
func (m *provisioningJobModel) resolveDefaults() {
	if m.SendFailureNotifications.IsUnknown() {
		m.SendFailureNotifications = types.BoolValue(!m.NotificationEmail.IsNull() && m.NotificationEmail.ValueString() != "")
	}
}
