package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// Reading, applying and importing the declared part of a job's schema. The
// schema travels as raw JSON (GET/PUT …/jobs/{id}/schema) through
// syncschema, so nothing the provider does not model is lost.

// declaresSchemaOverlay reports whether the configuration manages any part
// of the schema.
func declaresSchemaOverlay(om types.Map, ta types.Dynamic) bool {
	return !om.IsNull() || (!ta.IsNull() && !ta.IsUnderlyingValueNull())
}

// overlayFromTF converts known object_mappings / target_attributes values.
func overlayFromTF(ctx context.Context, om types.Map, ta types.Dynamic) (syncschema.Overlay, diag.Diagnostics) {
	var o syncschema.Overlay
	mappings, diags := objectMappingsFromTF(ctx, om)
	o.ObjectMappings = mappings
	attrs, d := targetAttributesFromTF(ta)
	diags.Append(d...)
	o.TargetAttributes = attrs
	return o, diags
}

// syncTemplates returns the service principal's synchronization templates,
// from this configuration's cache when it holds them.
func (d *ProviderData) syncTemplates(ctx context.Context, spID string) ([]entra.SyncTemplate, error) {
	if list, ok := d.caches.syncTemplates.get(spID); ok {
		return list, nil
	}
	list, err := d.API.ListSyncTemplates(ctx, spID)
	if err != nil {
		return nil, err
	}
	d.caches.syncTemplates.put(spID, list)
	return list, nil
}

// syncTemplateSchema returns the schema of one of the service principal's
// synchronization templates.
func (d *ProviderData) syncTemplateSchema(ctx context.Context, spID, templateID string) (*syncschema.Schema, error) {
	templates, err := d.syncTemplates(ctx, spID)
	if err != nil {
		return nil, err
	}
	return d.API.SyncTemplateSchema(ctx, spID, templates, templateID)
}

// readJobSchemaForPlan reads the job's schema and keeps it for the plan
// that Terraform asks for right after this refresh.
func (d *ProviderData) readJobSchemaForPlan(ctx context.Context, spID, jobID string) (*syncschema.Schema, error) {
	raw, err := d.API.FindJobSchemaJSON(ctx, spID, jobID)
	if err != nil {
		return nil, err
	}
	d.caches.jobSchemas.put(jobKey(spID, jobID), raw)
	return syncschema.Parse(raw)
}

// jobSchemaForPlan returns the schema the refresh just read, or reads it.
func (d *ProviderData) jobSchemaForPlan(ctx context.Context, spID, jobID string) (*syncschema.Schema, error) {
	if raw, ok := d.caches.jobSchemas.get(jobKey(spID, jobID)); ok {
		return syncschema.Parse(raw)
	}
	return d.API.FindJobSchema(ctx, spID, jobID)
}

// applySchemaOverlay reads the job's schema, applies the declared overlay
// and PUTs the result, unless it means the same as what is there. Tenant
// extension and custom security attributes the overlay maps get their
// definitions in the source directory first, as Graph's directory-extension
// guide does.
func (d *ProviderData) applySchemaOverlay(ctx context.Context, spID, jobID string, om types.Map, ta types.Dynamic) diag.Diagnostics {
	overlay, diags := overlayFromTF(ctx, om, ta)
	if diags.HasError() {
		return diags
	}
	var current *syncschema.Schema
	err := retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) (err error) {
		current, err = d.API.FindJobSchema(ctx, spID, jobID)
		return err
	})
	if err != nil {
		addGraphError(&diags, "read the job's synchronization schema", err)
		return diags
	}
	withTenant := syncschema.WithTenantSourceAttributes(current, overlay, d.tenantAttributes.tenantAttributes(ctx, d.API, overlay))
	if problems := syncschema.Validate(withTenant, overlay, nil, nil); len(problems) > 0 {
		addSchemaDiagnostics(&diags, problems, nil)
		return diags
	}
	next, err := syncschema.Apply(withTenant, overlay, nil)
	if err != nil {
		diags.AddError("Cannot apply the attribute mappings", err.Error())
		return diags
	}
	if syncschema.EquivalentSchemas(current, next) {
		tflog.Debug(ctx, "synchronization schema already matches the configuration; no PUT needed")
		return diags
	}
	d.caches.jobSchemas.forget(jobKey(spID, jobID))
	err = retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error { return d.API.PutJobSchema(ctx, spID, jobID, next) })
	if err != nil {
		addGraphError(&diags, "save the attribute mappings (PUT synchronization schema)", err)
	}
	return diags
}

// refreshSchemaOverlay reads back, in the declared shape, what the job's
// schema holds for the declared parts (one schema GET, kept for the plan).
func (d *ProviderData) refreshSchemaOverlay(ctx context.Context, spID, jobID string, om types.Map, ta types.Dynamic, diags *diag.Diagnostics) (types.Map, types.Dynamic) {
	s, err := d.readJobSchemaForPlan(ctx, spID, jobID)
	if err != nil {
		addGraphError(diags, "read the job's synchronization schema", err)
		return om, ta
	}
	return overlayStateFromSchema(ctx, s, om, ta, diags)
}

// overlayStateFromSchema is refreshSchemaOverlay once the schema is read.
func overlayStateFromSchema(ctx context.Context, s *syncschema.Schema, om types.Map, ta types.Dynamic, diags *diag.Diagnostics) (types.Map, types.Dynamic) {
	declared, d := overlayFromTF(ctx, om, ta)
	diags.Append(d...)
	if d.HasError() {
		return om, ta
	}
	got := syncschema.Extract(s, &declared)
	newOM := om
	if !om.IsNull() {
		newOM, d = objectMappingsToTF(ctx, got.ObjectMappings, om)
		diags.Append(d...)
	}
	newTA := ta
	if !ta.IsNull() && !ta.IsUnderlyingValueNull() {
		newTA, d = refreshTargetAttributes(ctx, ta, got.TargetAttributes)
		diags.Append(d...)
	}
	return newOM, newTA
}

// importSchemaOverlay describes what was changed in the portal relative to
// the job's template: the object mappings that differ (in full) and the
// attribute-list edits. Nothing differs → both null, a tidy configuration.
func (d *ProviderData) importSchemaOverlay(ctx context.Context, spID, jobID, templateID string, diags *diag.Diagnostics) (types.Map, types.Dynamic) {
	nullOM, nullTA := types.MapNull(objectMappingElemType), types.DynamicNull()
	current, err := d.readJobSchemaForPlan(ctx, spID, jobID)
	if err != nil {
		addGraphError(diags, "read the job's synchronization schema", err)
		return nullOM, nullTA
	}
	template, err := d.syncTemplateSchema(ctx, spID, templateID)
	if err != nil {
		addGraphError(diags, fmt.Sprintf("read the schema of synchronization template %q", templateID), err)
		return nullOM, nullTA
	}
	changed := changedObjectMappings(syncschema.ExtractAll(current), syncschema.ExtractAll(template))
	omValue := nullOM
	if len(changed) > 0 {
		var omDiags diag.Diagnostics
		omValue, omDiags = objectMappingsToTF(ctx, changed, nullOM)
		diags.Append(omDiags...)
	}
	taValue, taDiags := targetAttributesToTF(syncschema.DiffFromTemplate(current, template))
	diags.Append(taDiags...)
	return omValue, taValue
}

// changedObjectMappings keeps, per object mapping, only the parts that
// differ from the template: enabled, the scoping filter, and the attribute
// mappings (as a whole, since they are authoritative when declared).
func changedObjectMappings(have, base syncschema.Overlay) map[string]syncschema.ObjectMapping {
	changed := map[string]syncschema.ObjectMapping{}
	for name, om := range have.ObjectMappings {
		tmpl, known := base.ObjectMappings[name]
		if !known {
			changed[name] = om
			continue
		}
		var diff syncschema.ObjectMapping
		differs := false
		if !reflect.DeepEqual(om.Enabled, tmpl.Enabled) {
			diff.Enabled, differs = om.Enabled, true
		}
		if !reflect.DeepEqual(om.ScopingFilter, tmpl.ScopingFilter) {
			diff.ScopingFilter, differs = om.ScopingFilter, true
			if diff.ScopingFilter == nil {
				diff.ScopingFilter = []syncschema.FilterGroup{} // the template's filter was removed
			}
		}
		if !reflect.DeepEqual(om.AttributeMappings, tmpl.AttributeMappings) {
			diff.AttributeMappings, differs = om.AttributeMappings, true
		}
		if differs {
			changed[name] = diff
		}
	}
	return changed
}

// addSchemaDiagnostics reports syncschema errors and warnings at the
// configuration entry they are about, with the full path in the detail.
func addSchemaDiagnostics(diags *diag.Diagnostics, errs, warns []syncschema.Diagnostic) {
	for _, p := range errs {
		diags.AddAttributeError(schemaDiagnosticPath(p), p.Summary, p.Path+": "+p.Detail)
	}
	for _, p := range warns {
		diags.AddAttributeWarning(schemaDiagnosticPath(p), p.Summary, p.Path+": "+p.Detail)
	}
}

// schemaDiagnosticPath attaches a syncschema diagnostic to its top-level
// attribute and first map key (object_mappings["User"],
// target_attributes["<object>"]). Deeper paths would be more exact, but
// Terraform (1.11) cannot find nested attributes in the configuration and
// then shows the resource block instead of the offending entry; the exact
// path is in the detail text.
func schemaDiagnosticPath(p syncschema.Diagnostic) path.Path {
	root := path.Root("object_mappings")
	if strings.HasPrefix(p.Path, "target_attributes") {
		root = path.Root("target_attributes")
	}
	steps, err := p.Steps()
	if err != nil || len(steps) < 2 || steps[1].Kind != syncschema.StepKey {
		return root
	}
	return root.AtMapKey(steps[1].Name)
}
