package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Exporter is a running entra-provisioning-exporter process.
type Exporter struct {
	URL     string
	LogPath string
	cmd     *exec.Cmd
	done    chan struct{}
	client  *http.Client
}

// StartExporter runs the exporter against sim with the given extra flags and
// waits until it answers /-/healthy (or /metrics).
func StartExporter(bin, workDir string, sim *Sim, flags ...string) (*Exporter, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(workDir, "exporter.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	r := sim.Ready
	cmd := exec.Command(bin, append([]string{"--web.listen-address=" + addr,
		"--graph.endpoint=" + r.GraphEndpoint, "--graph.authority-host=" + r.AuthorityHost}, flags...)...)
	cmd.Env = append(cleanEnv(os.Environ()),
		"AZURE_TENANT_ID="+r.TenantID, "AZURE_CLIENT_ID="+r.ClientID, "AZURE_CLIENT_SECRET="+r.ClientSecret,
		"SSL_CERT_FILE="+r.CAFile)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting the exporter %s: %w", bin, err)
	}
	e := &Exporter{URL: "http://" + addr, LogPath: logPath, cmd: cmd, done: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableCompression: true}}}
	go func() { _ = cmd.Wait(); logFile.Close(); close(e.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := e.client.Get(e.URL + "/metrics"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return e, nil
			}
		}
		select {
		case <-e.done:
			return nil, fmt.Errorf("the exporter exited during start-up; log:\n%s", tail(logPath, 15))
		default:
		}
		if time.Now().After(deadline) {
			e.Stop()
			return nil, fmt.Errorf("the exporter did not serve /metrics within 60s; log:\n%s", tail(logPath, 15))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop terminates the exporter.
func (e *Exporter) Stop() { stopGroup(e.cmd, e.done) }

// Pid is the exporter's process id.
func (e *Exporter) Pid() int { return e.cmd.Process.Pid }

// Scrape is one /metrics scrape as Prometheus does it (gzip accepted).
type Scrape struct {
	Latency  time.Duration
	Status   int
	Families map[string]*dto.MetricFamily
	Body     []byte // uncompressed text
	GzipSize int
}

// Scrape fetches and parses /metrics.
func (e *Exporter) Scrape(ctx context.Context) (Scrape, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.URL+"/metrics", nil)
	if err != nil {
		return Scrape{}, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	start := time.Now()
	resp, err := e.client.Do(req)
	if err != nil {
		return Scrape{}, fmt.Errorf("scraping the exporter: %w", err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	s := Scrape{Latency: time.Since(start), Status: resp.StatusCode, GzipSize: len(raw)}
	if err != nil {
		return s, err
	}
	s.Body = raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if s.Body, err = gunzip(raw); err != nil {
			return s, err
		}
	}
	if s.Status != http.StatusOK {
		return s, fmt.Errorf("scraping the exporter: HTTP %d", s.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	s.Families, err = p.TextToMetricFamilies(bytes.NewReader(s.Body))
	return s, err
}

// Value returns the first sample of a gauge or counter family whose labels
// include match, and whether it exists.
func (s Scrape) Value(name string, match map[string]string) (float64, bool) {
	for _, m := range s.Families[name].GetMetric() {
		ok := true
		for k, v := range match {
			found := false
			for _, lp := range m.GetLabel() {
				if lp.GetName() == k && lp.GetValue() == v {
					found = true
				}
			}
			ok = ok && found
		}
		if ok {
			if m.GetGauge() != nil {
				return m.GetGauge().GetValue(), true
			}
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

// Sum adds every sample of a counter or gauge family.
func (s Scrape) Sum(name string) float64 {
	total := 0.0
	for _, m := range s.Families[name].GetMetric() {
		total += m.GetCounter().GetValue() + m.GetGauge().GetValue()
	}
	return total
}

// WaitFor scrapes every 200 ms until cond holds or timeout passes.
func (e *Exporter) WaitFor(ctx context.Context, what string, timeout time.Duration, cond func(Scrape) bool) (Scrape, error) {
	deadline := time.Now().Add(timeout)
	for {
		s, err := e.Scrape(ctx)
		if err == nil && cond(s) {
			return s, nil
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("exporter: %s did not happen within %s (last scrape error: %v); log:\n%s", what, timeout, err, tail(e.LogPath, 10))
		}
		select {
		case <-ctx.Done():
			return s, ctx.Err()
		case <-e.done:
			return s, fmt.Errorf("exporter exited while waiting for %s; log:\n%s", what, tail(e.LogPath, 15))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
