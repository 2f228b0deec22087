package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// prometheusServer is a real Prometheus (Debian's package) on loopback.
type prometheusServer struct {
	url string
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// shortRules is rules.yml with every `for:` shortened to 1s, so alerts fire
// within seconds; the expressions are exactly the shipped ones.
func shortRules(t *testing.T, dir string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "alerts", "rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	short := regexp.MustCompile(`(?m)^(\s+for:)\s*\S+`).ReplaceAll(src, []byte("${1} 1s"))
	path := filepath.Join(dir, "rules.yml")
	if err := os.WriteFile(path, short, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// requirePrometheus skips the test on a machine without Prometheus, but
// fails it where promtool is installed (make test requires promtool, and
// Debian's prometheus package ships both): there a missing server means the
// end-to-end test would silently not run.
func requirePrometheus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err == nil {
		return bin
	}
	const hint = "install Debian's 'prometheus' package (apt-get install prometheus) to run the end-to-end alerting test"
	if _, perr := exec.LookPath("promtool"); perr == nil {
		t.Fatalf("promtool is installed but the prometheus server is not on PATH: %s", hint)
	}
	t.Skipf("the prometheus binary is not on PATH: %s", hint)
	return ""
}

func startPrometheus(t *testing.T, exporterAddr string) *prometheusServer {
	t.Helper()
	bin := requirePrometheus(t)
	dir := t.TempDir()
	rules := shortRules(t, dir)
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [%q]
scrape_configs:
  - job_name: entra-provisioning-exporter
    static_configs:
      - targets: [%q]
`, rules, exporterAddr)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting prometheus: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus output:\n%s", out.String())
		}
	})
	p := &prometheusServer{url: "http://" + addr}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.url + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready after 30s:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (p *prometheusServer) api(t *testing.T, path string, out any) {
	t.Helper()
	resp, err := http.Get(p.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var env struct {
		Status string          `json:"status"`
		Error  string          `json:"error"`
		Data   json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Status != "success" {
		t.Fatalf("GET %s: %s %s", path, env.Error, body)
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			t.Fatal(err)
		}
	}
}

type promAlert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
}

func (p *prometheusServer) alerts(t *testing.T) []promAlert {
	t.Helper()
	var data struct {
		Alerts []promAlert `json:"alerts"`
	}
	p.api(t, "/api/v1/alerts", &data)
	return data.Alerts
}

func firing(alerts []promAlert, name, jobID string) bool {
	for _, a := range alerts {
		if a.Labels["alertname"] == name && a.Labels["job_id"] == jobID && a.State == "firing" {
			return true
		}
	}
	return false
}

func (p *prometheusServer) waitAlerts(t *testing.T, what string, cond func([]promAlert) bool) []promAlert {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		a := p.alerts(t)
		if cond(a) {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; alerts now: %+v", what, a)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestPrometheusSeesQuarantineAlert runs the whole chain: simulator → exporter
// → a real Prometheus scraping it with the shipped rules → the quarantine
// alert fires through /api/v1/alerts, and resolves when the target recovers.
// It also runs every dashboard query against that Prometheus.
func TestPrometheusSeesQuarantineAlert(t *testing.T) {
	requirePrometheus(t)
	env := simtest.Start(t, graphsim.Options{Users: 5, Groups: 1})
	env.Setenv(t)
	a := simfixture.NewApp(t, env, "myPolicies", "e2e", 3, true)
	simfixture.RunEngine(t, env, 0)

	e := startExporter(t, "--poll.interval=2s", "--discovery.interval=2s", "--logs.initial-lookback=1h")
	prom := startPrometheus(t, strings.TrimPrefix(e.url, "http://"))

	var up struct {
		Result []struct {
			Value [2]any `json:"value"`
		} `json:"result"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		prom.api(t, "/api/v1/query?query="+url.QueryEscape(`entra_provisioning_job_quarantined{job_id="`+a.JobID+`"}`), &up)
		if len(up.Result) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("prometheus never scraped the job's metrics")
		}
		time.Sleep(250 * time.Millisecond)
	}
	if firing(prom.alerts(t), "EntraProvisioningJobQuarantined", a.JobID) {
		t.Fatal("quarantine alert firing for a healthy job")
	}

	simfixture.SetTarget(t, env, "e2e", "503")
	for range 3 {
		simfixture.RunEngine(t, env, 40*time.Minute)
	}
	alerts := prom.waitAlerts(t, "EntraProvisioningJobQuarantined to fire", func(al []promAlert) bool {
		return firing(al, "EntraProvisioningJobQuarantined", a.JobID)
	})
	for _, al := range alerts {
		if al.Labels["alertname"] == "EntraProvisioningJobQuarantined" && al.Labels["service_principal_name"] != "myPolicies" {
			t.Errorf("alert lacks the application name: %v", al.Labels)
		}
	}
	if !firing(alerts, "EntraProvisioningJobConsecutiveFailures", a.JobID) {
		prom.waitAlerts(t, "EntraProvisioningJobConsecutiveFailures to fire", func(al []promAlert) bool {
			return firing(al, "EntraProvisioningJobConsecutiveFailures", a.JobID)
		})
	}

	checkDashboardQueries(t, prom)

	simfixture.SetTarget(t, env, "e2e", "none")
	simfixture.RunEngine(t, env, 81*time.Minute)
	prom.waitAlerts(t, "the quarantine alert to resolve", func(al []promAlert) bool {
		return !firing(al, "EntraProvisioningJobQuarantined", a.JobID)
	})
}

// checkDashboardQueries runs every query of the shipped Grafana dashboard
// (with its variables set to match everything) and fails on any PromQL error.
func checkDashboardQueries(t *testing.T, prom *prometheusServer) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "dashboards", "entra-provisioning.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	vars := strings.NewReplacer(`"$job"`, `"entra-provisioning-exporter"`, "$instance", ".*", "$app", ".*", "$__rate_interval", "1m", "$__range", "1h")
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			var res struct {
				Result []json.RawMessage `json:"result"`
			}
			prom.api(t, "/api/v1/query?query="+url.QueryEscape(vars.Replace(tg.Expr)), &res)
			n++
			if strings.Contains(strings.ToLower(p.Title), "quarantine") && len(res.Result) == 0 {
				t.Errorf("panel %q returns nothing while a job is quarantined", p.Title)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d dashboard queries found", n)
	}
}
