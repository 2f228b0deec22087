package demo

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/prometheus/common/model"
)

// scimTargetName extracts {name} from a simulator tenant URL
// https://host/_sim/scim/{name}/ ("" for any other URL).
func scimTargetName(tenantURL string) string {
	_, rest, ok := strings.Cut(tenantURL, "/_sim/scim/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// keyMetrics are the exporter metrics the summary quotes, per job.
var keyMetrics = []string{
	"entra_provisioning_job_quarantined",
	"entra_provisioning_job_consecutive_failures",
	"entra_provisioning_job_quarantine_info",
	"entra_provisioning_job_last_cycle_error_info",
	"entra_provisioning_errors_total", // from the provisioning logs
}

// printSummary writes the human summary of one demo run.
func printSummary(w io.Writer, o *observation) {
	fmt.Fprintf(w, "\n=== Demo summary (%s so far; terraform apply took %s) ===\n\n",
		o.realElapsed.Round(time.Second), o.applyTook.Round(100*time.Millisecond))

	fmt.Fprintf(w, "Configured with Terraform (examples/demo):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  APP\tSERVICE PRINCIPAL\tJOB\tSCIM TENANT URL")
	for _, a := range o.apps {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.DisplayName, a.ServicePrincipalID, shortJobID(a.JobID), a.TenantURL)
	}
	tw.Flush()

	fmt.Fprintf(w, "\nProvisioning jobs after %s of simulated time (a first cycle at start, then one every 40 minutes):\n",
		o.simElapsed.Round(time.Minute))
	var table strings.Builder
	tw = tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  APP\tSTATUS\tLAST CYCLE\tFAILED IN A ROW\tUSERS AT SCIM TARGET\tLOG EVENTS OK/FAILED\tDETAIL")
	for _, a := range o.apps {
		j := o.metrics.job(jobKey{a.ServicePrincipalID, a.JobID})
		detail := ""
		if j.ErrorCode != "" {
			detail = "error " + j.ErrorCode
		}
		if j.QuarantineReason != "" {
			detail += ", quarantine reason " + j.QuarantineReason
		}
		if a.Key == o.wrongApp {
			detail += " (wrong token on purpose)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%g\t%d\t%g/%g\t%s\n", a.DisplayName, j.Status, j.LastCycle, j.ConsecutiveFailures,
			o.scimUsers[scimTargetName(a.TenantURL)], j.EventsOK, j.EventsFailed, strings.TrimPrefix(detail, ", "))
	}
	tw.Flush()
	// An empty last column leaves padding behind: trim it.
	for _, line := range strings.Split(strings.TrimRight(table.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}

	fmt.Fprintf(w, "\nKey metric lines (entra-provisioning-exporter /metrics):\n")
	for _, a := range o.apps {
		if a.Key != o.wrongApp {
			continue
		}
		for _, line := range o.metrics.linesFor(a.ServicePrincipalID, keyMetrics...) {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	for _, line := range o.metrics.linesFor("", "entra_provisioning_exporter_jobs", "entra_provisioning_exporter_poll_success") {
		fmt.Fprintf(w, "  %s\n", line)
	}

	printAlerts(w, o)
}

// printAlerts shows Prometheus's view of the shipped rules, or the metric
// the quarantine alert is based on when Prometheus is not installed.
func printAlerts(w io.Writer, o *observation) {
	const quarantineAlert = "EntraProvisioningJobQuarantined"
	if !o.prometheus {
		fmt.Fprintf(w, "\nAlerts: Prometheus is not installed (or -prometheus=none), so the rules were not evaluated. entra_provisioning_job_quarantined == 1\n"+
			"above is what %s (%s) fires on once it has held for %s.\n", quarantineAlert, alertRulesFile, shortDuration(o.ruleWaits[quarantineAlert].Shipped))
		return
	}
	// Prometheus counts `for:` in real time while the simulator runs
	// o.speed times faster: say which durations the demo used and why.
	fmt.Fprintf(w, "\nAlerts raised by Prometheus from a demo copy of %s. Prometheus counts for: in real time while\n"+
		"the simulator runs %g× faster, so the copy divides every for: by %g (rounded up to whole seconds); the shipped file is unchanged:\n",
		alertRulesFile, o.speed, o.speed)
	names := map[string]string{}
	for _, a := range o.apps {
		names[a.ServicePrincipalID] = a.DisplayName
	}
	for _, a := range o.alerts {
		who := names[a.Labels["service_principal_id"]]
		if who == "" {
			who = a.Labels["service_principal_name"]
		}
		wait := o.ruleWaits[a.Labels["alertname"]]
		when := fmt.Sprintf("shipped rule: for %s; demo copy: for %s", shortDuration(wait.Shipped), shortDuration(wait.Demo))
		if a.State == "pending" {
			when = "pending; " + when
		}
		fmt.Fprintf(w, "  %-8s %s  %s  (%s)\n", strings.ToUpper(a.State), a.Labels["alertname"], who, when)
		if s := a.Annotations["summary"]; s != "" {
			fmt.Fprintf(w, "           %s\n", s)
		}
	}
}

// shortDuration prints durations as rule files write them: 5m, not 5m0s.
func shortDuration(d time.Duration) string { return model.Duration(d).String() }

// shortJobID keeps the template prefix and the last segment of a job id
// (scim.<tenant>.<guid> → scim…<guid>) so the table stays readable.
func shortJobID(id string) string {
	parts := strings.Split(id, ".")
	if len(parts) != 3 {
		return id
	}
	return parts[0] + "…" + parts[2]
}
