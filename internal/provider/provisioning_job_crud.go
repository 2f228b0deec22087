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
	plan.resolveDefaults()
	token := provisioningToken(ctx, req.Config, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.Client
	spID := plan.ServicePrincipalID.ValueString()

	templateID := plan.TemplateID.ValueString()
	if plan.TemplateID.IsNull() || plan.TemplateID.IsUnknown() {
		var templates []syncTemplate
		err := retrySyncConsistency(ctx, func() (err error) {
			templates, err = findSyncTemplatesCached(ctx, c, spID)
			return err
		})
		if err != nil {
			addGraphError(&resp.Diagnostics, "list the service principal's synchronization templates", err, permSynchronizationRead)
			return
		}
		t, err := defaultSyncTemplate(templates)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("template_id"), "No default synchronization template", err.Error())
			return
		}
		templateID = t.ID
	}

	var job *syncJob
	err := retrySyncConsistency(ctx, func() (err error) {
		job, err = createSyncJob(ctx, c, spID, templateID)
		return err
	})
	if err != nil {
		addGraphError(&resp.Diagnostics, fmt.Sprintf("create a synchronization job from template %q", templateID), err, permSynchronizationWrite)
		return
	}
	tflog.Info(ctx, "created synchronization job", map[string]any{"service_principal_id": spID, "job_id": job.ID})

	var originalSecrets []secretPair
	secretsWritten := false
	completed := false
	defer func() {
		if !completed {
			r.rollbackCreate(ctx, spID, job.ID, originalSecrets, secretsWritten, &resp.Diagnostics)
		}
	}()

	if plan.ValidateCredentials.ValueBool() {
		err := retrySyncConsistency(ctx, func() error {
			return validateJobCredentials(ctx, c, spID, job.ID, plan.TenantURL.ValueString(), token)
		})
		if err != nil {
			addTestConnectionError(&resp.Diagnostics, err)
			return
		}
	}

	err = retrySyncConsistency(ctx, func() (err error) {
		originalSecrets, err = findSyncSecrets(ctx, c, spID)
		return err
	})
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the service principal's provisioning secrets", err, permSynchronizationRead)
		return
	}
	pairs, dropped := buildSecrets(originalSecrets, plan.credentials(token))
	warnDroppedSecrets(&resp.Diagnostics, dropped)
	secretsWritten = true // a failed PUT may still have landed: roll it back too
	if err := retrySyncConsistency(ctx, func() error { return putSyncSecrets(ctx, c, spID, pairs) }); err != nil {
		addGraphError(&resp.Diagnostics, "save the tenant URL, token and settings (PUT synchronization secrets)", err, permSynchronizationWrite)
		return
	}

	if declaresSchemaOverlay(plan.ObjectMappings, plan.TargetAttributes) {
		resp.Diagnostics.Append(applySchemaOverlay(ctx, c, spID, job.ID, plan.ObjectMappings, plan.TargetAttributes)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	if plan.Enabled.ValueBool() {
		if err := retrySyncConsistency(ctx, func() error { return startSyncJob(ctx, c, spID, job.ID) }); err != nil {
			addGraphError(&resp.Diagnostics, "start provisioning", err, permSynchronizationWrite)
			return
		}
	}

	// Only reads of a new job lag (its writes above already went through), so
	// confirm the job is readable before Terraform records it: a refresh or
	// an on-demand run right after this apply must not meet a replica that
	// takes it for deleted. On a fast Graph this is one GET, whose answer
	// also carries the status after start.
	live := job
	err = waitVisible(ctx, "synchronization job "+job.ID, func() error {
		j, err := findSyncJob(ctx, c, spID, job.ID)
		if err == nil {
			live = j
		}
		return err
	})
	if err != nil {
		addGraphError(&resp.Diagnostics, "confirm the new synchronization job is readable", err, permSynchronizationRead)
		return
	}
	enabled := plan.Enabled
	plan.applyObservedJob(live)
	plan.Enabled = enabled // as planned; Read reports a job paused since
	completed = true
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// rollbackCreate undoes a failed create: blank the credentials it wrote
// (keeping the keys that were there before) and delete the job. It runs even
// when the apply was interrupted.
func (r *provisioningJobResource) rollbackCreate(ctx context.Context, spID, jobID string, original []secretPair, secretsWritten bool, diags *diag.Diagnostics) {
	ctx = context.WithoutCancel(ctx)
	c := r.data.Client
	if secretsWritten {
		restore, _ := blankSecrets(original)
		if err := retrySyncConsistency(ctx, func() error { return putSyncSecrets(ctx, c, spID, restore) }); err != nil {
			diags.AddWarning("Could not blank the credentials of the failed job",
				"The create failed, and removing the tenant URL and token it saved failed too: "+graphErrorDetail(err, permSynchronizationWrite)+
					"\nRemove them in the portal (Provisioning → Admin Credentials) or run apply again.")
		}
	}
	err := retrySyncConsistency(ctx, func() error { return deleteSyncJob(ctx, c, spID, jobID) })
	if err != nil && !graph.IsNotFound(err) {
		diags.AddWarning("Could not delete the half-created job",
			fmt.Sprintf("The create failed, and deleting job %s again failed too: %s\nDelete it in the portal or with DELETE /servicePrincipals/%s/synchronization/jobs/%s.",
				jobID, graphErrorDetail(err, permSynchronizationWrite), spID, jobID))
		return
	}
	tflog.Info(ctx, "deleted the synchronization job of a failed create", map[string]any{"job_id": jobID})
}

func (r *provisioningJobResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state provisioningJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.Client
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()

	job, err := findSyncJob(ctx, c, spID, jobID)
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "synchronization job not found; removing it from state", map[string]any{"job_id": jobID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the synchronization job", err, permSynchronizationRead)
		return
	}
	secrets, err := findSyncSecrets(ctx, c, spID)
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the provisioning secrets", err, permSynchronizationRead)
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
		state.ObjectMappings, state.TargetAttributes = importSchemaOverlay(ctx, c, spID, jobID, job.TemplateID, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, nil)...)
	case declaresSchemaOverlay(state.ObjectMappings, state.TargetAttributes):
		state.ObjectMappings, state.TargetAttributes = refreshSchemaOverlay(ctx, c, spID, jobID, state.ObjectMappings, state.TargetAttributes, &resp.Diagnostics)
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
	plan.resolveDefaults()
	c := r.data.Client
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()

	if credentialsDiffer(&plan, &state) {
		token := provisioningToken(ctx, req.Config, &plan, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		if token == "" {
			resp.Diagnostics.AddAttributeError(path.Root("secret_token_wo"), "Secret token needed",
				"Changing the tenant URL or provisioning settings re-sends all provisioning secrets, and the saved token cannot be read back. Set secret_token_wo (with secret_token_wo_version) or secret_token.")
			return
		}
		if plan.ValidateCredentials.ValueBool() && connectionChanged(&plan, &state) {
			if err := validateJobCredentials(ctx, c, spID, jobID, plan.TenantURL.ValueString(), token); err != nil {
				addTestConnectionError(&resp.Diagnostics, err)
				return
			}
		}
		existing, err := findSyncSecrets(ctx, c, spID)
		if err != nil {
			addGraphError(&resp.Diagnostics, "read the provisioning secrets", err, permSynchronizationRead)
			return
		}
		pairs, dropped := buildSecrets(existing, plan.credentials(token))
		warnDroppedSecrets(&resp.Diagnostics, dropped)
		if err := retrySyncConsistency(ctx, func() error { return putSyncSecrets(ctx, c, spID, pairs) }); err != nil {
			addGraphError(&resp.Diagnostics, "save the tenant URL, token and settings (PUT synchronization secrets)", err, permSynchronizationWrite)
			return
		}
	}

	if declaresSchemaOverlay(plan.ObjectMappings, plan.TargetAttributes) &&
		(!plan.ObjectMappings.Equal(state.ObjectMappings) || !plan.TargetAttributes.Equal(state.TargetAttributes)) {
		resp.Diagnostics.Append(applySchemaOverlay(ctx, c, spID, jobID, plan.ObjectMappings, plan.TargetAttributes)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	restarted := false
	if !plan.RestartTriggers.Equal(state.RestartTriggers) && !plan.RestartTriggers.IsNull() {
		if err := retrySyncConsistency(ctx, func() error { return restartSyncJob(ctx, c, spID, jobID) }); err != nil {
			addGraphError(&resp.Diagnostics, "restart provisioning", err, permSynchronizationWrite)
			return
		}
		restarted = true
	}

	// Restart may resume a paused job, so pause again when it must stay off.
	if !plan.Enabled.Equal(state.Enabled) || (restarted && !plan.Enabled.ValueBool()) {
		action, call := "start provisioning", startSyncJob
		if !plan.Enabled.ValueBool() {
			action, call = "pause provisioning", pauseSyncJob
		}
		if err := retrySyncConsistency(ctx, func() error { return call(ctx, c, spID, jobID) }); err != nil {
			addGraphError(&resp.Diagnostics, action, err, permSynchronizationWrite)
			return
		}
	}

	job, err := findSyncJob(ctx, c, spID, jobID)
	if err != nil {
		addGraphError(&resp.Diagnostics, "read the synchronization job after the update", err, permSynchronizationRead)
		return
	}
	enabled := plan.Enabled
	plan.applyObservedJob(job)
	plan.Enabled = enabled
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete blanks the credentials this resource set (keeping other keys), so
// no token remains in the tenant, then deletes the job.
func (r *provisioningJobResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state provisioningJobModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c := r.data.Client
	spID, jobID := state.ServicePrincipalID.ValueString(), state.JobID.ValueString()

	existing, err := findSyncSecrets(ctx, c, spID)
	switch {
	case graph.IsNotFound(err):
		// The service principal is gone, and its secrets with it.
	case err != nil:
		addGraphError(&resp.Diagnostics, "read the provisioning secrets before blanking them", err, permSynchronizationRead)
		return
	default:
		pairs, dropped := blankSecrets(existing)
		if len(dropped) > 0 {
			resp.Diagnostics.AddWarning("Masked provisioning secrets removed",
				"Blanking this job's credentials rewrites all of the service principal's secrets; these masked keys, not managed by this resource, could not be kept: "+strings.Join(dropped, ", "))
		}
		err := retrySyncConsistency(ctx, func() error { return putSyncSecrets(ctx, c, spID, pairs) })
		if err != nil && !graph.IsNotFound(err) {
			addGraphError(&resp.Diagnostics, "blank the provisioning credentials (PUT synchronization secrets)", err, permSynchronizationWrite)
			return
		}
	}

	err = deleteSyncJob(ctx, c, spID, jobID)
	if err != nil && !graph.IsNotFound(err) {
		addGraphError(&resp.Diagnostics, "delete the synchronization job", err, permSynchronizationWrite)
	}
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
			msg, graphErrorDetail(err, permSynchronizationWrite)))
}

func warnDroppedSecrets(diags *diag.Diagnostics, dropped []string) {
	if len(dropped) == 0 {
		return
	}
	diags.AddWarning("Masked provisioning secrets could not be kept",
		"Graph replaces all provisioning secrets at once and returns secret values masked, so these keys, which this resource does not manage, were removed: "+
			strings.Join(dropped, ", ")+". Set them again in the portal if the application needs them.")
}
