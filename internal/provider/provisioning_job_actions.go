package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Actions (Terraform 1.14+) on a provisioning job: start, pause and
// restart. They are operations, not objects: `terraform apply
// -invoke=action.entra_provisioning_restart.x` runs one on demand, and a
// resource's lifecycle { action_trigger { … } } runs it after the resource
// changes. entra_provisioning_job's `restart_triggers` and `enabled` stay the
// declarative way; the docs say when to use which.

var (
	_ action.ActionWithConfigure = (*jobControlAction)(nil)
	_ action.ActionWithConfigure = (*provisioningRestartAction)(nil)
)

// jobTarget is the job an action works on.
type jobTarget struct {
	ServicePrincipalID types.String `tfsdk:"service_principal_id"`
	JobID              types.String `tfsdk:"job_id"`
}

// jobTargetAttributes are the attributes every job action has.
func jobTargetAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"service_principal_id": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "Object ID of the enterprise application's service principal, e.g. `entra_provisioning_job.example.service_principal_id`.",
			Validators:          []validator.String{uuidValidator()},
		},
		"job_id": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "ID of the provisioning job, e.g. `entra_provisioning_job.example.job_id`.",
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
	}
}

// addJobActionError reports a failed job operation, with the not-found case
// spelled out.
func addJobActionError(diags *diag.Diagnostics, what string, t jobTarget, err error) {
	if graph.IsNotFound(err) {
		diags.AddAttributeError(path.Root("job_id"), "Provisioning job not found",
			fmt.Sprintf("Service principal %s has no provisioning job %q (or it was deleted). Check job_id, for example entra_provisioning_job.<name>.job_id.",
				t.ServicePrincipalID.ValueString(), t.JobID.ValueString()))
		return
	}
	addGraphError(diags, what+" of job "+t.JobID.ValueString(), err)
}

// jobControlAction is entra_provisioning_start and entra_provisioning_pause.
type jobControlAction struct {
	data *ProviderData
	verb string // start or pause
}

func NewProvisioningStartAction() action.Action { return &jobControlAction{verb: "start"} }
func NewProvisioningPauseAction() action.Action { return &jobControlAction{verb: "pause"} }

func (a *jobControlAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_" + a.verb
}

func (a *jobControlAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	desc := "Starts a provisioning job (portal: *Start provisioning*): resumes a paused job or releases one from quarantine. " +
		"For a job Terraform manages, `entra_provisioning_job.enabled = true` is the declarative way; use this action for " +
		"one-off operations (`terraform apply -invoke=action.entra_provisioning_start.<name>`) or from an `action_trigger`. Terraform 1.14+."
	if a.verb == "pause" {
		desc = "Pauses a provisioning job (portal: *Stop provisioning*); its state is kept and `entra_provisioning_start` resumes it. " +
			"For a job Terraform manages, `entra_provisioning_job.enabled = false` is the declarative way; a paused job whose " +
			"resource says `enabled = true` shows a diff at the next plan. Terraform 1.14+."
	}
	resp.Schema = schema.Schema{MarkdownDescription: desc, Attributes: jobTargetAttributes()}
}

func (a *jobControlAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *jobControlAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var t jobTarget
	resp.Diagnostics.Append(req.Config.Get(ctx, &t)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID, jobID := t.ServicePrincipalID.ValueString(), t.JobID.ValueString()
	op := a.data.API.StartJob
	if a.verb == "pause" {
		op = a.data.API.PauseJob
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%s provisioning job %s of service principal %s", a.verb, jobID, spID)})
	if err := op(ctx, spID, jobID); err != nil {
		addJobActionError(&resp.Diagnostics, a.verb, t, err)
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%s: done", jobID)})
}

// provisioningRestartAction is entra_provisioning_restart.
type provisioningRestartAction struct {
	data *ProviderData
}

func NewProvisioningRestartAction() action.Action { return &provisioningRestartAction{} }

type provisioningRestartModel struct {
	jobTarget
	Scope types.Set `tfsdk:"scope"`
}

// restartScopes maps the restart action's scope names to Graph's.
var restartScopes = map[string]string{
	"full":                 entra.RestartScopeFull,
	"watermark":            entra.RestartScopeWatermark,
	"escrows":              entra.RestartScopeEscrows,
	"quarantine_state":     entra.RestartScopeQuarantineState,
	"connector_data_store": entra.RestartScopeConnectorDataStore,
	"force_deletes":        entra.RestartScopeForceDeletes,
}

// defaultRestartScope is the portal's "Restart provisioning".
var defaultRestartScope = []string{"watermark", "escrows", "quarantine_state"}

func (a *provisioningRestartAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_restart"
}

func (a *provisioningRestartAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	names := make([]string, 0, len(restartScopes))
	for n := range restartScopes {
		names = append(names, n)
	}
	sort.Strings(names)
	attrs := jobTargetAttributes()
	attrs["scope"] = schema.SetAttribute{
		Optional:    true,
		ElementType: types.StringType,
		MarkdownDescription: "What the restart resets: `full` (forget everything, the next cycle is an initial cycle), `watermark` " +
			"(re-evaluate every object), `escrows` (retry objects that failed), `quarantine_state` (leave quarantine), " +
			"`connector_data_store` (Microsoft advises against it) or `force_deletes` (send the deletes held back by the " +
			"accidental-deletion threshold). Default: `watermark`, `escrows`, `quarantine_state`, as the portal's *Restart provisioning*.",
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(stringvalidator.OneOf(names...)),
		},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Restarts a provisioning job (portal: *Restart provisioning*), e.g. after its attribute mappings change " +
			"or to release deletes held back by the accidental-deletion threshold. Run it with `terraform apply " +
			"-invoke=action.entra_provisioning_restart.<name>` or from an `action_trigger` of the resource whose change needs " +
			"it. `entra_provisioning_job.restart_triggers` restarts declaratively when a value changes (any Terraform " +
			"1.5+); this action is the Terraform 1.14+ way to restart on demand or with a chosen scope.",
		Attributes: attrs,
	}
}

func (a *provisioningRestartAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *provisioningRestartAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m provisioningRestartModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	scope := defaultRestartScope
	if !m.Scope.IsNull() {
		scope = nil
		resp.Diagnostics.Append(m.Scope.ElementsAs(ctx, &scope, false)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	sort.Strings(scope)
	graphScopes := make([]string, len(scope))
	for i, s := range scope {
		graphScopes[i] = restartScopes[s]
	}
	spID, jobID := m.ServicePrincipalID.ValueString(), m.JobID.ValueString()
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("restarting provisioning job %s (reset: %s)", jobID, strings.Join(scope, ", "))})
	if err := a.data.API.RestartJobWithScope(ctx, spID, jobID, graphScopes); err != nil {
		addJobActionError(&resp.Diagnostics, "restart", m.jobTarget, err)
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("%s: restarted; the next cycle runs with the reset state", jobID)})
}
