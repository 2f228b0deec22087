package app_test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// TestBinaryServesAndStopsOnSIGTERM builds `go run ./exporter`'s binary, runs
// it against the simulator, checks the landing page, health and metrics
// endpoints, and that SIGTERM shuts it down cleanly (exit status 0).
func TestBinaryServesAndStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the exporter binary")
	}
	bin := filepath.Join(t.TempDir(), "entra-provisioning-exporter")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the exporter: %v\n%s", err, out)
	}
	env := simtest.Start(t, graphsim.Options{Users: 1, Groups: 1})
	addr := freeLoopbackAddr(t)
	cmd := exec.Command(bin, "--web.listen-address="+addr, "--poll.interval=1s", "--discovery.interval=1s", "--no-logs.enabled")
	cmd.Env = append(os.Environ(), env.Environ()...)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() { _ = cmd.Process.Kill() }()

	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := get("/-/healthy"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("binary did not become healthy:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "entra-provisioning-exporter") || !strings.Contains(body, "/metrics") {
		t.Errorf("landing page: %d %.200s", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "entra_provisioning_exporter_build_info") {
		t.Errorf("metrics: %d, build_info missing", code)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("still running 15s after SIGTERM:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown log:\n%s", logs.String())
	}
}
