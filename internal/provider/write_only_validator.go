package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// writeOnlyCLIValidator turns "this CLI cannot send write-only values" into
// an error that says which attribute, which CLIs and what to write instead.
//
// Terraform 1.11 and OpenTofu 1.11 announce write-only support in the
// ValidateResourceConfig request's client capabilities; older CLIs send no
// capabilities at all, and nothing in the validation request carries their
// version (it only reaches the provider later, in ConfigureProvider, after
// validation has already failed). So the error names the version bound, and
// the framework's own "WriteOnly Attribute Not Allowed" error sits next to it.
type writeOnlyCLIValidator struct {
	// instead is the attribute that works on every CLI (stored in state).
	instead string
}

func (v writeOnlyCLIValidator) Description(context.Context) string {
	return "needs Terraform 1.11+ or OpenTofu 1.11+; older CLIs use " + v.instead
}

func (v writeOnlyCLIValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v writeOnlyCLIValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ClientCapabilities.WriteOnlyAttributesAllowed {
		return
	}
	name := attributeName(req.Path)
	resp.Diagnostics.AddAttributeError(req.Path, name+" needs Terraform 1.11 or OpenTofu 1.11",
		"The CLI running this plan is older than Terraform 1.11 / OpenTofu 1.11: it did not announce support for write-only "+
			"attributes, so it cannot send "+name+" to the provider.\n\n"+
			"Either upgrade the CLI (Terraform 1.11 or later, OpenTofu 1.11 or later), or replace\n"+
			"  "+name+"         = var.token\n  "+name+"_version = 1\n"+
			"with\n  "+v.instead+" = var.token\n"+
			"("+v.instead+" is marked sensitive but is stored in the state, so protect the state backend). "+
			"The provider's \"CLI compatibility\" guide lists what works on each CLI.")
}

// attributeName is the last step of an attribute path, e.g. secret_token_wo.
func attributeName(p path.Path) string {
	steps := p.Steps()
	if len(steps) == 0 {
		return p.String()
	}
	return steps[len(steps)-1].String()
}
