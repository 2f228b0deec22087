package demo

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer the test can read while Run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDemoKeepModeCanBeExploredThenCleansUp is DEMO_KEEP=1: after the
// summary everything keeps running, demo.env lets terraform plan the demo's
// configuration against the simulator ("No changes"), /metrics answers, and
// Ctrl-C (context cancellation) destroys the estate and stops everything.
func TestDemoKeepModeCanBeExploredThenCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo skipped in -short mode")
	}
	tfBin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("the terraform CLI is not on PATH (make test checks for it)")
	}
	repo, bin := buildDemoBinaries(t)
	workDir := t.TempDir()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{RepoDir: repo, BinDir: bin, WorkDir: workDir, Keep: true, Timeout: 2 * time.Minute}, out)
	}()

	// Wait for the explanation that ends the summary.
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		select {
		case err := <-done:
			t.Fatalf("the demo returned before keeping things running: %v\n%s", err, out.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("no keep-mode explanation after 3 minutes:\n%s", out.String())
		}
	}
	text := out.String()

	envFile := filepath.Join(workDir, "demo.env")
	if fi, err := os.Stat(envFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("demo.env: %v (mode %v), want a 0600 file", err, fi)
	}
	if !strings.Contains(text, "source "+envFile) {
		t.Errorf("the explanation does not say to source %s:\n%s", envFile, text)
	}

	// terraform plan as the explanation suggests: nothing to change.
	plan := exec.Command("/bin/sh", "-c", `. "$1" && "$2" -chdir="$3" plan -detailed-exitcode -input=false -no-color`,
		"sh", envFile, tfBin, filepath.Join(workDir, "terraform"))
	planOut, err := plan.CombinedOutput()
	if err != nil {
		t.Errorf("terraform plan against the kept demo: %v (exit code 2 means changes)\n%s", err, planOut)
	} else if !strings.Contains(string(planOut), "No changes") {
		t.Errorf("terraform plan did not say No changes:\n%s", planOut)
	}

	// curl /metrics as the explanation suggests.
	m := regexp.MustCompile(`curl -s (http://(127\.0\.0\.1:\d+)/metrics)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the explanation names no /metrics URL:\n%s", text)
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Fatalf("GET %s: %v", m[1], err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !regexp.MustCompile(`(?m)^entra_provisioning_job_quarantined\{[^}]*\} 1$`).Match(body) {
		t.Errorf("the kept exporter shows no quarantined job:\n%s", body)
	}

	// With Prometheus installed, its alerts page is up and the alert fires.
	if p := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/alerts`).FindStringSubmatch(text); p != nil {
		resp, err := http.Get(p[1] + "/api/v1/alerts")
		if err != nil {
			t.Fatalf("the kept Prometheus: %v", err)
		}
		alerts, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(alerts), `"alertname":"EntraProvisioningJobQuarantined"`) || !strings.Contains(string(alerts), `"state":"firing"`) {
			t.Errorf("the kept Prometheus has no firing quarantine alert:\n%s", alerts)
		}
	}

	// Ctrl-C: destroy, stop everything, no error.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("keep mode ended with %v\n%s", err, out.String())
		}
	case <-time.After(cleanupTimeout + 30*time.Second):
		t.Fatalf("the demo did not clean up after cancellation:\n%s", out.String())
	}
	text = out.String()
	for _, want := range []string{"Interrupted: destroying", "the simulated tenant has no applications left", "Stopped every process the demo started"} {
		if !strings.Contains(text, want) {
			t.Errorf("output after Ctrl-C lacks %q:\n%s", want, text)
		}
	}
	assertSimulatorStopped(t, text)
	stopped := map[string]string{"exporter": m[2]}
	if p := regexp.MustCompile(`open http://(127\.0\.0\.1:\d+)/alerts`).FindStringSubmatch(text); p != nil {
		stopped["Prometheus"] = p[1]
	}
	for name, addr := range stopped {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			t.Errorf("the %s at %s still accepts connections after the demo", name, addr)
		}
	}
}
