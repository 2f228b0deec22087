package app

import (
	"fmt"
	"regexp"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"
)

// Name is the binary name (fixed, see the product interface).
const Name = "entra-provisioning-exporter"

// options are the parsed command-line flags. Credentials are deliberately not
// flags: command lines are visible to every local user, so secrets come only
// from the environment (AZURE_CLIENT_SECRET, ...).
type options struct {
	web           *web.FlagConfig
	telemetryPath string
	log           promslog.Config
	// maxRequests bounds concurrent scrapes (0: unbounded);
	// disableExporterMetrics drops the go_* and process_* collectors.
	maxRequests            int
	disableExporterMetrics bool

	graphEndpoint        string
	authorityHost        string
	servicePrincipals    []string
	pollInterval         time.Duration
	discoveryInterval    time.Duration
	include, exclude     string
	discoveryFilter      string
	logsEnabled          bool
	logsOverlap          time.Duration
	logsLookback         time.Duration
	maxErrorCodes        int
	includeRe, excludeRe *regexp.Regexp
}

func parseFlags(args []string, version string) (*options, error) {
	a := kingpin.New(Name, "Prometheus exporter for Microsoft Entra ID application provisioning (SCIM) jobs.\n\n"+
		"Authenticates to Microsoft Graph from the environment: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "+
		"(or AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE for workload identity, AZURE_USE_MSI, AZURE_USE_CLI; "+
		"otherwise azidentity's default chain). Needs the application permissions Synchronization.Read.All, "+
		"Application.Read.All and AuditLog.Read.All.")
	a.Version(version)
	a.HelpFlag.Short('h')
	o := &options{}
	o.web = kingpinflag.AddFlags(a, ":9905")
	a.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").StringVar(&o.telemetryPath)
	a.Flag("web.max-requests", "Maximum number of parallel scrape requests. Use 0 to disable.").Default("40").IntVar(&o.maxRequests)
	a.Flag("web.disable-exporter-metrics", "Exclude metrics about the exporter process itself (process_*, go_*). The entra_provisioning_exporter_* metrics stay: the alerts need them.").
		BoolVar(&o.disableExporterMetrics)
	promslogflag.AddFlags(a, &o.log)

	a.Flag("graph.endpoint", "Microsoft Graph endpoint (without /v1.0). Default: the cloud's endpoint, or ENTRA_GRAPH_ENDPOINT.").
		Envar("ENTRA_GRAPH_ENDPOINT").StringVar(&o.graphEndpoint)
	a.Flag("graph.authority-host", "Entra authority host for tokens. Default: the cloud's authority, or ENTRA_AUTHORITY_HOST.").
		Envar("ENTRA_AUTHORITY_HOST").StringVar(&o.authorityHost)
	a.Flag("graph.service-principal-id", "Monitor only this service principal (object id); repeatable. Default: discover every service principal with a synchronization job.").
		StringsVar(&o.servicePrincipals)
	a.Flag("poll.interval", "How often job status and provisioning logs are read from Graph in the background.").
		Default("2m").DurationVar(&o.pollInterval)
	a.Flag("discovery.interval", "How often the tenant is searched for service principals with synchronization jobs.").
		Default("15m").DurationVar(&o.discoveryInterval)
	a.Flag("discovery.include", "Only monitor service principals whose display name matches this regular expression.").
		StringVar(&o.include)
	a.Flag("discovery.exclude", "Do not monitor service principals whose display name matches this regular expression.").
		StringVar(&o.exclude)
	a.Flag("discovery.graph-filter", "OData $filter for listing service principals, e.g. \"tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')\" in large tenants.").
		StringVar(&o.discoveryFilter)
	a.Flag("logs.enabled", "Read provisioning logs (/auditLogs/provisioning) for event and error counters. Needs AuditLog.Read.All and an Entra ID P1/P2 licence; disable with --no-logs.enabled.").
		Default("true").BoolVar(&o.logsEnabled)
	a.Flag("logs.overlap", "Re-read this much time before the newest event already read, because Graph ingests provisioning events late; duplicates are ignored.").
		Default("5m").DurationVar(&o.logsOverlap)
	a.Flag("logs.initial-lookback", "At start-up, count provisioning events from this long ago.").
		Default("0s").DurationVar(&o.logsLookback)
	a.Flag("logs.max-error-codes", "Distinct error_code label values per job on entra_provisioning_errors_total; that job's further codes are counted as \"other\".").
		Default("25").IntVar(&o.maxErrorCodes)

	if _, err := a.Parse(args); err != nil {
		return nil, err
	}
	if o.maxRequests < 0 {
		return nil, fmt.Errorf("--web.max-requests=%d must not be negative (0 disables the limit)", o.maxRequests)
	}
	if o.pollInterval < time.Second {
		return nil, fmt.Errorf("--poll.interval=%s is too short: use at least 1s (Graph throttles aggressive polling; 2m is the default)", o.pollInterval)
	}
	if o.discoveryInterval < o.pollInterval {
		return nil, fmt.Errorf("--discovery.interval=%s must not be shorter than --poll.interval=%s", o.discoveryInterval, o.pollInterval)
	}
	var err error
	if o.include != "" {
		if o.includeRe, err = regexp.Compile(o.include); err != nil {
			return nil, fmt.Errorf("--discovery.include is not a valid regular expression: %w", err)
		}
	}
	if o.exclude != "" {
		if o.excludeRe, err = regexp.Compile(o.exclude); err != nil {
			return nil, fmt.Errorf("--discovery.exclude is not a valid regular expression: %w", err)
		}
	}
	return o, nil
}
