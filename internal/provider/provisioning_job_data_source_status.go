package provider

import (
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Graph's placeholders for "never": .NET DateTime.MinValue and
// TimeSpan.MaxValue. They are reported as null, never as real values.
const (
	sentinelTimePrefix = "0001-01-01"
	sentinelInterval   = "P10675199DT2H48M5.4775807S"
)

type jobErrorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type jobExecutionJSON struct {
	State         string        `json:"state"`
	TimeBegan     *string       `json:"timeBegan"`
	TimeEnded     *string       `json:"timeEnded"`
	CountImported *int64        `json:"countImported"`
	CountExported *int64        `json:"countExported"`
	CountEscrowed *int64        `json:"countEscrowed"`
	Error         *jobErrorJSON `json:"error"`
}

type jobQuarantineJSON struct {
	Reason       string        `json:"reason"`
	CurrentBegan *string       `json:"currentBegan"`
	SeriesBegan  *string       `json:"seriesBegan"`
	SeriesCount  *int64        `json:"seriesCount"`
	NextAttempt  *string       `json:"nextAttempt"`
	Error        *jobErrorJSON `json:"error"`
}

// jobStatusJSON is the part of a synchronizationJob the data source reports.
type jobStatusJSON struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
	Schedule   *struct {
		Interval *string `json:"interval"`
		State    string  `json:"state"`
	} `json:"schedule"`
	Status *struct {
		Code                            string             `json:"code"`
		CountSuccessiveCompleteFailures *int64             `json:"countSuccessiveCompleteFailures"`
		LastExecution                   *jobExecutionJSON  `json:"lastExecution"`
		LastSuccessfulExecution         *jobExecutionJSON  `json:"lastSuccessfulExecution"`
		Quarantine                      *jobQuarantineJSON `json:"quarantine"`
		SteadyStateFirstAchievedTime    *string            `json:"steadyStateFirstAchievedTime"`
		SteadyStateLastAchievedTime     *string            `json:"steadyStateLastAchievedTime"`
	} `json:"status"`
}

// realTime returns a timestamp, or null for absent, empty and sentinel values.
func realTime(s *string) types.String {
	if s == nil {
		return types.StringNull()
	}
	v := strings.TrimSpace(*s)
	if v == "" || strings.HasPrefix(v, sentinelTimePrefix) {
		return types.StringNull()
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return types.StringValue(t.UTC().Format(time.RFC3339))
	}
	return types.StringValue(v)
}

// realInterval returns a schedule interval, or null for the "never" sentinel.
func realInterval(s *string) types.String {
	if s == nil || *s == "" || *s == sentinelInterval {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

func int64Or(p *int64) types.Int64 {
	if p == nil {
		return types.Int64Null()
	}
	return types.Int64Value(*p)
}

// jobErrorValues maps Graph's error object; {"code":"None","message":""}
// (seen on real failed runs) means no error.
func jobErrorValues(e *jobErrorJSON) (code, message types.String) {
	if e == nil || e.Code == "" || strings.EqualFold(e.Code, "None") {
		code = types.StringNull()
	} else {
		code = types.StringValue(e.Code)
	}
	if e == nil || e.Message == "" {
		message = types.StringNull()
	} else {
		message = types.StringValue(e.Message)
	}
	return code, message
}

func (j jobStatusJSON) toModel(m *provisioningJobDataModel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(j.ID)
	m.JobID = types.StringValue(j.ID)
	m.TemplateID = types.StringValue(j.TemplateID)
	m.ScheduleInterval, m.ScheduleState = types.StringNull(), types.StringNull()
	if s := j.Schedule; s != nil {
		m.ScheduleInterval = realInterval(s.Interval)
		m.ScheduleState = nullIfEmpty(s.State)
	}
	m.StatusCode = types.StringNull()
	m.ConsecutiveFailures = types.Int64Null()
	m.LastExecution = types.ObjectNull(jobExecutionAttrTypes)
	m.Quarantine = types.ObjectNull(jobQuarantineAttrTypes)
	m.LastSuccessfulExecutionEnd = types.StringNull()
	m.SteadyStateFirstAchieved, m.SteadyStateLastAchieved = types.StringNull(), types.StringNull()
	m.InSteadyState = types.BoolValue(false)
	st := j.Status
	if st == nil {
		return diags
	}
	m.StatusCode = nullIfEmpty(st.Code)
	m.ConsecutiveFailures = int64Or(st.CountSuccessiveCompleteFailures)
	m.SteadyStateFirstAchieved = realTime(st.SteadyStateFirstAchievedTime)
	m.SteadyStateLastAchieved = realTime(st.SteadyStateLastAchievedTime)
	m.InSteadyState = types.BoolValue(!m.SteadyStateLastAchieved.IsNull())
	if ls := st.LastSuccessfulExecution; ls != nil {
		m.LastSuccessfulExecutionEnd = realTime(ls.TimeEnded)
	}
	if e := st.LastExecution; e != nil && (e.State != "" || !realTime(e.TimeBegan).IsNull()) {
		code, msg := jobErrorValues(e.Error)
		obj, d := types.ObjectValue(jobExecutionAttrTypes, map[string]attr.Value{
			"state":          nullIfEmpty(e.State),
			"began":          realTime(e.TimeBegan),
			"ended":          realTime(e.TimeEnded),
			"count_imported": int64Or(e.CountImported),
			"count_exported": int64Or(e.CountExported),
			"count_escrowed": int64Or(e.CountEscrowed),
			"error_code":     code,
			"error_message":  msg,
		})
		diags.Append(d...)
		m.LastExecution = obj
	}
	if q := st.Quarantine; q != nil && (q.Reason != "" || !realTime(q.CurrentBegan).IsNull()) {
		code, msg := jobErrorValues(q.Error)
		obj, d := types.ObjectValue(jobQuarantineAttrTypes, map[string]attr.Value{
			"reason":        nullIfEmpty(q.Reason),
			"current_began": realTime(q.CurrentBegan),
			"series_began":  realTime(q.SeriesBegan),
			"series_count":  int64Or(q.SeriesCount),
			"next_attempt":  realTime(q.NextAttempt),
			"error_code":    code,
			"error_message": msg,
		})
		diags.Append(d...)
		m.Quarantine = obj
	}
	return diags
}
