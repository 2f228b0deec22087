package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

var _ action.ActionWithConfigure = (*provisioningOnDemandAction)(nil)

// provisioningOnDemandAction is entra_provisioning_on_demand: the portal's
// "Provision on demand" as an operation. It shares the rules lookup and the
// Graph call with the entra_provisioning_on_demand resource, which stays
// for CLIs before 1.14 and for runs recorded in state.
type provisioningOnDemandAction struct {
	data *ProviderData
}

func NewProvisioningOnDemandAction() action.Action { return &provisioningOnDemandAction{} }

type provisioningOnDemandActionModel struct {
	jobTarget
	Subjects []onDemandSubjectModel `tfsdk:"subjects"`
	// FailOnError turns a subject that failed into an error.
	FailOnError types.Bool `tfsdk:"fail_on_error"`
}

func (a *provisioningOnDemandAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_on_demand"
}

func (a *provisioningOnDemandAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attrs := jobTargetAttributes()
	attrs["subjects"] = schema.ListNestedAttribute{
		Required:            true,
		MarkdownDescription: "Users and groups to provision, in order. Graph allows 5 on-demand requests per 10 seconds; larger lists are paced automatically.",
		Validators:          []validator.List{listvalidator.SizeBetween(1, 50)},
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"object_id": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "Object ID of the user or group in Entra ID.",
					Validators:          []validator.String{uuidValidator()},
				},
				"object_type": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "`User` or `Group`.",
					Validators:          []validator.String{stringvalidator.OneOf("User", "Group")},
				},
			},
		},
	}
	attrs["fail_on_error"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "When `true`, a subject the provisioning service reports as failed makes the action fail " +
			"(and with it the apply that triggered it). Default `false`: failures are warnings, as in the resource.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Provisions users or groups on demand (portal: *Provision on demand*) right away instead of at the next " +
			"cycle, reporting each subject's outcome as a progress message. Run it with `terraform apply " +
			"-invoke=action.entra_provisioning_on_demand.<name>` or from an `action_trigger` (e.g. after an assignment is created). " +
			"Terraform 1.14+; the `entra_provisioning_on_demand` resource does the same on any Terraform and records the results in state.",
		Attributes: attrs,
	}
}

func (a *provisioningOnDemandAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *provisioningOnDemandAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m provisioningOnDemandActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	spID, jobID := m.ServicePrincipalID.ValueString(), m.JobID.ValueString()
	jobSchema, err := a.data.API.FindJobSchema(ctx, spID, jobID)
	if err != nil {
		addJobActionError(&resp.Diagnostics, "read the schema", m.jobTarget, err)
		return
	}
	var failed []string
	for i, s := range m.Subjects {
		objectID, objectType := s.ObjectID.ValueString(), s.ObjectType.ValueString()
		ruleID := jobSchema.RuleIDFor(objectType)
		if ruleID == "" {
			resp.Diagnostics.AddAttributeError(path.Root("subjects").AtListIndex(i).AtName("object_type"), "Object type not provisioned by this job",
				fmt.Sprintf("No synchronization rule of job %s maps %s objects (it maps: %s). Provision only object types the job's object mappings enable.",
					jobID, objectType, sourceObjectsOrNothing(jobSchema.SourceObjectNames())))
			return
		}
		answer, err := a.data.API.ProvisionOnDemand(ctx, spID, jobID, ruleID, entra.OnDemandSubject{ObjectID: objectID, ObjectType: objectType})
		if err != nil {
			addGraphError(&resp.Diagnostics, fmt.Sprintf("provision %s %s on demand", objectType, objectID), err)
			return
		}
		res := parseOnDemandResponse(answer.Key, answer.Value, objectID)
		resp.SendProgress(action.InvokeProgressEvent{Message: onDemandProgressMessage(i+1, len(m.Subjects), objectType, objectID, res)})
		if onDemandFailed(res.Status) {
			failed = append(failed, fmt.Sprintf("%s %s: %s %s", objectType, objectID, res.ErrorCode, res.ErrorMessage))
		}
	}
	if len(failed) == 0 {
		return
	}
	summary, detail := "Some subjects failed to provision on demand", strings.Join(failed, "\n")
	if m.FailOnError.ValueBool() {
		resp.Diagnostics.AddError(summary, detail+"\n\nFix the cause (the error codes are the provisioning logs' ones) and invoke the action again.")
		return
	}
	resp.Diagnostics.AddWarning(summary, detail+"\n\nSet fail_on_error = true to make this an error.")
}

// onDemandProgressMessage is one subject's line, e.g.
// "[1/2] User 1111…: Success (Create)" or "… Failure: SchemaViolation: …".
func onDemandProgressMessage(n, total int, objectType, objectID string, r onDemandResult) string {
	msg := fmt.Sprintf("[%d/%d] %s %s: %s", n, total, objectType, objectID, r.Status)
	if r.Action != "" {
		msg += " (" + r.Action + ")"
	}
	if r.ErrorCode != "" || r.ErrorMessage != "" {
		msg += ": " + strings.TrimSpace(r.ErrorCode+" "+r.ErrorMessage)
	}
	return msg
}
