package app

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// readyHandler answers 200 once ready reports true (the first poll that
// read every job's status from Graph) and 503 before, so that Kubernetes
// sends scrapes only to a replica whose job metrics reflect Graph rather
// than an empty start-up state. It never says why Graph failed: the
// reasons are in the logs and in entra_provisioning_exporter_* metrics.
func readyHandler(ready func() bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if ready() {
			_, _ = io.WriteString(w, "Ready\n")
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "Not ready: waiting for the first successful poll of the jobs' status from Microsoft Graph\n")
	})
}

// limitRequests answers 503 to scrapes beyond max running at once, as
// node_exporter's --web.max-requests does; max 0 means no limit.
func limitRequests(next http.Handler, max int) http.Handler {
	if max <= 0 {
		return next
	}
	slots := make(chan struct{}, max)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			next.ServeHTTP(w, r)
		default:
			http.Error(w, fmt.Sprintf("Limit of concurrent requests reached (%d), try again later.", max), http.StatusServiceUnavailable)
		}
	})
}

// graphClouds maps each national cloud's Graph host to the name
// tenant_info reports; any other endpoint (a proxy, the simulator) is
// "custom".
var graphClouds = map[string]string{
	"graph.microsoft.com":             "global",
	"graph.microsoft.us":              "usgovernment",
	"dod-graph.microsoft.us":          "usgovernment",
	"microsoftgraph.chinacloudapi.cn": "china",
}

func cloudOf(graphEndpoint string) string {
	u, err := url.Parse(graphEndpoint)
	if err != nil {
		return "custom"
	}
	if c, ok := graphClouds[strings.ToLower(u.Hostname())]; ok {
		return c
	}
	return "custom"
}
