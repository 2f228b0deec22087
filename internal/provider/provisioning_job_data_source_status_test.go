package provider

import (
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A job as Graph returns it right after create: placeholders everywhere.
const freshJobJSON = `{"id":"scim.0a1b.c2d3","templateId":"scim",
 "schedule":{"expiration":null,"interval":"P10675199DT2H48M5.4775807S","state":"Disabled"},
 "status":{"code":"NotConfigured","countSuccessiveCompleteFailures":0,"escrowsPruned":false,
  "lastExecution":null,"lastSuccessfulExecution":null,"quarantine":null,
  "steadyStateFirstAchievedTime":"0001-01-01T00:00:00Z","steadyStateLastAchievedTime":"0001-01-01T00:00:00Z"}}`

// A quarantined job after failed cycles.
const quarantinedJobJSON = `{"id":"scim.0a1b.c2d3","templateId":"scim",
 "schedule":{"interval":"PT40M","state":"Active"},
 "status":{"code":"Quarantine","countSuccessiveCompleteFailures":4,
  "lastExecution":{"state":"Failed","timeBegan":"2026-11-25T10:00:00.1234567Z","timeEnded":"2026-11-25T10:00:03Z",
   "countImported":25,"countExported":0,"countEscrowed":25,"error":{"code":"SystemForCrossDomainIdentityManagementCredentialValidationUnavailable","message":"401 from target","tenantActionable":true}},
  "lastSuccessfulExecution":{"state":"Succeeded","timeBegan":"2026-11-24T09:00:00Z","timeEnded":"2026-11-24T09:01:00Z"},
  "quarantine":{"currentBegan":"2026-11-25T10:00:03Z","nextAttempt":"2026-11-25T11:00:03Z","reason":"EncounteredQuarantineException",
   "seriesBegan":"2026-11-25T08:00:00Z","seriesCount":2,"error":{"code":"None","message":""}},
  "steadyStateFirstAchievedTime":"2026-11-24T09:01:00Z","steadyStateLastAchievedTime":"0001-01-01T00:00:00Z"}}`

func decodeJob(t *testing.T, s string) provisioningJobDataModel {
	t.Helper()
	j, err := jobstatus.Parse([]byte(s), jobstatus.Strict())
	if err != nil {
		t.Fatal(err)
	}
	var m provisioningJobDataModel
	if diags := jobStatusToModel(j, &m); diags.HasError() {
		t.Fatalf("toModel: %v", diags)
	}
	return m
}

func TestJobStatusSentinelsBecomeNull(t *testing.T) {
	m := decodeJob(t, freshJobJSON)
	if !m.ScheduleInterval.IsNull() {
		t.Errorf("schedule_interval = %s, want null for TimeSpan.MaxValue", m.ScheduleInterval)
	}
	if !m.SteadyStateFirstAchieved.IsNull() || !m.SteadyStateLastAchieved.IsNull() {
		t.Errorf("steady state times = %s/%s, want null for 0001-01-01", m.SteadyStateFirstAchieved, m.SteadyStateLastAchieved)
	}
	if m.InSteadyState.ValueBool() {
		t.Error("in_steady_state = true for a job that never reached it")
	}
	if !m.LastExecution.IsNull() || !m.Quarantine.IsNull() {
		t.Error("last_execution and quarantine must be null before the first run")
	}
	if m.StatusCode.ValueString() != "NotConfigured" || m.ScheduleState.ValueString() != "Disabled" || m.ConsecutiveFailures.ValueInt64() != 0 {
		t.Errorf("status = %s, state = %s, failures = %s", m.StatusCode, m.ScheduleState, m.ConsecutiveFailures)
	}
}

func TestJobStatusQuarantine(t *testing.T) {
	m := decodeJob(t, quarantinedJobJSON)
	if m.ScheduleInterval.ValueString() != "PT40M" || m.StatusCode.ValueString() != "Quarantine" || m.ConsecutiveFailures.ValueInt64() != 4 {
		t.Errorf("interval %s, status %s, failures %s", m.ScheduleInterval, m.StatusCode, m.ConsecutiveFailures)
	}
	exec := m.LastExecution.Attributes()
	if exec["state"].(types.String).ValueString() != "Failed" ||
		exec["began"].(types.String).ValueString() != "2026-11-25T10:00:00Z" ||
		exec["count_escrowed"].(types.Int64).ValueInt64() != 25 ||
		exec["error_code"].(types.String).ValueString() != "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable" {
		t.Errorf("last_execution = %v", exec)
	}
	q := m.Quarantine.Attributes()
	if q["reason"].(types.String).ValueString() != "EncounteredQuarantineException" || q["series_count"].(types.Int64).ValueInt64() != 2 {
		t.Errorf("quarantine = %v", q)
	}
	if !q["error_code"].(types.String).IsNull() || !q["error_message"].(types.String).IsNull() {
		t.Errorf(`quarantine error {"code":"None","message":""} must be null, got %v / %v`, q["error_code"], q["error_message"])
	}
	if m.LastSuccessfulExecutionEnd.ValueString() != "2026-11-24T09:01:00Z" {
		t.Errorf("last_successful_execution_ended = %s", m.LastSuccessfulExecutionEnd)
	}
	if m.SteadyStateFirstAchieved.ValueString() != "2026-11-24T09:01:00Z" || !m.SteadyStateLastAchieved.IsNull() || m.InSteadyState.ValueBool() {
		t.Errorf("steady state first %s last %s in %s", m.SteadyStateFirstAchieved, m.SteadyStateLastAchieved, m.InSteadyState)
	}
}
