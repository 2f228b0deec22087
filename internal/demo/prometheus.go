package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// alertRulesFile are the alert rules the exporter ships.
const alertRulesFile = "exporter/alerts/rules.yml"

// prometheusServer is a Prometheus loaded with the shipped alert rules
// (time-scaled to the simulator's clock, see scaleAlertRules), scraping the
// exporter every second, so the demo shows which alerts the real rule engine
// raises. Optional: without it the summary still shows the metrics the
// alerts are based on.
type prometheusServer struct {
	*process
	url string
}

// prometheusConfig scrapes the exporter and evaluates rulesFile every second
// (production uses the 1m defaults; the demo has no time to wait).
func prometheusConfig(exporterAddr, rulesFile string) string {
	return fmt.Sprintf(`# Written by make demo.
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %s
scrape_configs:
  - job_name: entra-provisioning-exporter
    static_configs:
      - targets: [%s]
`, strconv.Quote(rulesFile), strconv.Quote(exporterAddr))
}

// startPrometheus writes rules (the demo copy of the alert rules) into the
// work directory and starts Prometheus on them. It returns (nil, nil) when
// bin is "none" or not installed.
func startPrometheus(bin, workDir, exporterAddr string, rules []byte) (*prometheusServer, error) {
	if bin == "none" {
		return nil, nil
	}
	path, err := exec.LookPath(bin)
	if err != nil {
		return nil, nil
	}
	dir := filepath.Join(workDir, "prometheus")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	rulesFile := filepath.Join(workDir, demoRulesFile)
	if err := os.WriteFile(rulesFile, rules, 0o600); err != nil {
		return nil, fmt.Errorf("writing the demo's alert rules: %w", err)
	}
	configPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(configPath, []byte(prometheusConfig(exporterAddr, rulesFile)), 0o600); err != nil {
		return nil, err
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	p, err := startProcess("prometheus", workDir, nil, os.Environ(), path,
		"--config.file="+configPath,
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
	)
	if err != nil {
		return nil, err
	}
	return &prometheusServer{process: p, url: "http://" + addr}, nil
}

// promAlert is one entry of GET /api/v1/alerts.
type promAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	State       string            `json:"state"` // pending | firing
	ActiveAt    time.Time         `json:"activeAt"`
}

// alerts lists the alerts whose expressions currently match, sorted.
func (p *prometheusServer) alerts(ctx context.Context) ([]promAlert, error) {
	if p.exited() {
		return nil, fmt.Errorf("prometheus exited (%v); its log (%s):\n%s", p.err, p.logPath, p.tail(20))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+"/api/v1/alerts", nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("querying Prometheus alerts: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Alerts []promAlert `json:"alerts"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("decoding Prometheus /api/v1/alerts: %w", err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("prometheus /api/v1/alerts answered status %q", body.Status)
	}
	alerts := body.Data.Alerts
	sort.Slice(alerts, func(i, j int) bool {
		if alerts[i].Labels["alertname"] != alerts[j].Labels["alertname"] {
			return alerts[i].Labels["alertname"] < alerts[j].Labels["alertname"]
		}
		return alerts[i].Labels["service_principal_id"] < alerts[j].Labels["service_principal_id"]
	})
	return alerts, nil
}
