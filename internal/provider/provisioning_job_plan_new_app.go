package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// validateOverlayForNewApplication checks the mappings of a job whose
// service principal is created in the same apply, so that typos fail the
// plan instead of an apply that has already created the application.
// Source attributes are checked against the Entra ID directory (the same
// for every template) and the tenant's extension and custom security
// attributes; target attributes and filter operators against the template
// when it is known at plan — template_id = "scim": the built-in default;
// a gallery template id: its schema read through an existing service
// principal that offers it (once per template and provider configuration,
// see galleryTemplateCache) — otherwise a warning names what apply checks.
// Without a gallery template id it costs no Graph request unless the
// mappings use extension_ or CustomSecurityAttributes. names (then one per
// list and provider configuration).
func (d *ProviderData) validateOverlayForNewApplication(ctx context.Context, templateID types.String, om types.Map, ta types.Dynamic) diag.Diagnostics {
	overlay, diags := overlayFromTF(ctx, om, ta)
	if diags.HasError() {
		return diags
	}
	tenant := d.tenantAttributes.tenantAttributes(ctx, d.API, overlay)
	var template *syncschema.Schema
	var gallery galleryTemplateLookup
	known := !templateID.IsUnknown() && !templateID.IsNull()
	if known {
		template = syncschema.BuiltinTemplateSchema(templateID.ValueString())
		if template == nil {
			gallery = d.galleryTemplates.lookup(ctx, d.API, templateID.ValueString())
			template = gallery.schema
		}
	}
	errs, warns, deferred := syncschema.CheckPlan(template, overlay, tenant, nil, nil)
	addSchemaDiagnostics(&diags, errs, withoutOfflineWarnings(warns, overlay))
	if len(deferred) > 0 {
		diags.AddWarning("Target attributes are checked at apply", deferredTargetsDetail(deferred, known, templateID.ValueString(), gallery))
	}
	return diags
}

func deferredTargetsDetail(deferred []string, templateKnown bool, templateID string, gallery galleryTemplateLookup) string {
	var b strings.Builder
	b.WriteString("The job's service principal is created in this apply, so its synchronization template cannot be read at plan. ")
	b.WriteString("Source attributes were checked against the Entra ID directory; these parts depend on the template and are checked at apply, before the job is created:\n")
	for _, d := range deferred {
		b.WriteString("  - " + d + "\n")
	}
	switch {
	case templateKnown && gallery.err != nil:
		fmt.Fprintf(&b, "\nReading synchronization template %q through an existing application of the tenant failed: %v.", templateID, gallery.err)
	case templateKnown:
		fmt.Fprintf(&b, "\nNo existing application of template %q was found in the tenant to read its schema from, "+
			"and the provider has a built-in schema only for %q.", templateID, syncschema.SCIMTemplateID)
	default:
		fmt.Fprintf(&b, "\nFor a non-gallery application, set template_id = %q to check them at plan; "+
			"for a gallery application, set template_id to its synchronization template to check them through an existing application of that template.", syncschema.SCIMTemplateID)
	}
	b.WriteString(" If apply reports a schema error, the application already exists: fix the mapping and apply again, " +
		"or create the application first with terraform apply -target=<its entra_enterprise_application address>.")
	return b.String()
}
