package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ list.ListResourceWithConfigure = (*appRoleAssignmentList)(nil)

// appRoleAssignmentList is the list resource entra_app_role_assignment.
type appRoleAssignmentList struct {
	data *ProviderData
}

func NewAppRoleAssignmentList() list.ListResource { return &appRoleAssignmentList{} }

type appRoleAssignmentListModel struct {
	ServicePrincipalID types.String `tfsdk:"service_principal_id"`
}

func (l *appRoleAssignmentList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app_role_assignment"
}

func (l *appRoleAssignmentList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the users and groups assigned to an enterprise application (its app role assignments, portal: " +
			"*Users and groups*) for `terraform query` (Terraform 1.14+).",
		Attributes: map[string]schema.Attribute{
			"service_principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object ID of the enterprise application's service principal.",
				Validators:          []validator.String{uuidValidator()},
			},
		},
	}
}

func (l *appRoleAssignmentList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (l *appRoleAssignmentList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg appRoleAssignmentListModel
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	spID := cfg.ServicePrincipalID.ValueString()
	assignments, err := l.data.API.ListAppRoleAssignments(ctx, spID)
	if err != nil {
		stream.Results = listError("list the app role assignments of service principal "+spID, err)
		return
	}
	objects := make([]listedObject, len(assignments))
	for i, a := range assignments {
		objects[i] = listedObject{
			DisplayName: a.PrincipalDisplayName + " (" + a.PrincipalType + ")",
			Identity:    []string{spID, a.ID},
			ImportState: map[string]string{"id": a.ID, "service_principal_id": spID},
		}
	}
	stream.Results = newListEmitter(req, appRoleAssignmentIdentity, NewAppRoleAssignmentResource, l.data).stream(ctx, objects)
}
