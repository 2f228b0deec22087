package app_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// firingFor reports whether alert name fires for the application called app.
func firingFor(alerts []promAlert, name, app string) bool {
	for _, a := range alerts {
		if a.Labels["alertname"] == name && a.Labels["service_principal_name"] == app && a.State == "firing" {
			return true
		}
	}
	return false
}

func firingAny(alerts []promAlert, name string) bool {
	for _, a := range alerts {
		if a.Labels["alertname"] == name && a.State == "firing" {
			return true
		}
	}
	return false
}

// TestPrometheusSeesSilentFailures drives, through graphsim, the failure
// modes that used to raise nothing, and checks with Debian's Prometheus
// running the shipped rules (for: shortened to 1s) that each fires with the
// application's name: a paused job, a job Entra disabled after four weeks
// in quarantine (graphsim's clock), a failed deprovisioning of a leaver, a
// deleted application; then Graph failing (data stale: job alerts go
// silent, DataStale fires) and the exporter stopping (ExporterDown).
func TestPrometheusSeesSilentFailures(t *testing.T) {
	requirePrometheus(t)
	env := simtest.Start(t, graphsim.Options{Users: 8, Groups: 1})
	env.Setenv(t)
	paused := simfixture.NewApp(t, env, "Paused app", "paused", 1, true)
	disabled := simfixture.NewApp(t, env, "Disabled app", "disabled", 1, true)
	leaver := simfixture.NewApp(t, env, "Leaver app", "leaver", 3, true)
	gone := simfixture.NewApp(t, env, "Deleted app", "gone", 1, true)
	simfixture.RunEngine(t, env, 0)
	simfixture.PauseJob(t, env, paused)

	e := startExporter(t, "--poll.interval=2s", "--discovery.interval=2s", "--logs.initial-lookback=1h")
	prom := startPrometheus(t, strings.TrimPrefix(e.url, "http://"))
	waitSeries(t, prom, `count(entra_provisioning_job_info)`, 4)

	prom.waitAlerts(t, "EntraProvisioningJobPaused for the paused app", func(al []promAlert) bool {
		return firingFor(al, "EntraProvisioningJobPaused", paused.Name)
	})

	// Quarantine, then four weeks of daily retries: Entra disables the job.
	simfixture.SetTarget(t, env, "disabled", "401")
	for range 3 {
		simfixture.RunEngine(t, env, 40*time.Minute)
	}
	prom.waitAlerts(t, "EntraProvisioningJobQuarantined for the failing app", func(al []promAlert) bool {
		return firingFor(al, "EntraProvisioningJobQuarantined", disabled.Name)
	})
	for range 29 {
		simfixture.RunEngine(t, env, 24*time.Hour)
	}
	al := prom.waitAlerts(t, "EntraProvisioningJobDisabled after four weeks of quarantine", func(al []promAlert) bool {
		return firingFor(al, "EntraProvisioningJobDisabled", disabled.Name)
	})
	for _, a := range al {
		if a.Labels["alertname"] == "EntraProvisioningJobDisabled" && a.Labels["severity"] != "critical" {
			t.Errorf("JobDisabled severity %q, want critical", a.Labels["severity"])
		}
	}
	prom.waitAlerts(t, "the quarantine alert to give way to JobDisabled", func(al []promAlert) bool {
		return !firingFor(al, "EntraProvisioningJobQuarantined", disabled.Name)
	})

	// A leaver whose account the target refuses to disable.
	simfixture.SetTarget(t, env, "leaver", "500")
	simfixture.Unassign(t, env, leaver)
	simfixture.RunEngine(t, env, 40*time.Minute)
	al = prom.waitAlerts(t, "EntraProvisioningDeprovisioningFailures for the leaver app", func(al []promAlert) bool {
		return firingFor(al, "EntraProvisioningDeprovisioningFailures", leaver.Name)
	})
	for _, a := range al {
		if a.Labels["alertname"] == "EntraProvisioningDeprovisioningFailures" && a.Labels["action"] != "disable" && a.Labels["action"] != "delete" {
			t.Errorf("deprovisioning alert action %q", a.Labels["action"])
		}
	}

	// The application is deleted: its job vanishes, named by its last known name.
	simfixture.DeleteServicePrincipal(t, env, gone)
	prom.waitAlerts(t, "EntraProvisioningJobVanished for the deleted app", func(al []promAlert) bool {
		return firingFor(al, "EntraProvisioningJobVanished", gone.Name)
	})

	// Graph fails: the data goes stale and job alerts fall silent instead
	// of freezing (or storming later).
	if err := env.Admin.SetFaults("error=1,retry-after=0s"); err != nil {
		t.Fatal(err)
	}
	prom.waitAlerts(t, "EntraProvisioningExporterDataStale while Graph fails", func(al []promAlert) bool {
		return firingAny(al, "EntraProvisioningExporterDataStale") && !firingFor(al, "EntraProvisioningJobPaused", paused.Name)
	})
	if err := env.Admin.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	prom.waitAlerts(t, "job alerts back once Graph answers", func(al []promAlert) bool {
		return !firingAny(al, "EntraProvisioningExporterDataStale") && firingFor(al, "EntraProvisioningJobPaused", paused.Name)
	})

	// The exporter goes away.
	for _, silent := range []string{"EntraProvisioningExporterDown", "EntraProvisioningNoJobsDiscovered", "EntraProvisioningExporterAbsent"} {
		if firingAny(prom.alerts(t), silent) {
			t.Errorf("%s fires while the exporter is up and reports jobs", silent)
		}
	}
	e.stop()
	prom.waitAlerts(t, "EntraProvisioningExporterDown", func(al []promAlert) bool {
		return firingAny(al, "EntraProvisioningExporterDown")
	})
}

// waitSeries waits until the instant query returns want.
func waitSeries(t *testing.T, prom *prometheusServer, query string, want float64) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		var res struct {
			Result []struct {
				Value [2]json.RawMessage `json:"value"`
			} `json:"result"`
		}
		prom.api(t, "/api/v1/query?query="+url.QueryEscape(query), &res)
		if len(res.Result) == 1 {
			var s string
			if json.Unmarshal(res.Result[0].Value[1], &s) == nil {
				if v, err := strconv.ParseFloat(s, 64); err == nil && v == want {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never returned %v", query, want)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestPrometheusSeesNoJobsDiscovered: a discovery filter that matches
// nothing (a typo) leaves the exporter healthy with zero jobs; the real
// Prometheus fires EntraProvisioningNoJobsDiscovered.
func TestPrometheusSeesNoJobsDiscovered(t *testing.T) {
	requirePrometheus(t)
	env := simtest.Start(t, graphsim.Options{Users: 2, Groups: 1})
	env.Setenv(t)
	simfixture.NewApp(t, env, "myPolicies", "nojobs", 1, true)
	e := startExporter(t, "--poll.interval=2s", "--discovery.interval=2s", "--no-logs.enabled", "--discovery.include=^myPolicy$")
	prom := startPrometheus(t, strings.TrimPrefix(e.url, "http://"))
	prom.waitAlerts(t, "EntraProvisioningNoJobsDiscovered", func(al []promAlert) bool {
		return firingAny(al, "EntraProvisioningNoJobsDiscovered") && !firingAny(al, "EntraProvisioningExporterCannotPoll")
	})
}
