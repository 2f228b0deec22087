package provider

import (
	"math"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// The job status is decoded by jobstatus (strictly: a data source reports a
// malformed answer instead of guessing), which also turns Graph's "never"
// sentinels into absent values; this file only maps it onto the model.

// timeValue formats a timestamp (unix seconds) as RFC 3339 in UTC, or null.
func timeValue(o jobstatus.Opt) types.String {
	if !o.Valid {
		return types.StringNull()
	}
	sec, frac := math.Modf(o.Value)
	return types.StringValue(time.Unix(int64(sec), int64(frac*1e9)).UTC().Format(time.RFC3339))
}

func countValue(o jobstatus.Opt) types.Int64 {
	if !o.Valid {
		return types.Int64Null()
	}
	return types.Int64Value(int64(o.Value))
}

// errorValues maps an error code and message; a code jobstatus.HasError
// rejects means no error.
func errorValues(code, message string) (types.String, types.String) {
	if !jobstatus.HasError(code) {
		return types.StringNull(), nullIfEmpty(message)
	}
	return types.StringValue(code), nullIfEmpty(message)
}

func jobStatusToModel(j *jobstatus.Job, m *provisioningJobDataModel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(j.ID)
	m.JobID = types.StringValue(j.ID)
	m.TemplateID = types.StringValue(j.TemplateID)
	m.ScheduleInterval = nullIfEmpty(j.ScheduleIntervalText)
	m.ScheduleState = nullIfEmpty(j.ScheduleState)
	m.StatusCode = nullIfEmpty(j.Code)
	m.ConsecutiveFailures = countValue(j.ConsecutiveFailures)
	m.SteadyStateFirstAchieved = timeValue(j.SteadyStateFirstAchieved)
	m.SteadyStateLastAchieved = timeValue(j.SteadyStateLastAchieved)
	m.InSteadyState = types.BoolValue(j.SteadyStateLastAchieved.Valid)
	m.LastSuccessfulExecutionEnd = types.StringNull()
	if ls := j.LastSuccessfulExecution; ls != nil {
		m.LastSuccessfulExecutionEnd = timeValue(ls.Ended)
	}
	m.LastExecution = types.ObjectNull(jobExecutionAttrTypes)
	if e := j.LastExecution; e != nil && (e.State != "" || e.Began.Valid) {
		code, msg := errorValues(e.ErrorCode, e.ErrorMessage)
		obj, d := types.ObjectValue(jobExecutionAttrTypes, map[string]attr.Value{
			"state":          nullIfEmpty(e.State),
			"began":          timeValue(e.Began),
			"ended":          timeValue(e.Ended),
			"count_imported": countValue(e.Imported),
			"count_exported": countValue(e.Exported),
			"count_escrowed": countValue(e.Escrowed),
			"error_code":     code,
			"error_message":  msg,
		})
		diags.Append(d...)
		m.LastExecution = obj
	}
	m.Quarantine = types.ObjectNull(jobQuarantineAttrTypes)
	if q := j.Quarantine; q != nil && (q.Reason != "" || q.CurrentBegan.Valid) {
		code, msg := errorValues(q.ErrorCode, q.ErrorMessage)
		obj, d := types.ObjectValue(jobQuarantineAttrTypes, map[string]attr.Value{
			"reason":        nullIfEmpty(q.Reason),
			"current_began": timeValue(q.CurrentBegan),
			"series_began":  timeValue(q.SeriesBegan),
			"series_count":  countValue(q.SeriesCount),
			"next_attempt":  timeValue(q.NextAttempt),
			"error_code":    code,
			"error_message": msg,
		})
		diags.Append(d...)
		m.Quarantine = obj
	}
	return diags
}
