package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// The test binary doubles as the command: with GRAPHSIM_TEST_MAIN=1 it runs
// main, so the tests can check the ready line and signal handling for real.
func TestMain(m *testing.M) {
	if os.Getenv("GRAPHSIM_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func TestReadyLineAndCleanShutdown(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		t.Run(sig.String(), func(t *testing.T) { readyLineAndCleanShutdown(t, sig) })
	}
}

// readyLineAndCleanShutdown runs the command, checks its single ready line,
// then sends sig and expects a clean exit.
func readyLineAndCleanShutdown(t *testing.T, sig os.Signal) {
	stateDir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-state-dir", stateDir, "-users", "7", "-groups", "2", "-speed", "600", "-faults", "latency=1ms")
	cmd.Env = append(os.Environ(), "GRAPHSIM_TEST_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("no ready line; stderr: %s", stderr.String())
	}
	var ready graphsim.Ready
	dec := json.NewDecoder(strings.NewReader(lines.Text()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ready); err != nil {
		t.Fatalf("ready line %q: %v", lines.Text(), err)
	}
	if ready.CAFile != filepath.Join(stateDir, "ca.pem") || !strings.HasPrefix(ready.GraphEndpoint, "https://127.0.0.1:") ||
		ready.AuthorityHost != ready.GraphEndpoint+"/" || ready.TenantID == "" || ready.ClientSecret == "" || ready.ReadOnlyClientID == "" {
		t.Fatalf("ready = %+v", ready)
	}
	pem, _ := os.ReadFile(ready.CAFile)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("ca.pem holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig(pool)}}
	resp, err := client.Get(ready.AdminEndpoint + "/state")
	if err != nil {
		t.Fatalf("admin API over the CA: %v", err)
	}
	var st map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if st["counts"].(map[string]any)["users"] != float64(7) || st["speed"] != float64(600) || st["faults"] != "latency=1ms" {
		t.Fatalf("flags not applied: %v", st)
	}
	client.CloseIdleConnections()

	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after %v: %v; stderr: %s", sig, err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("did not exit within 10s of %v", sig)
	}
	if lines.Scan() {
		t.Fatalf("more than one line on stdout: %q", lines.Text())
	}
	if !strings.Contains(stderr.String(), "graphsim ready") || strings.Contains(stderr.String(), ready.ClientSecret) {
		t.Fatalf("stderr log missing readiness or leaking the secret: %s", stderr.String())
	}
}

func TestRestartReusesCA(t *testing.T) {
	dir := t.TempDir()
	first, err := graphsim.New(graphsim.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r1, err := first.Start()
	if err != nil {
		t.Fatal(err)
	}
	pem1, _ := os.ReadFile(r1.CAFile)
	first.Close()
	second, _ := graphsim.New(graphsim.Options{StateDir: dir})
	r2, err := second.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	pem2, _ := os.ReadFile(r2.CAFile)
	if len(pem1) == 0 || !bytes.Equal(pem1, pem2) {
		t.Fatal("restart with the same state dir created a new CA")
	}
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-help"}, 0, "Usage: graphsim"},
		{[]string{"-bogus"}, 2, "flag provided but not defined"},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"-faults", "throttle=7"}, 1, "probability"},
		{[]string{"-speed", "-1"}, 1, "negative"},
		{[]string{"-log-level", "loud"}, 2, "log-level"},
		{[]string{"-listen", "256.0.0.1:0"}, 1, "listen"},
		{[]string{"-listen", "0.0.0.0:0"}, 1, "loopback"},
		{[]string{"-listen", "8080"}, 1, "host:port"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) || stdout.Len() != 0 {
			t.Errorf("%v: exit %d (want %d), stderr %q, stdout %q", tc.args, code, tc.code, stderr.String(), stdout.String())
		}
	}
}

func tlsConfig(pool *x509.CertPool) *tls.Config { return &tls.Config{RootCAs: pool} }
