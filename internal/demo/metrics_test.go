package demo

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// sampleScrape is a trimmed scrape of the exporter during a demo: one
// healthy job and one quarantined by a wrong token.
const sampleScrape = `# HELP entra_provisioning_job_info Names the job's application and templates.
# TYPE entra_provisioning_job_info gauge
entra_provisioning_job_info{app_id="a1",application_template_id="t",job_id="scim.t.good",service_principal_id="sp-good",service_principal_name="Apty (demo)",template_id="scim"} 1
entra_provisioning_job_info{app_id="a2",application_template_id="t",job_id="scim.t.bad",service_principal_id="sp-bad",service_principal_name="&Money Advisors (demo)",template_id="scim"} 1
# TYPE entra_provisioning_job_status gauge
entra_provisioning_job_status{code="Active",job_id="scim.t.good",service_principal_id="sp-good"} 1
entra_provisioning_job_status{code="Quarantine",job_id="scim.t.good",service_principal_id="sp-good"} 0
entra_provisioning_job_status{code="Active",job_id="scim.t.bad",service_principal_id="sp-bad"} 0
entra_provisioning_job_status{code="Quarantine",job_id="scim.t.bad",service_principal_id="sp-bad"} 1
# TYPE entra_provisioning_job_last_cycle_state gauge
entra_provisioning_job_last_cycle_state{job_id="scim.t.good",service_principal_id="sp-good",state="Succeeded"} 1
entra_provisioning_job_last_cycle_state{job_id="scim.t.good",service_principal_id="sp-good",state="Failed"} 0
entra_provisioning_job_last_cycle_state{job_id="scim.t.bad",service_principal_id="sp-bad",state="Succeeded"} 0
entra_provisioning_job_last_cycle_state{job_id="scim.t.bad",service_principal_id="sp-bad",state="Failed"} 1
# TYPE entra_provisioning_job_consecutive_failures gauge
entra_provisioning_job_consecutive_failures{job_id="scim.t.good",service_principal_id="sp-good"} 0
entra_provisioning_job_consecutive_failures{job_id="scim.t.bad",service_principal_id="sp-bad"} 4
# TYPE entra_provisioning_job_quarantined gauge
entra_provisioning_job_quarantined{job_id="scim.t.good",service_principal_id="sp-good"} 0
entra_provisioning_job_quarantined{job_id="scim.t.bad",service_principal_id="sp-bad"} 1
# TYPE entra_provisioning_job_quarantine_info gauge
entra_provisioning_job_quarantine_info{error_code="SystemForCrossDomainIdentityManagementUnauthorized",job_id="scim.t.bad",reason="EncounteredQuarantineException",service_principal_id="sp-bad"} 1
# TYPE entra_provisioning_job_last_cycle_error_info gauge
entra_provisioning_job_last_cycle_error_info{error_code="SystemForCrossDomainIdentityManagementUnauthorized",job_id="scim.t.bad",service_principal_id="sp-bad"} 1
# TYPE entra_provisioning_events_total counter
entra_provisioning_events_total{action="create",job_id="scim.t.good",service_principal_id="sp-good",status="success"} 7
entra_provisioning_events_total{action="update",job_id="scim.t.good",service_principal_id="sp-good",status="success"} 2
entra_provisioning_events_total{action="create",job_id="scim.t.bad",service_principal_id="sp-bad",status="failure"} 3
# TYPE entra_provisioning_exporter_jobs gauge
entra_provisioning_exporter_jobs 2
# TYPE entra_provisioning_exporter_poll_success gauge
entra_provisioning_exporter_poll_success 1
`

var sampleApps = []demoApp{
	{Key: "apty", DisplayName: "Apty (demo)", ServicePrincipalID: "sp-good", JobID: "scim.t.good", TenantURL: "https://127.0.0.1:1/_sim/scim/apty/"},
	{Key: wrongTokenApp, DisplayName: "&Money Advisors (demo)", ServicePrincipalID: "sp-bad", JobID: "scim.t.bad", TenantURL: "https://127.0.0.1:1/_sim/scim/andmoney-advisors/"},
}

func TestJobViewFromScrape(t *testing.T) {
	m, err := parseMetrics([]byte(sampleScrape))
	if err != nil {
		t.Fatal(err)
	}
	good := m.job(jobKey{"sp-good", "scim.t.good"})
	if !good.Observed || good.Status != "Active" || good.LastCycle != "Succeeded" || good.Quarantined || good.ErrorCode != "" ||
		good.EventsOK != 9 || good.EventsFailed != 0 {
		t.Errorf("healthy job read as %+v", good)
	}
	bad := m.job(jobKey{"sp-bad", "scim.t.bad"})
	if bad.Status != "Quarantine" || !bad.Quarantined || bad.ConsecutiveFailures != 4 ||
		bad.QuarantineReason != "EncounteredQuarantineException" || bad.ErrorCode != "SystemForCrossDomainIdentityManagementUnauthorized" ||
		bad.EventsOK != 0 || bad.EventsFailed != 3 {
		t.Errorf("quarantined job read as %+v", bad)
	}
	if m.job(jobKey{"sp-other", "x"}).Observed {
		t.Error("a job absent from the scrape reads as observed")
	}
	if got := m.scalar("entra_provisioning_exporter_jobs"); got != 2 {
		t.Errorf("exporter_jobs = %g", got)
	}
	lines := m.linesFor("sp-bad", "entra_provisioning_job_quarantined")
	if len(lines) != 1 || !strings.HasSuffix(lines[0], "} 1") {
		t.Errorf("quarantined lines for sp-bad = %q", lines)
	}
}

func TestParseMetricsRejectsGarbage(t *testing.T) {
	if _, err := parseMetrics([]byte("<html>not metrics</html>\n")); err == nil {
		t.Fatal("an HTML page parsed as metrics")
	}
}

func TestOutcomeReached(t *testing.T) {
	m, _ := parseMetrics([]byte(sampleScrape))
	if ok, why := outcomeReached(m, sampleApps); !ok {
		t.Fatalf("outcome not reached: %s", why)
	}
	// Before the third failure the wrong-token job is not quarantined yet.
	early := strings.NewReplacer(
		`entra_provisioning_job_quarantined{job_id="scim.t.bad",service_principal_id="sp-bad"} 1`,
		`entra_provisioning_job_quarantined{job_id="scim.t.bad",service_principal_id="sp-bad"} 0`).Replace(sampleScrape)
	m, _ = parseMetrics([]byte(early))
	if ok, why := outcomeReached(m, sampleApps); ok || !strings.Contains(why, "not yet quarantined") {
		t.Fatalf("early scrape: ok=%v why=%q", ok, why)
	}
	// A job the exporter has not discovered yet.
	more := append([]demoApp{{Key: "mypolicies", DisplayName: "myPolicies (demo)", ServicePrincipalID: "sp-new", JobID: "j"}}, sampleApps...)
	m, _ = parseMetrics([]byte(sampleScrape))
	if ok, why := outcomeReached(m, more); ok || !strings.Contains(why, "not yet discovered") {
		t.Fatalf("undiscovered job: ok=%v why=%q", ok, why)
	}
}

func TestSummaryNamesAppsStatusesMetricsAndAlerts(t *testing.T) {
	m, _ := parseMetrics([]byte(sampleScrape))
	o := &observation{
		apps: sampleApps, wrongApp: wrongTokenApp, metrics: m, prometheus: true,
		scimUsers: map[string]int{"apty": 7, "andmoney-advisors": 0},
		alerts: []promAlert{{
			Labels:      map[string]string{"alertname": "EntraProvisioningJobQuarantined", "service_principal_id": "sp-bad"},
			Annotations: map[string]string{"summary": "Provisioning job of &Money Advisors (demo) is in quarantine"},
			State:       "firing",
		}, {
			Labels: map[string]string{"alertname": "EntraProvisioningJobConsecutiveFailures", "service_principal_id": "sp-bad"},
			State:  "pending",
		}},
		ruleWaits: map[string]ruleWait{
			"EntraProvisioningJobQuarantined":         {Shipped: 5 * time.Minute, Demo: time.Second},
			"EntraProvisioningJobConsecutiveFailures": {Shipped: 10 * time.Minute, Demo: time.Second},
		},
		speed: 600,
	}
	var b bytes.Buffer
	printSummary(&b, o)
	out := b.String()
	for _, want := range []string{
		"Apty (demo)", "&Money Advisors (demo)", "Quarantine", "Succeeded",
		"SystemForCrossDomainIdentityManagementUnauthorized", "wrong token on purpose",
		`entra_provisioning_job_quarantined{job_id="scim.t.bad",service_principal_id="sp-bad"} 1`,
		"FIRING   EntraProvisioningJobQuarantined  &Money Advisors (demo)  (shipped rule: for 5m; demo copy: for 1s)",
		"PENDING  EntraProvisioningJobConsecutiveFailures  &Money Advisors (demo)  (pending; shipped rule: for 10m; demo copy: for 1s)",
		"demo copy of exporter/alerts/rules.yml", "runs 600× faster, so the copy divides every for: by 600", "the shipped file is unchanged",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// Key metric lines are quoted for the failing app only.
	if strings.Contains(out, `entra_provisioning_job_quarantined{job_id="scim.t.good"`) {
		t.Errorf("summary quotes the healthy job's quarantine line:\n%s", out)
	}

	o.prometheus, o.alerts = false, nil
	b.Reset()
	printSummary(&b, o)
	if !strings.Contains(b.String(), "Prometheus is not installed") || !strings.Contains(b.String(), "EntraProvisioningJobQuarantined") ||
		!strings.Contains(b.String(), "held for 5m.") {
		t.Errorf("summary without Prometheus does not name the alert:\n%s", b.String())
	}
}

func TestScimTargetNameAndShortJobID(t *testing.T) {
	if got := scimTargetName("https://127.0.0.1:9/_sim/scim/andmoney-advisors/"); got != "andmoney-advisors" {
		t.Errorf("scimTargetName = %q", got)
	}
	if got := scimTargetName("https://scim.example.com/v2"); got != "" {
		t.Errorf("scimTargetName of a real URL = %q", got)
	}
	if got := shortJobID("scim.0a1b2c.5b1f-aa"); got != "scim…5b1f-aa" {
		t.Errorf("shortJobID = %q", got)
	}
	if got := shortJobID("odd"); got != "odd" {
		t.Errorf("shortJobID(odd) = %q", got)
	}
}
