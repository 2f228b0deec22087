// Package provider implements the entra Terraform provider: enterprise
// applications and their SCIM auto-provisioning in Microsoft Entra ID.
//
// It owns the Terraform side only: schemas, plan-time checks, the mapping
// between Terraform values and Entra objects, and the order of the steps
// each create, update and delete takes. Every Graph call goes through
// internal/entra; what one provider configuration remembers between calls
// lives on its ProviderData.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

var (
	_ provider.Provider                  = (*EntraProvider)(nil)
	_ provider.ProviderWithListResources = (*EntraProvider)(nil)
	_ provider.ProviderWithActions       = (*EntraProvider)(nil)
)

// EntraProvider is the "entra" provider.
type EntraProvider struct {
	version string
}

// ProviderData is handed to every resource and data source by Configure.
type ProviderData struct {
	// API is the typed Entra API every resource and data source calls.
	API *entra.Client
	// Environment is the cloud: global, usgovernment or china.
	Environment string
	// CustomAppTemplateID is the environment's non-gallery application template.
	CustomAppTemplateID string
	Version             string

	caches *providerCaches
	// secretsLocks serialises each service principal's secrets
	// read-modify-write.
	secretsLocks *spLocks
	// tenantAttributes caches the tenant's extension and custom security
	// attribute lists for the mapping checks.
	tenantAttributes tenantAttributeCache
	// galleryTemplates caches the gallery synchronization template schemas
	// read at plan through existing applications of the same template.
	galleryTemplates galleryTemplateCache
}

// providerModel maps the provider block.
type providerModel struct {
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	UseOIDC                   types.Bool   `tfsdk:"use_oidc"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	Environment               types.String `tfsdk:"environment"`
	GraphEndpoint             types.String `tfsdk:"graph_endpoint"`
	AuthorityHost             types.String `tfsdk:"authority_host"`
}

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &EntraProvider{version: version} }
}

func (p *EntraProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entra"
	resp.Version = p.version
}

func (p *EntraProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Configures Microsoft Entra ID enterprise applications for SCIM automatic provisioning " +
			"through Microsoft Graph. Every attribute can also come from the environment (`ARM_*`, `AZURE_*`, `ENTRA_*`); " +
			"with no credential configured, azidentity's default credential chain is used. " +
			"A private CA bundle (for example the Graph simulator's) is trusted through `SSL_CERT_FILE`.",
		Attributes: map[string]schema.Attribute{
			"tenant_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Entra tenant (directory) ID, or a verified domain such as `contoso.onmicrosoft.com`. Environment: `ARM_TENANT_ID` or `AZURE_TENANT_ID`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"client_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Application (client) ID of the app registration or managed identity Terraform authenticates as. Environment: `ARM_CLIENT_ID` or `AZURE_CLIENT_ID`.",
				Validators:          []validator.String{uuidValidator()},
			},
			"client_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Client secret of the app registration. Environment: `ARM_CLIENT_SECRET` or `AZURE_CLIENT_SECRET`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"client_certificate_path": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Path to a PEM or PKCS#12 client certificate (with its private key) for certificate authentication. Environment: `ARM_CLIENT_CERTIFICATE_PATH` or `AZURE_CLIENT_CERTIFICATE_PATH`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"client_certificate_password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password of the client certificate, if it has one. Environment: `ARM_CLIENT_CERTIFICATE_PASSWORD` or `AZURE_CLIENT_CERTIFICATE_PASSWORD`.",
			},
			"use_oidc": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Authenticate with a federated (workload identity / OIDC) token read from `oidc_token_file_path`. Environment: `ARM_USE_OIDC`.",
			},
			"oidc_token_file_path": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "File holding the federated OIDC token, re-read on every token refresh. Environment: `ARM_OIDC_TOKEN_FILE_PATH` or `AZURE_FEDERATED_TOKEN_FILE`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"use_msi": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Authenticate as the managed identity of the machine running Terraform (`client_id` selects a user-assigned identity). Environment: `ARM_USE_MSI`.",
			},
			"use_cli": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Authenticate with the account signed in to the Azure CLI (`az login`). Environment: `ARM_USE_CLI`.",
			},
			"environment": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Cloud: `global` (default), `usgovernment` or `china`. Chooses the default `graph_endpoint`, `authority_host` " +
					"and the non-gallery application template. Environment: `ARM_ENVIRONMENT`.",
				Validators: []validator.String{stringvalidator.OneOf(graph.EnvironmentNames()...)},
			},
			"graph_endpoint": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Microsoft Graph base URL without `/v1.0`, overriding the environment's (for example a private endpoint or the Graph simulator). Environment: `ENTRA_GRAPH_ENDPOINT`.",
				Validators:          []validator.String{httpsURLValidator()},
			},
			"authority_host": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Entra authority (login) host URL, overriding the environment's. Environment: `ENTRA_AUTHORITY_HOST`.",
				Validators:          []validator.String{httpsURLValidator()},
			},
		},
	}
}

func (p *EntraProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{credentialExclusivityValidator{}}
}

func (p *EntraProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var model providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"tenant_id": model.TenantID, "client_id": model.ClientID, "client_secret": model.ClientSecret,
		"graph_endpoint": model.GraphEndpoint, "authority_host": model.AuthorityHost, "environment": model.Environment,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Provider attribute not known until apply",
				"The entra provider must know "+name+" during plan. Set it from a variable or literal instead of another resource's computed attribute.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	cfg, env, diags := graphConfig(model, p.version)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := graph.New(ctx, cfg)
	if err != nil {
		resp.Diagnostics.AddError("Failed to create the Microsoft Graph client",
			"The provider configuration could not be turned into a Graph client: "+err.Error()+
				"\n\nCheck tenant_id, client_id and the chosen credential (client_secret, client_certificate_path, use_oidc, use_msi or use_cli), or their ARM_*/AZURE_* environment variables.")
		return
	}
	data := &ProviderData{
		API:                 entra.New(client),
		Environment:         env.Name,
		CustomAppTemplateID: env.CustomAppTemplateID,
		Version:             p.version,
		caches:              newProviderCaches(),
		secretsLocks:        &spLocks{},
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

func (p *EntraProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		// withIdentity: resource identity for `terraform query` and import-by-identity (resource_identity.go).
		withIdentity(NewEnterpriseApplicationResource, enterpriseApplicationIdentity),
		withIdentity(NewProvisioningJobResource, provisioningJobIdentity),
		NewProvisioningSchemaResource,
		withIdentity(NewAppRoleAssignmentResource, appRoleAssignmentIdentity),
		NewProvisioningOnDemandResource,
	}
}

// ListResources are for `terraform query` (Terraform 1.14+).
func (p *EntraProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewEnterpriseApplicationList,
		NewProvisioningJobList,
		NewAppRoleAssignmentList,
	}
}

// Actions are for `terraform apply -invoke` and action_trigger (Terraform 1.14+).
func (p *EntraProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewProvisioningStartAction,
		NewProvisioningPauseAction,
		NewProvisioningRestartAction,
		NewProvisioningOnDemandAction,
	}
}

func (p *EntraProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewApplicationTemplateDataSource,
		NewProvisioningJobDataSource,
	}
}
