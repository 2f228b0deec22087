package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

var _ list.ListResourceWithConfigure = (*enterpriseApplicationList)(nil)

// enterpriseApplicationList is the list resource entra_enterprise_application.
type enterpriseApplicationList struct {
	data *ProviderData
}

func NewEnterpriseApplicationList() list.ListResource { return &enterpriseApplicationList{} }

type enterpriseApplicationListModel struct {
	DisplayNamePrefix  types.String `tfsdk:"display_name_prefix"`
	TemplateID         types.String `tfsdk:"template_id"`
	HasProvisioningJob types.Bool   `tfsdk:"has_provisioning_job"`
}

func (l *enterpriseApplicationList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_enterprise_application"
}

func (l *enterpriseApplicationList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds enterprise applications (service principals) for `terraform query` (Terraform 1.14+), so a tenant " +
			"configured in the portal can be adopted in bulk: `terraform query -generate-config-out=generated.tf` writes an " +
			"import block and configuration for each. With no filter every service principal of the tenant is listed, " +
			"Microsoft's own included; filter by name, template or provisioning job to keep the result to your applications.",
		Attributes: map[string]schema.Attribute{
			"display_name_prefix": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only applications whose display name starts with this (Graph `startswith`, case-insensitive).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"template_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only applications instantiated from this application template (the gallery app's id, or " +
					"`8adf8e6e-67b2-4cf2-a259-e3dc5476c621` for non-gallery apps in the global cloud).",
				Validators: []validator.String{uuidValidator()},
			},
			"has_provisioning_job": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "`true`: only applications with at least one provisioning (synchronization) job; `false`: only " +
					"those without. The job lists are read 20 per `$batch` request.",
			},
		},
	}
}

func (l *enterpriseApplicationList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *enterpriseApplicationList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg enterpriseApplicationListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	api := l.data.API
	sps, err := api.ListServicePrincipals(ctx, entra.ServicePrincipalFilter(cfg.DisplayNamePrefix.ValueString(), strings.ToLower(cfg.TemplateID.ValueString())))
	if err != nil {
		stream.Results = listError("list service principals", err)
		return
	}
	if !cfg.HasProvisioningJob.IsNull() {
		jobs, err := api.JobsOf(ctx, servicePrincipalIDs(sps))
		if err != nil {
			stream.Results = listError("list provisioning jobs", err)
			return
		}
		kept := sps[:0]
		for i, sp := range sps {
			if (len(jobs[i]) > 0) == cfg.HasProvisioningJob.ValueBool() {
				kept = append(kept, sp)
			}
		}
		sps = kept
	}
	objects := make([]listedObject, len(sps))
	for i, sp := range sps {
		objects[i] = listedObject{
			DisplayName: sp.DisplayName,
			Identity:    []string{sp.ID},
			ImportState: map[string]string{"id": sp.ID, "service_principal_id": sp.ID},
		}
	}
	stream.Results = newListEmitter(req, enterpriseApplicationIdentity, NewEnterpriseApplicationResource, l.data).stream(ctx, objects)
}
