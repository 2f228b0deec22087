package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// Plan-time checks of object_mappings / target_attributes: offline ones in
// ValidateConfig (shape, exactly one source, expressions against the
// built-in function catalog, duplicate priorities, empty scoping groups),
// and ones against the job's real schema and filter operators in ModifyPlan.

// validateOverlayOffline runs every check that needs no schema.
func validateOverlayOffline(ctx context.Context, om types.Map, ta types.Dynamic) diag.Diagnostics {
	var diags diag.Diagnostics
	if !isFullyKnown(ctx, om) || !isFullyKnown(ctx, ta) {
		return diags // checked again at plan time once values are known
	}
	overlay, d := overlayFromTF(ctx, om, ta)
	diags.Append(d...)
	if d.HasError() {
		return diags
	}
	errs, warns := syncschema.ValidateOffline(overlay, nil, nil)
	addSchemaDiagnostics(&diags, errs, warns)
	return diags
}

// validateOverlayOnline checks the overlay against the job's schema and
// filter operators when the job exists, otherwise against the template the
// job will be created from. It reuses the schema the refresh just read.
// The tenant's extension and custom security attributes count as source
// attributes (apply adds their definitions to the schema).
func (pd *ProviderData) validateOverlayOnline(ctx context.Context, spID, jobID, templateID string, om types.Map, ta types.Dynamic) diag.Diagnostics {
	var diags diag.Diagnostics
	overlay, d := overlayFromTF(ctx, om, ta)
	diags.Append(d...)
	if d.HasError() {
		return diags
	}
	var s *syncschema.Schema
	var ops []syncschema.FilterOperator
	var err error
	if jobID != "" {
		if s, err = pd.jobSchemaForPlan(ctx, spID, jobID); err != nil {
			addGraphError(&diags, "read the job's synchronization schema to check the mappings", err)
			return diags
		}
		if usesScopingFilters(overlay) {
			if got, err := pd.API.FindJobFilterOperators(ctx, spID, jobID); err == nil {
				ops = got
			}
			// On failure the built-in operator list is used: still a useful check.
		}
	} else {
		if templateID == "" {
			templates, err := pd.syncTemplates(ctx, spID)
			if err != nil {
				addGraphError(&diags, "list the synchronization templates to check the mappings", err)
				return diags
			}
			t, err := entra.DefaultSyncTemplate(templates)
			if err != nil {
				return diags // reported by Create with the attribute to fix
			}
			templateID = t.ID
		}
		if s, err = pd.syncTemplateSchema(ctx, spID, templateID); err != nil {
			addGraphError(&diags, "read the template schema to check the mappings", err)
			return diags
		}
	}
	errs, warns, _ := syncschema.CheckPlan(s, overlay, pd.tenantAttributes.tenantAttributes(ctx, pd.API, overlay), ops, nil)
	addSchemaDiagnostics(&diags, errs, withoutOfflineWarnings(warns, overlay))
	return diags
}

// withoutOfflineWarnings drops the warnings ValidateConfig already showed
// (ValidateOffline reports them identically), so each appears once.
func withoutOfflineWarnings(warns []syncschema.Diagnostic, overlay syncschema.Overlay) []syncschema.Diagnostic {
	_, shown := syncschema.ValidateOffline(overlay, nil, nil)
	var out []syncschema.Diagnostic
	for _, w := range warns {
		if !slices.Contains(shown, w) {
			out = append(out, w)
		}
	}
	return out
}

func usesScopingFilters(o syncschema.Overlay) bool {
	for _, om := range o.ObjectMappings {
		if len(om.ScopingFilter) > 0 {
			return true
		}
	}
	return false
}
