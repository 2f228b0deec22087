package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

var (
	_ datasource.DataSource              = (*provisioningJobDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*provisioningJobDataSource)(nil)
)

// NewProvisioningJobDataSource is the entra_provisioning_job data source.
func NewProvisioningJobDataSource() datasource.DataSource {
	return &provisioningJobDataSource{}
}

type provisioningJobDataSource struct {
	data *ProviderData
}

type provisioningJobDataModel struct {
	ServicePrincipalID         types.String `tfsdk:"service_principal_id"`
	JobID                      types.String `tfsdk:"job_id"`
	ID                         types.String `tfsdk:"id"`
	TemplateID                 types.String `tfsdk:"template_id"`
	StatusCode                 types.String `tfsdk:"status_code"`
	ScheduleInterval           types.String `tfsdk:"schedule_interval"`
	ScheduleState              types.String `tfsdk:"schedule_state"`
	ConsecutiveFailures        types.Int64  `tfsdk:"consecutive_failures"`
	LastExecution              types.Object `tfsdk:"last_execution"`
	LastSuccessfulExecutionEnd types.String `tfsdk:"last_successful_execution_ended"`
	Quarantine                 types.Object `tfsdk:"quarantine"`
	SteadyStateFirstAchieved   types.String `tfsdk:"steady_state_first_achieved"`
	SteadyStateLastAchieved    types.String `tfsdk:"steady_state_last_achieved"`
	InSteadyState              types.Bool   `tfsdk:"in_steady_state"`
}

var jobExecutionAttrTypes = map[string]attr.Type{
	"state":          types.StringType,
	"began":          types.StringType,
	"ended":          types.StringType,
	"count_imported": types.Int64Type,
	"count_exported": types.Int64Type,
	"count_escrowed": types.Int64Type,
	"error_code":     types.StringType,
	"error_message":  types.StringType,
}

var jobQuarantineAttrTypes = map[string]attr.Type{
	"reason":        types.StringType,
	"current_began": types.StringType,
	"series_began":  types.StringType,
	"series_count":  types.Int64Type,
	"next_attempt":  types.StringType,
	"error_code":    types.StringType,
	"error_message": types.StringType,
}

func (d *provisioningJobDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_job"
}

func (d *provisioningJobDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Status of a provisioning job, as the *Provisioning* blade's *Current cycle status* shows it. " +
			"Values Graph reports as placeholders (the year-1 timestamp, the maximal schedule interval) are null here.",
		Attributes: map[string]schema.Attribute{
			"service_principal_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object id of the enterprise application's service principal.",
				Validators:          []validator.String{uuidValidator()},
			},
			"job_id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Id of the job. May be omitted when the service principal has exactly one job.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id":                              str("Same as `job_id`."),
			"template_id":                     str("Synchronization template the job was created from, for example `scim`."),
			"status_code":                     str("`NotConfigured`, `NotRun`, `Active`, `Paused` or `Quarantine`."),
			"schedule_interval":               str("Interval between incremental cycles as an ISO 8601 duration, for example `PT40M`; null while the job has never been scheduled."),
			"schedule_state":                  str("`Active`, `Disabled` or `Paused`."),
			"consecutive_failures":            num("Number of consecutive cycles that failed completely."),
			"last_successful_execution_ended": str("When the last successful cycle ended (RFC 3339); null if none has."),
			"steady_state_first_achieved":     str("When the job first reached steady state (RFC 3339); null if never."),
			"steady_state_last_achieved":      str("When the job last reached steady state (RFC 3339); null if never."),
			"in_steady_state": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the job has reached steady state (initial cycle done, only incremental changes left).",
			},
			"last_execution": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The last cycle; null if the job has not run.",
				Attributes: map[string]schema.Attribute{
					"state":          str("`Succeeded`, `Failed` or `EntryLevelErrors`."),
					"began":          str("When the cycle began (RFC 3339)."),
					"ended":          str("When the cycle ended (RFC 3339); null while running."),
					"count_imported": num("Objects read from Entra ID."),
					"count_exported": num("Objects written to the target."),
					"count_escrowed": num("Objects that failed and will be retried (escrowed)."),
					"error_code":     str("Error code of a failed cycle; null when none."),
					"error_message":  str("Error message of a failed cycle; null when none."),
				},
			},
			"quarantine": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Quarantine details; null when the job is not in quarantine.",
				Attributes: map[string]schema.Attribute{
					"reason":        str("Why, for example `EncounteredQuarantineException` or `TooManyDeletes`."),
					"current_began": str("When the current quarantine began (RFC 3339)."),
					"series_began":  str("When the series of quarantines began (RFC 3339)."),
					"series_count":  num("Number of quarantines in the series."),
					"next_attempt":  str("When the provisioning service will try again (RFC 3339)."),
					"error_code":    str("Error that caused the quarantine; null when none."),
					"error_message": str("Error message; null when none."),
				},
			},
		},
	}
}

func (d *provisioningJobDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *provisioningJobDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m provisioningJobDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || d.data == nil {
		return
	}
	job := d.findJob(ctx, m.ServicePrincipalID.ValueString(), m.JobID, &resp.Diagnostics)
	if job == nil {
		return
	}
	resp.Diagnostics.Append(jobStatusToModel(job, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// findJob reads the job named by job_id, or the service principal's only
// job. Its status is decoded strictly: a malformed answer is reported, not
// guessed at.
func (d *provisioningJobDataSource) findJob(ctx context.Context, spID string, jobID types.String, diags *diag.Diagnostics) *jobstatus.Job {
	api := d.data.API
	if isSet(jobID) {
		job, err := api.FindJobStatus(ctx, spID, jobID.ValueString(), jobstatus.Strict())
		switch {
		case graph.IsNotFound(err):
			diags.AddAttributeError(path.Root("job_id"), "Provisioning job not found",
				fmt.Sprintf("Service principal %s has no provisioning job %q. Omit job_id to use its only job, or check the id.", spID, jobID.ValueString()))
		case err != nil:
			addGraphError(diags, "read provisioning job "+jobID.ValueString(), err)
		}
		return job
	}
	jobs, err := api.ListJobStatuses(ctx, spID, jobstatus.Strict())
	if err != nil {
		addGraphError(diags, "list the provisioning jobs of "+spID, err)
		return nil
	}
	switch len(jobs) {
	case 0:
		diags.AddAttributeError(path.Root("service_principal_id"), "No provisioning job",
			fmt.Sprintf("Service principal %s has no provisioning job. Create one with entra_provisioning_job first.", spID))
		return nil
	case 1:
		return jobs[0]
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = fmt.Sprintf("%s (template %s)", j.ID, j.TemplateID)
	}
	diags.AddAttributeError(path.Root("job_id"), "Several provisioning jobs",
		fmt.Sprintf("Service principal %s has %d provisioning jobs: %s. Set job_id to the one you mean.", spID, len(jobs), strings.Join(ids, ", ")))
	return nil
}
