package demo

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDemoEndToEnd runs the whole `make demo` against freshly built
// binaries: simulator, terraform apply/destroy, exporter and (if installed)
// Prometheus. About 20 s after the builds.
func TestDemoEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo skipped in -short mode")
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("the terraform CLI is not on PATH (make test checks for it)")
	}
	repo, bin := buildDemoBinaries(t)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	err := Run(ctx, Options{RepoDir: repo, BinDir: bin, WorkDir: t.TempDir(), Timeout: 2 * time.Minute}, &out)
	t.Logf("demo output (%s):\n%s", time.Since(start).Round(time.Second), out.String())
	if err != nil {
		t.Fatalf("demo failed: %v", err)
	}
	text := out.String()
	for _, want := range []string{
		"Apty (demo)", "myPolicies (demo)", "&Money Advisors (demo)",
		"Quarantine", "SystemForCrossDomainIdentityManagementUnauthorized",
		"entra_provisioning_job_quarantined{", "entra_provisioning_exporter_jobs 3",
		"the simulated tenant has no applications left", "Stopped every process the demo started",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	// Both healthy apps pushed users to their SCIM targets.
	if n := len(regexp.MustCompile(`(?m)^  (Apty|myPolicies) \(demo\)\s+Active\s+Succeeded\s+0\s+[1-9]`).FindAllString(text, -1)); n != 2 {
		t.Errorf("want Apty and myPolicies Active/Succeeded with users at their targets, found %d such rows", n)
	}
	if _, err := exec.LookPath("prometheus"); err == nil {
		if !regexp.MustCompile(`(?m)^  FIRING   EntraProvisioningJobQuarantined  &Money Advisors \(demo\)  \(shipped rule: for \w+; demo copy: for \w+\)$`).MatchString(text) {
			t.Error("Prometheus is installed but the quarantine alert for &Money was not shown firing")
		}
		// Only the wrong-token app may alert: a healthy app alerting would be a false alarm.
		for _, line := range regexp.MustCompile(`(?m)^  (FIRING|PENDING) .*$`).FindAllString(text, -1) {
			if !strings.Contains(line, "&Money Advisors (demo)") {
				t.Errorf("alert for an app with a correct token: %s", line)
			}
		}
	}
	if strings.Contains(text, "sim~") {
		t.Error("the demo printed the simulator's client secret")
	}

	assertSimulatorStopped(t, text)
}

// assertSimulatorStopped checks that the simulator named in the demo's
// output no longer accepts connections.
func assertSimulatorStopped(t *testing.T, text string) {
	t.Helper()
	m := regexp.MustCompile(`graph endpoint https://(127\.0\.0\.1:\d+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatal("demo output does not name the simulator's endpoint")
	}
	if conn, err := net.DialTimeout("tcp", m[1], time.Second); err == nil {
		conn.Close()
		t.Errorf("the simulator at %s still accepts connections after the demo", m[1])
	}
}

var (
	buildOnce           sync.Once
	builtBinDir         string
	buildErr            error
	repoDirForBuildTest string
)

// buildDemoBinaries builds the provider, the exporter and the simulator
// once per test binary; TestMain removes them.
func buildDemoBinaries(t *testing.T) (repo, bin string) {
	t.Helper()
	buildOnce.Do(func() {
		if repoDirForBuildTest, buildErr = filepath.Abs("../.."); buildErr != nil {
			return
		}
		if builtBinDir, buildErr = os.MkdirTemp("", "entra-demo-test-bin-"); buildErr != nil {
			return
		}
		for name, pkg := range map[string]string{providerBinary: ".", exporterBinary: "./exporter", simulatorBinary: "./internal/graphsim/cmd/graphsim"} {
			cmd := exec.Command("go", "build", "-o", filepath.Join(builtBinDir, name), pkg)
			cmd.Dir = repoDirForBuildTest
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("building %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return repoDirForBuildTest, builtBinDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBinDir != "" {
		os.RemoveAll(builtBinDir)
	}
	os.Exit(code)
}
