// Package app wires the exporter together: flags, logging, the Graph client,
// the background poller and the HTTP server (exporter-toolkit: TLS and basic
// auth through --web.config.file, landing page). main only calls Run.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/collector"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/discovery"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/poller"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/telemetry"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Hooks let tests observe a running exporter.
type Hooks struct {
	// Listening is called with the bound addresses once the server listens.
	Listening func(addrs []string)
}

// shutdownTimeout bounds how long in-flight scrapes may take after SIGTERM.
const shutdownTimeout = 10 * time.Second

// Run runs the exporter until ctx is cancelled (main cancels it on SIGTERM
// or SIGINT), then shuts the server down gracefully.
func Run(ctx context.Context, args []string, logOut io.Writer, hooks Hooks) error {
	version.Version = Version
	o, err := parseFlags(args, version.Print(Name))
	if err != nil {
		return err
	}
	o.log.Writer = logOut
	logger := promslog.New(&o.log)
	logger.Info("starting "+Name, "version", version.Info(), "build_context", version.BuildContext())

	reg := prometheus.NewRegistry()
	reg.MustRegister(versioncollector.NewCollector("entra_provisioning_exporter"))
	if !o.disableExporterMetrics {
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	metrics := telemetry.New(reg)

	gcfg := graph.ConfigFromEnv("AZURE_")
	if o.graphEndpoint != "" {
		gcfg.GraphEndpoint = o.graphEndpoint
	}
	if o.authorityHost != "" {
		gcfg.AuthorityHost = o.authorityHost
	}
	gcfg.UserAgent = Name + "/" + Version
	gcfg.Logger = graph.SlogLogger(logger.With("component", "graph"))
	gcfg.OnResponse = func(ev graph.RequestEvent) { metrics.ObserveResponse(ev.StatusCode) }
	gcfg.OnBatchItem = func(ev graph.BatchItemEvent) { metrics.ObserveBatchItem(ev.StatusCode) }
	gc, err := graph.New(ctx, gcfg)
	if err != nil {
		return fmt.Errorf("configuring Microsoft Graph access: %w", err)
	}
	endpoint, authority, _, _ := gcfg.Endpoints()
	metrics.TenantInfo.WithLabelValues(gcfg.TenantID, cloudOf(endpoint)).Set(1)
	logger.Info("using Microsoft Graph", "graph_endpoint", endpoint, "authority_host", authority, "auth_method", string(gc.AuthMethod()))

	store := snapshot.New()
	cache := collector.NewCache(store)
	p := poller.New(graphapi.NewGraphClient(gc), store, metrics, logger.With("component", "poller"), poller.Config{
		PollInterval:      o.pollInterval,
		DiscoveryInterval: o.discoveryInterval,
		Discovery: discovery.Config{
			ServicePrincipalIDs: o.servicePrincipals,
			Include:             o.includeRe,
			Exclude:             o.excludeRe,
			GraphFilter:         o.discoveryFilter,
		},
		Logs: poller.LogConfig{
			Overlap:         o.logsOverlap,
			InitialLookback: o.logsLookback,
			MaxErrorCodes:   o.maxErrorCodes,
		},
		DisableLogs: !o.logsEnabled,
		OnUpdate:    cache.Refresh,
	})

	mux, err := newMux(o, limitRequests(cache.Handler(reg, logger), o.maxRequests), p.Ready)
	if err != nil {
		return err
	}
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	var listeners []net.Listener
	if !toolkitListens(o) {
		if listeners, err = listen(*o.web.WebListenAddresses); err != nil {
			return err
		}
	}

	runCtx, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		p.Run(runCtx)
	}()

	served := make(chan error, 1)
	addrs := *o.web.WebListenAddresses
	if listeners == nil {
		go func() { served <- web.ListenAndServe(server, o.web, logger) }()
	} else {
		go func() { served <- web.ServeMultiple(listeners, server, o.web, logger) }()
		addrs = make([]string, len(listeners))
		for i, l := range listeners {
			addrs[i] = l.Addr().String()
		}
	}
	logger.Info("listening", "addresses", addrs, "telemetry_path", o.telemetryPath)
	if hooks.Listening != nil {
		hooks.Listening(addrs)
	}

	select {
	case err := <-served:
		stopPolling()
		<-polled
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	stopPolling()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err = server.Shutdown(shutdownCtx)
	<-polled
	if err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	return nil
}

// Version is set at build time (-X .../exporter/app.Version=...).
var Version = "dev"

// newMux serves metrics (the exporter's own registry followed by the job
// metrics pre-rendered after each poll), a health check, a readiness check
// and the landing page.
func newMux(o *options, metrics http.Handler, ready func() bool) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	mux.Handle(o.telemetryPath, metrics)
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "OK\n") })
	mux.Handle("/-/ready", readyHandler(ready))
	if o.telemetryPath != "/" {
		landing, err := web.NewLandingPage(web.LandingConfig{
			Name:        Name,
			Description: "Prometheus exporter for Microsoft Entra ID application provisioning jobs. Values are polled from Microsoft Graph in the background and cached.",
			Version:     version.Info(),
			Links: []web.LandingLinks{
				{Address: o.telemetryPath, Text: "Metrics"},
				{Address: "/-/healthy", Text: "Health"},
				{Address: "/-/ready", Text: "Readiness"},
			},
		})
		if err != nil {
			return nil, fmt.Errorf("building the landing page: %w", err)
		}
		mux.Handle("/", landing)
	}
	return mux, nil
}

// toolkitListens reports whether exporter-toolkit must open the listeners
// itself: systemd socket activation and vsock addresses.
func toolkitListens(o *options) bool {
	if o.web.WebSystemdSocket != nil && *o.web.WebSystemdSocket {
		return true
	}
	for _, a := range *o.web.WebListenAddresses {
		if strings.HasPrefix(a, "vsock://") {
			return true
		}
	}
	return false
}

// listen opens every --web.listen-address up front so that a port already in
// use fails start-up with a clear error, and so that ":0" reports its port.
func listen(addrs []string) ([]net.Listener, error) {
	var ls []net.Listener
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			for _, prev := range ls {
				_ = prev.Close()
			}
			return nil, fmt.Errorf("--web.listen-address=%s: %w", a, err)
		}
		ls = append(ls, l)
	}
	return ls, nil
}
