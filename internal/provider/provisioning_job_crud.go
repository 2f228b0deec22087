package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Create runs the portal's steps in its order: job → Test Connection →
// credentials → schema → start. Any failure after the job exists deletes it
// again (and blanks the credentials it set), so nothing is orphaned.
func (r *provisioningJobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan provisioningJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultJobTimeout, &resp.Diagnostics)
	defer cancel()
	plan.resolveDefaults()
	token := provisioningToken(ctx, req.Config, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	spID := plan.ServicePrincipalID.ValueString()

	templateID, ok := r.chooseSyncTemplate(ctx, spID, plan.TemplateID, &resp.Diagnostics)
	if !ok {
		return
	}
	job, err := r.createJob(ctx, spID, templateID)
	if err != nil {
		addGraphError(&resp.Diagnostics, fmt.Sprintf("create a synchronization job from template %q", templateID), err)
		return
	}
	tflog.Info(ctx, "created synchronization job", map[string]any{"service_principal_id": spID, "job_id": job.ID})

	undo := &createUndo{spID: spID, jobID: job.ID}
	defer func() {
		if !undo.done {
			r.rollbackCreate(ctx, undo, &resp.Diagnostics)
		}
	}()
	if !r.configureNewJob(ctx, &plan, job.ID, token, undo, &resp.Diagnostics) {
		return
	}
	live, err := r.waitJobReadable(ctx, spID, job.ID)
	if err != nil {
		addGraphError(&resp.Diagnostics, "confirm the new synchronization job is readable", err)
		return
	}
	enabled := plan.Enabled
	plan.applyObservedJob(live)
	plan.Enabled = enabled // as planned; Read reports a job paused since
	undo.done = true
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createUndo records what a create changed so far, for rollbackCreate.
type createUndo struct {
	spID, jobID    string
	secretsWritten bool // a failed PUT may still have landed: roll it back too
	done           bool
}

// chooseSyncTemplate returns the configured template_id, or the service
// principal's default synchronization template.
func (r *provisioningJobResource) chooseSyncTemplate(ctx context.Context, spID string, configured types.String, diags *diag.Diagnostics) (string, bool) {
	if !configured.IsNull() && !configured.IsUnknown() {
		return configured.ValueString(), true
	}
	var templates []entra.SyncTemplate
	err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) (err error) {
		templates, err = r.data.syncTemplates(ctx, spID)
		return err
	})
	if err != nil {
		addGraphError(diags, "list the service principal's synchronization templates", err)
		return "", false
	}
	t, err := entra.DefaultSyncTemplate(templates)
	if err != nil {
		diags.AddAttributeError(path.Root("template_id"), "No default synchronization template", err.Error())
		return "", false
	}
	return t.ID, true
}

// createJob creates the job; the service principal may be minutes old.
func (r *provisioningJobResource) createJob(ctx context.Context, spID, templateID string) (job *entra.Job, err error) {
	err = retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) (err error) {
		job, err = r.data.API.CreateJob(ctx, spID, templateID)
		return err
	})
	return job, err
}

// configureNewJob is the portal's sequence after the job exists: Test
// Connection, save the credentials, apply the mappings, start.
func (r *provisioningJobResource) configureNewJob(ctx context.Context, plan *provisioningJobModel, jobID, token string, undo *createUndo, diags *diag.Diagnostics) bool {
	api, spID := r.data.API, plan.ServicePrincipalID.ValueString()
	if plan.ValidateCredentials.ValueBool() {
		err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error {
			return api.ValidateCredentials(ctx, spID, jobID, plan.TenantURL.ValueString(), token)
		})
		if err != nil {
			addTestConnectionError(diags, err)
			return false
		}
	}
	if !r.saveCredentials(ctx, spID, plan.credentials(token), undo, diags) {
		return false
	}
	if declaresSchemaOverlay(plan.ObjectMappings, plan.TargetAttributes) {
		diags.Append(r.data.applySchemaOverlay(ctx, spID, jobID, plan.ObjectMappings, plan.TargetAttributes)...)
		if diags.HasError() {
			return false
		}
	}
	if plan.Enabled.ValueBool() {
		err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error { return api.StartJob(ctx, spID, jobID) })
		if err != nil {
			addGraphError(diags, "start provisioning", err)
			return false
		}
	}
	return true
}

// saveCredentials merges the resource's credentials into the service
// principal's secrets (Graph replaces the whole set). undo, when not nil,
// records that the secrets are about to change, for a rollback.
func (r *provisioningJobResource) saveCredentials(ctx context.Context, spID string, creds credentialSettings, undo *createUndo, diags *diag.Diagnostics) bool {
	err := r.data.updateSecrets(ctx, spID, true, func(existing []entra.SecretPair) []entra.SecretPair {
		pairs, dropped := buildSecrets(existing, creds)
		warnDroppedSecrets(diags, dropped)
		if undo != nil {
			undo.secretsWritten = true
		}
		return pairs
	})
	if err != nil {
		action := "read the service principal's provisioning secrets"
		if step, ok := err.(*secretsStepError); ok && step.write {
			action = "save the tenant URL, token and settings (PUT synchronization secrets)"
		}
		addGraphError(diags, action, err)
		return false
	}
	return true
}

// waitJobReadable confirms a new job is readable before Terraform records
// it: only reads of a new job lag (its writes already went through), and a
// refresh or on-demand run right after this apply must not meet a replica
// that takes it for deleted. On a fast Graph this is one GET, whose answer
// also carries the status after start.
func (r *provisioningJobResource) waitJobReadable(ctx context.Context, spID, jobID string) (*entra.Job, error) {
	var live *entra.Job
	err := waitVisible(ctx, "synchronization job "+jobID, func() error {
		j, err := r.data.API.FindJob(ctx, spID, jobID)
		if err == nil {
			live = j
		}
		return err
	})
	return live, err
}

// rollbackCreate undoes a failed create: blank the credentials it wrote
// (keeping every key it does not manage) and delete the job. It runs even
// when the apply was interrupted.
func (r *provisioningJobResource) rollbackCreate(ctx context.Context, undo *createUndo, diags *diag.Diagnostics) {
	ctx = context.WithoutCancel(ctx)
	api := r.data.API
	if undo.secretsWritten {
		err := r.data.updateSecrets(ctx, undo.spID, true, func(current []entra.SecretPair) []entra.SecretPair {
			restore, _ := blankSecrets(current)
			return restore
		})
		if err != nil {
			diags.AddWarning("Could not blank the credentials of the failed job",
				"The create failed, and removing the tenant URL and token it saved failed too: "+graphErrorDetail(err)+
					"\nRemove them in the portal (Provisioning → Admin Credentials) or run apply again.")
		}
	}
	err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error { return api.DeleteJob(ctx, undo.spID, undo.jobID) })
	if err != nil && !graph.IsNotFound(err) {
		diags.AddWarning("Could not delete the half-created job",
			fmt.Sprintf("The create failed, and deleting job %s again failed too: %s\nDelete it in the portal (Enterprise applications → Provisioning) and run apply again.",
				undo.jobID, graphErrorDetail(err)))
		return
	}
	tflog.Info(ctx, "deleted the synchronization job of a failed create", map[string]any{"job_id": undo.jobID})
}

func (r *provisioningJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state provisioningJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	api := r.data.API
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()

	job, err := api.FindJob(ctx, spID, jobID)
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "synchronization job not found; removing it from state", map[string]any{"job_id": jobID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the synchronization job", err)
		return
	}
	secrets, err := api.FindSecrets(ctx, spID)
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the provisioning secrets", err)
		return
	}
	state.applyObservedJob(job)
	state.applyObservedCredentials(parseSecrets(secrets))
	if state.ValidateCredentials.IsNull() {
		state.ValidateCredentials = types.BoolValue(true) // imported: the schema default
	}

	imported, diags := req.Private.GetKey(ctx, privateKeyImported)
	resp.Diagnostics.Append(diags...)
	switch {
	case string(imported) == "true":
		state.ObjectMappings, state.TargetAttributes = r.data.importSchemaOverlay(ctx, spID, jobID, job.TemplateID, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, nil)...)
	case declaresSchemaOverlay(state.ObjectMappings, state.TargetAttributes):
		state.ObjectMappings, state.TargetAttributes = r.data.refreshSchemaOverlay(ctx, spID, jobID, state.ObjectMappings, state.TargetAttributes, &resp.Diagnostics)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update applies only what changed, in create order: credentials (after Test
// Connection when the target or token changed) → schema → restart →
// start/pause.
func (r *provisioningJobResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state provisioningJobModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultJobTimeout, &resp.Diagnostics)
	defer cancel()
	plan.resolveDefaults()
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()

	if credentialsDiffer(&plan, &state) && !r.updateCredentials(ctx, req.Config, &plan, &state, &resp.Diagnostics) {
		return
	}
	if declaresSchemaOverlay(plan.ObjectMappings, plan.TargetAttributes) &&
		(!plan.ObjectMappings.Equal(state.ObjectMappings) || !plan.TargetAttributes.Equal(state.TargetAttributes)) {
		resp.Diagnostics.Append(r.data.applySchemaOverlay(ctx, spID, jobID, plan.ObjectMappings, plan.TargetAttributes)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	if !r.updateRunState(ctx, spID, jobID, &plan, &state, &resp.Diagnostics) {
		return
	}
	job, err := r.data.API.FindJob(ctx, spID, jobID)
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the synchronization job after the update", err)
		return
	}
	enabled := plan.Enabled
	plan.applyObservedJob(job)
	plan.Enabled = enabled
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// updateCredentials re-sends the credentials, after Test Connection when the
// target or the token changed.
func (r *provisioningJobResource) updateCredentials(ctx context.Context, config tfsdk.Config, plan, state *provisioningJobModel, diags *diag.Diagnostics) bool {
	token := provisioningToken(ctx, config, plan, diags)
	if diags.HasError() {
		return false
	}
	if token == "" {
		diags.AddAttributeError(path.Root("secret_token_wo"), "Secret token needed",
			"Changing the tenant URL or provisioning settings re-sends all provisioning secrets, and the saved token cannot be read back. Set secret_token_wo (with secret_token_wo_version) or secret_token.")
		return false
	}
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()
	if plan.ValidateCredentials.ValueBool() && connectionChanged(plan, state) {
		if err := r.data.API.ValidateCredentials(ctx, spID, jobID, plan.TenantURL.ValueString(), token); err != nil {
			addTestConnectionError(diags, err)
			return false
		}
	}
	return r.saveCredentials(ctx, spID, plan.credentials(token), nil, diags)
}

// updateRunState restarts when restart_triggers changed and then starts or
// pauses as planned. Restart may resume a paused job, so it pauses again
// when the job must stay off.
func (r *provisioningJobResource) updateRunState(ctx context.Context, spID, jobID string, plan, state *provisioningJobModel, diags *diag.Diagnostics) bool {
	api := r.data.API
	restarted := false
	if !plan.RestartTriggers.Equal(state.RestartTriggers) && !plan.RestartTriggers.IsNull() {
		err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error { return api.RestartJob(ctx, spID, jobID) })
		if err != nil {
			addGraphError(diags, "restart provisioning", err)
			return false
		}
		restarted = true
	}
	if plan.Enabled.Equal(state.Enabled) && !(restarted && !plan.Enabled.ValueBool()) {
		return true
	}
	action, call := "start provisioning", api.StartJob
	if !plan.Enabled.ValueBool() {
		action, call = "pause provisioning", api.PauseJob
	}
	if err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error { return call(ctx, spID, jobID) }); err != nil {
		addGraphError(diags, action, err)
		return false
	}
	return true
}

// Delete blanks the credentials this resource set (keeping other keys), so
// no token remains in the tenant, then deletes the job. A 404 means gone:
// nothing here waits for replication.
func (r *provisioningJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state provisioningJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultJobTimeout, &resp.Diagnostics)
	defer cancel()
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()
	if !r.blankCredentials(ctx, spID, &resp.Diagnostics) {
		return
	}
	err := r.data.API.DeleteJob(ctx, spID, jobID)
	if err != nil && !graph.IsNotFound(err) {
		addGraphError(&resp.Diagnostics, "delete the synchronization job", err)
	}
}

// blankCredentials empties the managed secret keys, keeping the others. A
// service principal that is gone took its secrets along.
func (r *provisioningJobResource) blankCredentials(ctx context.Context, spID string, diags *diag.Diagnostics) bool {
	err := r.data.updateSecrets(ctx, spID, false, func(existing []entra.SecretPair) []entra.SecretPair {
		pairs, dropped := blankSecrets(existing)
		if len(dropped) > 0 {
			diags.AddWarning("Masked provisioning secrets removed",
				"Blanking this job's credentials rewrites all of the service principal's secrets; these masked keys, not managed by this resource, could not be kept: "+strings.Join(dropped, ", "))
		}
		return pairs
	})
	if err == nil || graph.IsNotFound(err) {
		return true
	}
	action := "read the provisioning secrets before blanking them"
	if step, ok := err.(*secretsStepError); ok && step.write {
		action = "blank the provisioning credentials (PUT synchronization secrets)"
	}
	addGraphError(diags, action, err)
	return false
}

// provisioningToken returns the bearer token to send: secret_token from the
// plan, or the write-only secret_token_wo, which only the configuration
// carries (Terraform passes write-only values on every apply, never in
// plan or state).
func provisioningToken(ctx context.Context, config tfsdk.Config, plan *provisioningJobModel, diags *diag.Diagnostics) string {
	if !plan.SecretToken.IsNull() && !plan.SecretToken.IsUnknown() {
		return plan.SecretToken.ValueString()
	}
	var wo types.String
	diags.Append(config.GetAttribute(ctx, path.Root("secret_token_wo"), &wo)...)
	if wo.IsNull() || wo.IsUnknown() {
		return ""
	}
	return wo.ValueString()
}

// addTestConnectionError reports a failed validateCredentials with the
// target's own message, which is what the portal shows.
func addTestConnectionError(diags *diag.Diagnostics, err error) {
	msg := graph.ErrorMessage(err)
	if msg == "" {
		msg = err.Error()
	}
	diags.AddAttributeError(path.Root("tenant_url"), "Test Connection failed",
		fmt.Sprintf("Entra ID could not authorize against the tenant URL with the secret token, so nothing was saved.\n\n%s\n\n"+
			"Check tenant_url and the token (bump secret_token_wo_version after changing secret_token_wo), or set validate_credentials = false to save without testing.\n\n%s",
			msg, graphErrorDetail(err)))
}

func warnDroppedSecrets(diags *diag.Diagnostics, dropped []string) {
	if len(dropped) == 0 {
		return
	}
	diags.AddWarning("Masked provisioning secrets could not be kept",
		"Graph replaces all provisioning secrets at once and returns secret values masked, so these keys, which this resource does not manage, were removed: "+
			strings.Join(dropped, ", ")+". Set them again in the portal if the application needs them.")
}
