package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

var _ list.ListResourceWithConfigure = (*provisioningJobList)(nil)

// provisioningJobList is the list resource entra_provisioning_job.
type provisioningJobList struct {
	data *ProviderData
}

func NewProvisioningJobList() list.ListResource { return &provisioningJobList{} }

type provisioningJobListModel struct {
	ServicePrincipalIDs types.List `tfsdk:"service_principal_ids"`
}

func (l *provisioningJobList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_job"
}

func (l *provisioningJobList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds provisioning (synchronization) jobs for `terraform query` (Terraform 1.14+): every job of the " +
			"tenant, or of the given service principals. With `-generate-config-out` each job's configuration includes its " +
			"credentials' tenant URL and settings and the attribute mappings that differ from the template, as an import does; " +
			"the secret token cannot be read back, so add `secret_token_wo` before changing credential settings.",
		Attributes: map[string]schema.Attribute{
			"service_principal_ids": schema.ListAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Only the jobs of these service principals (object IDs). Default: every service principal of the tenant.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(uuidValidator())},
			},
		},
	}
}

func (l *provisioningJobList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *provisioningJobList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg provisioningJobListModel
	diags := req.Config.Get(ctx, &cfg)
	var ids []string
	if !cfg.ServicePrincipalIDs.IsNull() {
		diags.Append(cfg.ServicePrincipalIDs.ElementsAs(ctx, &ids, false)...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	api := l.data.API
	var sps []entra.ListedServicePrincipal
	var err error
	if len(ids) > 0 {
		sps, err = api.GetServicePrincipals(ctx, ids)
	} else {
		sps, err = api.ListServicePrincipals(ctx, "")
	}
	if err != nil {
		stream.Results = listError("read service principals", err)
		return
	}
	jobs, err := api.JobsOf(ctx, servicePrincipalIDs(sps))
	if err != nil {
		stream.Results = listError("list provisioning jobs", err)
		return
	}
	var objects []listedObject
	for i, sp := range sps {
		for _, j := range jobs[i] {
			objects = append(objects, listedObject{
				DisplayName: sp.DisplayName + " (" + j.TemplateID + ")",
				Identity:    []string{sp.ID, j.ID},
				ImportState: map[string]string{"id": sp.ID + "/" + j.ID, "service_principal_id": sp.ID, "job_id": j.ID},
			})
		}
	}
	emitter := newListEmitter(req, provisioningJobIdentity, NewProvisioningJobResource, l.data)
	emitter.afterRead = l.importMappings
	stream.Results = emitter.stream(ctx, objects)
}

// servicePrincipalIDs are the ids of listed service principals.
func servicePrincipalIDs(sps []entra.ListedServicePrincipal) []string {
	ids := make([]string, len(sps))
	for i, sp := range sps {
		ids[i] = sp.ID
	}
	return ids
}

// importMappings adds what Read adds only right after an import: the
// attribute mappings and attribute-list edits that differ from the
// template, so the generated configuration carries them.
func (l *provisioningJobList) importMappings(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics) {
	var spID, jobID, templateID types.String
	diags.Append(state.GetAttribute(ctx, path.Root("service_principal_id"), &spID)...)
	diags.Append(state.GetAttribute(ctx, path.Root("job_id"), &jobID)...)
	diags.Append(state.GetAttribute(ctx, path.Root("template_id"), &templateID)...)
	if diags.HasError() {
		return
	}
	mappings, targets := l.data.importSchemaOverlay(ctx, spID.ValueString(), jobID.ValueString(), templateID.ValueString(), diags)
	diags.Append(state.SetAttribute(ctx, path.Root("object_mappings"), mappings)...)
	diags.Append(state.SetAttribute(ctx, path.Root("target_attributes"), targets)...)
}
