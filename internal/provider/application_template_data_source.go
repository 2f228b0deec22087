package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

var (
	_ datasource.DataSource                     = (*applicationTemplateDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*applicationTemplateDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*applicationTemplateDataSource)(nil)
)

// NewApplicationTemplateDataSource is the entra_application_template data source.
func NewApplicationTemplateDataSource() datasource.DataSource {
	return &applicationTemplateDataSource{}
}

type applicationTemplateDataSource struct {
	data *ProviderData
}

type applicationTemplateModel struct {
	ID                         types.String `tfsdk:"id"`
	DisplayName                types.String `tfsdk:"display_name"`
	Publisher                  types.String `tfsdk:"publisher"`
	Description                types.String `tfsdk:"description"`
	Categories                 types.List   `tfsdk:"categories"`
	SupportedProvisioningTypes types.List   `tfsdk:"supported_provisioning_types"`
	SupportedSingleSignOnModes types.List   `tfsdk:"supported_single_sign_on_modes"`
}

// entra.ApplicationTemplate is an applicationTemplate as Graph returns it.

func (d *applicationTemplateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_application_template"
}

func (d *applicationTemplateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an Entra application template (a gallery app, or the non-gallery \"Custom\" template) " +
			"by exact display name (case-insensitive) or by id. Zero or several matches is an error that lists the candidates.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Template id. Set this or `display_name`.",
				Validators:          []validator.String{uuidValidator()},
			},
			"display_name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Exact display name as shown in the Entra gallery, compared case-insensitively, for example `myPolicies`. Set this or `id`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"publisher": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Publisher of the application.",
			},
			"description": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Description of the application.",
			},
			"categories": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Gallery categories, for example `hr` or `security`.",
			},
			"supported_provisioning_types": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Provisioning types the application supports; `sync` means automatic (SCIM) provisioning.",
			},
			"supported_single_sign_on_modes": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Single sign-on modes: `oidc`, `password`, `saml` or `notSupported`.",
			},
		},
	}
}

func (d *applicationTemplateDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *applicationTemplateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *applicationTemplateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m applicationTemplateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || d.data == nil {
		return
	}
	var tmpl *entra.ApplicationTemplate
	if isSet(m.ID) {
		got, err := d.data.API.FindApplicationTemplate(ctx, m.ID.ValueString())
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Application template not found",
				fmt.Sprintf("No application template has id %q. Look it up by display_name instead, or check the id in the Entra gallery.", m.ID.ValueString()))
			return
		}
		if err != nil {
			addGraphError(&resp.Diagnostics, "read application template "+m.ID.ValueString(), err)
			return
		}
		tmpl = got
	} else {
		name := m.DisplayName.ValueString()
		found, err := d.data.API.ListApplicationTemplatesByName(ctx, name)
		if err != nil {
			addGraphError(&resp.Diagnostics, "look up application templates", err)
			return
		}
		switch len(found) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Application template not found",
				noTemplateDetail(ctx, d.data.API, name))
			return
		case 1:
			tmpl = &found[0]
		default:
			var lines []string
			for _, t := range found {
				lines = append(lines, fmt.Sprintf("  - %s (id %s, publisher %q)", t.DisplayName, t.ID, t.Publisher))
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Several application templates match",
				fmt.Sprintf("%d application templates are named %q:\n%s\nSet id to the one you mean instead of display_name.", len(found), name, strings.Join(lines, "\n")))
			return
		}
	}
	m.ID = types.StringValue(tmpl.ID)
	m.DisplayName = types.StringValue(tmpl.DisplayName)
	m.Publisher = types.StringValue(tmpl.Publisher)
	m.Description = types.StringValue(tmpl.Description)
	m.Categories = stringList(tmpl.Categories)
	m.SupportedProvisioningTypes = stringList(tmpl.SupportedProvisioningTypes)
	m.SupportedSingleSignOnModes = stringList(tmpl.SupportedSingleSignOnModes)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// noTemplateDetail explains a miss and lists close matches. It runs only on
// the error path, so listing the gallery (paged) is acceptable there.
func noTemplateDetail(ctx context.Context, api *entra.Client, name string) string {
	names, err := api.ListApplicationTemplateNames(ctx)
	msg := fmt.Sprintf("No application template is named %q (compared case-insensitively).", name)
	if err != nil {
		return msg + " Listing the gallery to suggest close matches also failed: " + err.Error()
	}
	if close := expression.SuggestN(name, names, 8); len(close) > 0 {
		return msg + " Close matches: " + quoteList(close) + ". Set display_name to one of them, or use id."
	}
	return msg + " No template has a similar name; check the spelling in the Entra gallery, or use the template id."
}

// stringList converts a Go slice to a list value; nil becomes an empty list
// so configurations can always call length() on it.
func stringList(values []string) types.List {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	l, _ := types.ListValue(types.StringType, elems)
	return l
}
