package collector

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

const quarantined = `{"id":"scim.t.j1","templateId":"scim",
 "schedule":{"interval":"PT40M","state":"Active"},
 "status":{"code":"Quarantine","countSuccessiveCompleteFailures":4,
  "lastExecution":{"state":"Failed","timeBegan":"2026-11-20T10:00:00Z","timeEnded":"2026-11-20T10:00:30Z",
   "countEscrowed":3,"countExported":0,"countImported":10,"error":{"code":"HttpUnauthorized"}},
  "lastSuccessfulExecution":{"state":"Succeeded","timeBegan":"2026-11-19T09:00:00Z","timeEnded":"2026-11-19T09:01:00Z"},
  "quarantine":{"reason":"EncounteredQuarantineException","seriesBegan":"2026-11-20T08:00:00Z",
   "currentBegan":"2026-11-20T10:00:30Z","nextAttempt":"2026-11-20T12:00:00Z","error":{"code":"HttpUnauthorized"}},
  "steadyStateLastAchievedTime":"2026-11-19T09:01:00Z",
  "synchronizedEntryCountByType":[{"key":"user to User","value":5}]}}`

// A job created but never started: sentinel interval and times everywhere.
const fresh = `{"id":"scim.t.j2","templateId":"scim",
 "schedule":{"interval":"P10675199DT2H48M5.4775807S","state":"Disabled"},
 "status":{"code":"NotConfigured","countSuccessiveCompleteFailures":0,"quarantine":null,
  "lastExecution":null,"lastSuccessfulExecution":null,
  "steadyStateFirstAchievedTime":"0001-01-01T00:00:00Z","steadyStateLastAchievedTime":"0001-01-01T00:00:00Z"}}`

func mustParse(t *testing.T, raw string) *jobstatus.Job {
	t.Helper()
	j, err := jobstatus.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestCollectorPublishesJobStatus(t *testing.T) {
	store := snapshot.New()
	observed := time.Unix(1795000000, 0)
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp1", AppID: "app1", DisplayName: "myPolicies", ApplicationTemplateID: "tpl"},
		[]*jobstatus.Job{mustParse(t, quarantined)}, observed)
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp2", AppID: "app2", DisplayName: "Fresh app"},
		[]*jobstatus.Job{mustParse(t, fresh)}, observed)
	store.AddCounts(map[snapshot.EventKey]float64{
		{JobKey: snapshot.JobKey{ServicePrincipalID: "sp1", JobID: "scim.t.j1"}, Action: "create", Status: "failure"}: 2,
	}, map[snapshot.ErrorKey]float64{
		{JobKey: snapshot.JobKey{ServicePrincipalID: "sp1", JobID: "scim.t.j1"}, Code: "HttpUnauthorized"}: 2,
	})

	want := `
# HELP entra_provisioning_errors_total Failed provisioning-log events since the exporter started, by provisioningStatusInfo.errorInformation.errorCode; each job's codes beyond --logs.max-error-codes are counted as "other". Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_errors_total counter
entra_provisioning_errors_total{error_code="HttpUnauthorized",job_id="scim.t.j1",service_principal_id="sp1"} 2
# HELP entra_provisioning_events_total Provisioning-log events since the exporter started, by provisioningAction and provisioningStatusInfo.status. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_events_total counter
entra_provisioning_events_total{action="create",job_id="scim.t.j1",service_principal_id="sp1",status="failure"} 2
# HELP entra_provisioning_job_consecutive_failures Cycles in a row that failed completely (status.countSuccessiveCompleteFailures). Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_consecutive_failures gauge
entra_provisioning_job_consecutive_failures{job_id="scim.t.j1",service_principal_id="sp1"} 4
entra_provisioning_job_consecutive_failures{job_id="scim.t.j2",service_principal_id="sp2"} 0
# HELP entra_provisioning_job_info Always 1; labels name the job's service principal (enterprise application), its appId, application template and synchronization template. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_info gauge
entra_provisioning_job_info{app_id="app1",application_template_id="tpl",job_id="scim.t.j1",service_principal_id="sp1",service_principal_name="myPolicies",template_id="scim"} 1
entra_provisioning_job_info{app_id="app2",application_template_id="",job_id="scim.t.j2",service_principal_id="sp2",service_principal_name="Fresh app",template_id="scim"} 1
# HELP entra_provisioning_job_last_cycle_duration_seconds Duration of the last provisioning cycle (timeEnded - timeBegan of status.lastExecution). Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_last_cycle_duration_seconds gauge
entra_provisioning_job_last_cycle_duration_seconds{job_id="scim.t.j1",service_principal_id="sp1"} 30
# HELP entra_provisioning_job_last_cycle_error 1 while the last cycle reported an error; error_code is status.lastExecution.error.code. Absent when the last cycle had no error. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_last_cycle_error gauge
entra_provisioning_job_last_cycle_error{error_code="HttpUnauthorized",job_id="scim.t.j1",service_principal_id="sp1"} 1
# HELP entra_provisioning_job_last_cycle_error_info Deprecated: use entra_provisioning_job_last_cycle_error; removed in the next release. Same series under its old name. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_last_cycle_error_info gauge
entra_provisioning_job_last_cycle_error_info{error_code="HttpUnauthorized",job_id="scim.t.j1",service_principal_id="sp1"} 1
# HELP entra_provisioning_job_last_cycle_escrowed_entries Entries put into escrow (to retry later) by the last cycle (status.lastExecution.countEscrowed). Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_last_cycle_escrowed_entries gauge
entra_provisioning_job_last_cycle_escrowed_entries{job_id="scim.t.j1",service_principal_id="sp1"} 3
# HELP entra_provisioning_job_last_cycle_state State set of the last cycle's result (status.lastExecution.state): one series per state (Succeeded, Failed, EntryLevelErrors), 1 for the current one, 0 for the others. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_last_cycle_state gauge
entra_provisioning_job_last_cycle_state{job_id="scim.t.j1",service_principal_id="sp1",state="Succeeded"} 0
entra_provisioning_job_last_cycle_state{job_id="scim.t.j1",service_principal_id="sp1",state="Failed"} 1
entra_provisioning_job_last_cycle_state{job_id="scim.t.j1",service_principal_id="sp1",state="EntryLevelErrors"} 0
# HELP entra_provisioning_job_schedule_state State set of the job's schedule.state: one series per state (Active, Disabled, Paused), 1 for the current one, 0 for the others. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_schedule_state gauge
entra_provisioning_job_schedule_state{job_id="scim.t.j1",service_principal_id="sp1",state="Active"} 1
entra_provisioning_job_schedule_state{job_id="scim.t.j1",service_principal_id="sp1",state="Disabled"} 0
entra_provisioning_job_schedule_state{job_id="scim.t.j1",service_principal_id="sp1",state="Paused"} 0
entra_provisioning_job_schedule_state{job_id="scim.t.j2",service_principal_id="sp2",state="Active"} 0
entra_provisioning_job_schedule_state{job_id="scim.t.j2",service_principal_id="sp2",state="Disabled"} 1
entra_provisioning_job_schedule_state{job_id="scim.t.j2",service_principal_id="sp2",state="Paused"} 0
# HELP entra_provisioning_job_last_successful_cycle_timestamp_seconds Unix time the last successful cycle ended (status.lastSuccessfulExecution.timeEnded). Absent if no cycle ever succeeded. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_last_successful_cycle_timestamp_seconds gauge
entra_provisioning_job_last_successful_cycle_timestamp_seconds{job_id="scim.t.j1",service_principal_id="sp1"} 1.79507886e+09
# HELP entra_provisioning_job_quarantine_reason 1 while the job is quarantined; reason is status.quarantine.reason, error_code status.quarantine.error.code. Absent while not quarantined. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_quarantine_reason gauge
entra_provisioning_job_quarantine_reason{error_code="HttpUnauthorized",job_id="scim.t.j1",reason="EncounteredQuarantineException",service_principal_id="sp1"} 1
# HELP entra_provisioning_job_quarantine_info Deprecated: use entra_provisioning_job_quarantine_reason; removed in the next release. Same series under its old name. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_quarantine_info gauge
entra_provisioning_job_quarantine_info{error_code="HttpUnauthorized",job_id="scim.t.j1",reason="EncounteredQuarantineException",service_principal_id="sp1"} 1
# HELP entra_provisioning_job_quarantine_since_timestamp_seconds Unix time the job's quarantine series began (status.quarantine.seriesBegan, else currentBegan). Entra disables a job quarantined for four weeks. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_quarantine_since_timestamp_seconds gauge
entra_provisioning_job_quarantine_since_timestamp_seconds{job_id="scim.t.j1",service_principal_id="sp1"} 1.7951616e+09
# HELP entra_provisioning_job_quarantined 1 if the job is in quarantine (status.code = Quarantine), else 0. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_quarantined gauge
entra_provisioning_job_quarantined{job_id="scim.t.j1",service_principal_id="sp1"} 1
entra_provisioning_job_quarantined{job_id="scim.t.j2",service_principal_id="sp2"} 0
# HELP entra_provisioning_job_schedule_interval_seconds Time between incremental provisioning cycles (schedule.interval). Absent while Graph reports no schedule (TimeSpan.MaxValue). Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_schedule_interval_seconds gauge
entra_provisioning_job_schedule_interval_seconds{job_id="scim.t.j1",service_principal_id="sp1"} 2400
# HELP entra_provisioning_job_status State set of the job's status.code: one series per code (NotConfigured, NotRun, Active, Paused, Quarantine), 1 for the current one, 0 for the others. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_status gauge
entra_provisioning_job_status{code="NotConfigured",job_id="scim.t.j1",service_principal_id="sp1"} 0
entra_provisioning_job_status{code="NotRun",job_id="scim.t.j1",service_principal_id="sp1"} 0
entra_provisioning_job_status{code="Active",job_id="scim.t.j1",service_principal_id="sp1"} 0
entra_provisioning_job_status{code="Paused",job_id="scim.t.j1",service_principal_id="sp1"} 0
entra_provisioning_job_status{code="Quarantine",job_id="scim.t.j1",service_principal_id="sp1"} 1
entra_provisioning_job_status{code="NotConfigured",job_id="scim.t.j2",service_principal_id="sp2"} 1
entra_provisioning_job_status{code="NotRun",job_id="scim.t.j2",service_principal_id="sp2"} 0
entra_provisioning_job_status{code="Active",job_id="scim.t.j2",service_principal_id="sp2"} 0
entra_provisioning_job_status{code="Paused",job_id="scim.t.j2",service_principal_id="sp2"} 0
entra_provisioning_job_status{code="Quarantine",job_id="scim.t.j2",service_principal_id="sp2"} 0
# HELP entra_provisioning_job_steady_state_last_achieved_timestamp_seconds Unix time the job last reached steady state (status.steadyStateLastAchievedTime). Absent before the first steady state. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_steady_state_last_achieved_timestamp_seconds gauge
entra_provisioning_job_steady_state_last_achieved_timestamp_seconds{job_id="scim.t.j1",service_principal_id="sp1"} 1.79507886e+09
`
	names := []string{
		"entra_provisioning_errors_total", "entra_provisioning_events_total",
		"entra_provisioning_job_consecutive_failures", "entra_provisioning_job_info",
		"entra_provisioning_job_last_cycle_duration_seconds", "entra_provisioning_job_last_cycle_error_info",
		"entra_provisioning_job_last_cycle_escrowed_entries", "entra_provisioning_job_last_cycle_state",
		"entra_provisioning_job_last_successful_cycle_timestamp_seconds", "entra_provisioning_job_quarantine_info",
		"entra_provisioning_job_quarantine_since_timestamp_seconds", "entra_provisioning_job_quarantined",
		"entra_provisioning_job_schedule_interval_seconds", "entra_provisioning_job_status",
		"entra_provisioning_job_steady_state_last_achieved_timestamp_seconds",
		"entra_provisioning_job_schedule_state", "entra_provisioning_job_last_cycle_error", "entra_provisioning_job_quarantine_reason",
	}
	if err := testutil.CollectAndCompare(New(store), strings.NewReader(want), names...); err != nil {
		t.Fatal(err)
	}
}

func TestCollectorNeverExportsSentinels(t *testing.T) {
	store := snapshot.New()
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp2"}, []*jobstatus.Job{mustParse(t, fresh)}, time.Now())
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(New(store))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v := m.GetGauge().GetValue()
			// DateTime.MinValue is about -6.2e10 as a Unix time; TimeSpan.MaxValue about 9.2e11 seconds.
			if v < 0 || v > 1e11 {
				t.Errorf("%s exported sentinel-looking value %g", mf.GetName(), v)
			}
			if strings.Contains(mf.GetName(), "schedule_interval") || strings.Contains(mf.GetName(), "steady_state") ||
				strings.Contains(mf.GetName(), "last_cycle") || strings.Contains(mf.GetName(), "quarantine_") {
				t.Errorf("%s must be absent for a job that never ran", mf.GetName())
			}
		}
	}
}

// A status code Graph adds later must be exported as it comes, not dropped.
func TestCollectorUnknownStatusCodeIsKept(t *testing.T) {
	store := snapshot.New()
	j := mustParse(t, `{"id":"j","status":{"code":"Draining"}}`)
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp"}, []*jobstatus.Job{j}, time.Now())
	want := `
# HELP entra_provisioning_job_status State set of the job's status.code: one series per code (NotConfigured, NotRun, Active, Paused, Quarantine), 1 for the current one, 0 for the others. Cached from the last background poll of Graph, not fetched at scrape time.
# TYPE entra_provisioning_job_status gauge
entra_provisioning_job_status{code="NotConfigured",job_id="j",service_principal_id="sp"} 0
entra_provisioning_job_status{code="NotRun",job_id="j",service_principal_id="sp"} 0
entra_provisioning_job_status{code="Active",job_id="j",service_principal_id="sp"} 0
entra_provisioning_job_status{code="Paused",job_id="j",service_principal_id="sp"} 0
entra_provisioning_job_status{code="Quarantine",job_id="j",service_principal_id="sp"} 0
entra_provisioning_job_status{code="Draining",job_id="j",service_principal_id="sp"} 1
`
	if err := testutil.CollectAndCompare(New(store), strings.NewReader(want), "entra_provisioning_job_status"); err != nil {
		t.Fatal(err)
	}
}
