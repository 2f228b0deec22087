package demo

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// exporterPollInterval is short so the demo sees cycles within seconds;
// production keeps the 2m default (Graph throttles aggressive polling).
const exporterPollInterval = 2 * time.Second

// exporter is the running entra-provisioning-exporter.
type exporter struct {
	*process
	metricsURL string
}

// startExporter runs the exporter against the simulator on a free port.
// Credentials go through the environment, as in production: never flags.
func startExporter(binDir, workDir string, r simReady) (*exporter, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	env := append(withoutVars(os.Environ(), "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_USERNAME"),
		"AZURE_TENANT_ID="+r.TenantID,
		"AZURE_CLIENT_ID="+r.ClientID,
		"AZURE_CLIENT_SECRET="+r.ClientSecret,
		"SSL_CERT_FILE="+r.CAFile,
	)
	p, err := startProcess("exporter", workDir, nil, env, binDir+"/"+exporterBinary,
		"--web.listen-address="+addr,
		"--graph.endpoint="+r.GraphEndpoint,
		"--graph.authority-host="+r.AuthorityHost,
		"--poll.interval="+exporterPollInterval.String(),
		"--discovery.interval="+exporterPollInterval.String(),
	)
	if err != nil {
		return nil, err
	}
	return &exporter{process: p, metricsURL: "http://" + addr + "/metrics"}, nil
}

// scrape fetches and parses /metrics.
func (e *exporter) scrape(ctx context.Context) (*metricSet, error) {
	if e.exited() {
		return nil, fmt.Errorf("the exporter exited (%v); its log (%s):\n%s", e.err, e.logPath, e.tail(20))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.metricsURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("scraping %s: %w", e.metricsURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scraping %s: HTTP %d", e.metricsURL, resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return parseMetrics(body)
}

// freeLoopbackAddr picks a free port on 127.0.0.1. Another process could
// take it before the child binds it; the child's bind error then says so.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free loopback port: %w", err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}
