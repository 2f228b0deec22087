package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.Resource                   = (*provisioningJobResource)(nil)
	_ resource.ResourceWithConfigure      = (*provisioningJobResource)(nil)
	_ resource.ResourceWithImportState    = (*provisioningJobResource)(nil)
	_ resource.ResourceWithValidateConfig = (*provisioningJobResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*provisioningJobResource)(nil)
)

// NewProvisioningJobResource is entra_provisioning_job: the whole
// Provisioning blade of an enterprise application.
func NewProvisioningJobResource() resource.Resource {
	return &provisioningJobResource{}
}

type provisioningJobResource struct {
	data *ProviderData
}

func (r *provisioningJobResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_job"
}

// emailPattern accepts one address (the portal's "Notification Email"); it
// is deliberately simple: Graph does its own checks.
var emailPattern = regexp.MustCompile(`^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$`)

func (r *provisioningJobResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: provisioningJobDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<service_principal_id>/<job_id>`, the import ID.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service_principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object ID of the enterprise application's service principal. Changing it creates a new job.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"template_id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Synchronization template of the job (`scim` for non-gallery apps). Defaults to the service principal's default synchronization template. Changing it creates a new job. Setting `scim` for a non-gallery app created in the same configuration lets the plan check target attributes too; setting a gallery app's template (for example `mypolicies`) does the same against that template's schema, read through an application of the same template that already exists in the tenant (otherwise the plan warns and apply checks them).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"tenant_url": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The portal's **Tenant URL**: the SCIM endpoint (`BaseAddress` secret). Must be an absolute `https://` URL.",
				Validators:          []validator.String{tenantURLValidator{}},
			},
			"secret_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "The portal's **Secret Token** (bearer token). Stored in state (sensitive). Prefer `secret_token_wo` on Terraform 1.11 and later, which is never stored.",
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("secret_token_wo")),
					stringvalidator.LengthAtLeast(1),
				},
			},
			"secret_token_wo": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				MarkdownDescription: "Write-only **Secret Token** (Terraform 1.11+): sent to Entra ID but never stored in state or plan. Requires `secret_token_wo_version`; bump that number to send a new token. Graph replaces all provisioning secrets at once, so whenever any credential setting changes the value configured here is sent again: keep it the current token.",
				Validators: []validator.String{
					stringvalidator.ConflictsWith(path.MatchRoot("secret_token")),
					stringvalidator.AlsoRequires(path.MatchRoot("secret_token_wo_version")),
					stringvalidator.LengthAtLeast(1),
					writeOnlyCLIValidator{instead: "secret_token"},
				},
			},
			"secret_token_wo_version": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "Version of `secret_token_wo`. Terraform cannot see a write-only value change, so increase this number to send a new token (and run Test Connection again).",
				Validators: []validator.Int64{
					int64validator.AlsoRequires(path.MatchRoot("secret_token_wo")),
				},
			},
			"notification_email": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The portal's **Notification Email**: where failure notifications go. Omit for none.",
				Validators: []validator.String{
					stringvalidator.RegexMatches(emailPattern, "must be one e-mail address such as iam-alerts@example.com"),
				},
			},
			"send_failure_notifications": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "**Send an email notification when a failure occurs**. Defaults to `true` when `notification_email` is set and `false` otherwise; `true` requires `notification_email`.",
			},
			"accidental_deletion_threshold": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: "**Prevent accidental deletion**: the provisioning cycle stops when it would delete at least this many accounts. Omit to turn prevention off.",
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"scope": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(scopeAssigned),
				MarkdownDescription: "**Scope**: `assigned` (only assigned users and groups, the default) or `all` (all users and groups).",
				Validators:          []validator.String{stringvalidator.OneOf(scopeAssigned, scopeAll)},
			},
			"skip_out_of_scope_deletions": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, accounts that go out of scope are not disabled in the target (`SkipOutOfScopeDeletions`). Default `false`.",
			},
			"validate_credentials": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
				MarkdownDescription: "Run **Test Connection** before saving the tenant URL and token; a failure aborts the apply with the target's message and saves nothing. Default `true`.",
			},
			"enabled": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
				MarkdownDescription: "**Provisioning Status** On (`true`, start) or Off (`false`, pause). Default `true`.",
			},
			"restart_triggers": schema.MapAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				MarkdownDescription: "Arbitrary values; any change calls **Restart provisioning** (clears the watermark, escrows and quarantine) after the other changes are applied.",
			},
			"object_mappings":   objectMappingsAttribute(),
			"target_attributes": targetAttributesAttribute(),
			"job_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "ID of the synchronization job.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"schedule_interval": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Interval between provisioning cycles (ISO 8601 duration, e.g. `PT40M`).",
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Status code as of the last refresh: `NotConfigured`, `NotRun`, `Active`, `Paused` or `Quarantine` (right after create, the code Graph reported when it created the job; the `entra_provisioning_job` data source gives the full status).",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeoutsBlock(ctx, "the job", defaultJobTimeout),
		},
	}
}

func (r *provisioningJobResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*ProviderData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *provider.ProviderData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	r.data = data
}

func (r *provisioningJobResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	spID, jobID, ok := strings.Cut(req.ID, "/")
	if !ok || spID == "" || jobID == "" || strings.Contains(jobID, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("Expected \"<service_principal_id>/<job_id>\", got %q. Find the job ID with GET /servicePrincipals/{id}/synchronization/jobs.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("service_principal_id"), spID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("job_id"), jobID)...)
	// Import flags Read to describe the schema changes made in the portal.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, []byte(`true`))...)
}

// privateKeyImported marks a state that came from import, so Read fills in
// object_mappings / target_attributes from what the portal configured.
const privateKeyImported = "imported"

const provisioningJobDescription = "The whole **Provisioning** blade of an enterprise application: " +
	"a synchronization job with its admin credentials (tenant URL and secret token), settings (notification email, " +
	"accidental-deletion threshold, scope), attribute mappings and provisioning status.\n\n" +
	"Create order: job → Test Connection → credentials → schema → start, so a job never runs with template-default " +
	"mappings the configuration replaces.\n\n" +
	"**Secrets.** Graph's `PUT …/synchronization/secrets` replaces every secret of the service principal and its GET " +
	"masks secret values as `*`. The resource therefore (1) keeps every key it does not manage; a masked key it does not " +
	"manage (e.g. an OAuth secret) cannot be kept and is reported in a warning; (2) sends the secrets only when a " +
	"credential setting changes, and then needs the token from the configuration (`secret_token`, or `secret_token_wo` " +
	"which Terraform passes on every apply) because the stored one cannot be read back: a plan without it is an error; " +
	"(3) on destroy blanks `BaseAddress`, `SecretToken`, `SyncNotificationSettings`, `SyncAll` and " +
	"`SkipOutOfScopeDeletions` so no token remains in the tenant, then deletes the job.\n\n" +
	"Import with `<service_principal_id>/<job_id>`; attribute mappings and attribute-list edits that differ from " +
	"the template are imported too, so `terraform plan -generate-config-out` yields the portal's configuration." +
	"\n\n**Plan-time checks of the mappings.** Source attributes (`source`, `[attribute]` references in expressions, " +
	"scoping-filter clause attributes) are checked at plan even when the application is created in the same " +
	"configuration: against the Entra ID directory, which every template shares, and the tenant's directory " +
	"extensions (`extension_<appId>_<name>`) and custom security attributes (`CustomSecurityAttributes.<set>_<name>`), " +
	"each list read once per plan and only when the mappings use such a name. Target attributes, target objects and " +
	"filter operators depend on the template: they are checked at plan against the job's schema when the service " +
	"principal exists, or against the built-in default of the non-gallery template when `template_id = \"scim\"` is set; " +
	"otherwise the plan warns and names what apply checks. Apply checks everything again before it changes the job. " +
	"If that finds an error after the application was created in the same apply, fix the mapping and apply again, or " +
	"create the application first: `terraform apply -target=entra_enterprise_application.<name>`, then `terraform apply`."
