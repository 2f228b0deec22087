package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// testCLI drives the real terraform CLI against the provider served from
// this test process (reattach mode), one command at a time, so a test can
// count the Graph requests and time each command on its own. The
// terraform-plugin-testing harness runs several commands per step, which is
// right for behaviour tests and wrong for measurements.
type testCLI struct {
	t        *testing.T
	dir      string
	reattach string
	// lastOutput is what the last command printed (stdout and stderr).
	lastOutput string
}

func newTestCLI(t *testing.T, mainTF string) *testCLI {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	factory := providerserver.NewProtocol6(New("test")())
	// The address the CLI resolves "entra-provisioning/entra" to.
	address := testAccCLIOrFail(t).RegistryHost() + "/entra-provisioning/entra"
	go func() {
		err := tf6server.Serve(address,
			func() tfprotov6.ProviderServer { return factory() },
			tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger())) // go-plugin's own chatter is noise here
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configCh:
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider server did not start within 30 s")
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	reattach, _ := json.Marshal(map[string]any{
		address: map[string]any{
			"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
			"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
		},
	})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(testAccCLIConfig(mainTF)), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testCLI{t: t, dir: dir, reattach: string(reattach)}
}

// run executes one terraform command and returns its wall time and exit
// code; output is kept for the failure message.
func (c *testCLI) run(args ...string) (time.Duration, int) {
	c.t.Helper()
	cmd := exec.Command(testAccTerraformPath(), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+c.reattach, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	c.lastOutput = out.String()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		c.t.Fatalf("terraform %v: %v", args, err)
	}
	if code != 0 && !(len(args) > 0 && args[0] == "plan" && code == 2) {
		c.t.Fatalf("terraform %v exited %d:\n%s", args, code, out.String())
	}
	return elapsed, code
}

// writeFile adds a file to the working directory.
func (c *testCLI) writeFile(name string, data []byte) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), data, 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// outputJSON decodes `terraform output -json name` into out.
func (c *testCLI) outputJSON(name string, out any) {
	c.t.Helper()
	cmd := exec.Command(testAccTerraformPath(), "output", "-json", name)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+c.reattach, "CHECKPOINT_DISABLE=1")
	data, err := cmd.Output()
	if err != nil {
		c.t.Fatalf("terraform output %s: %v", name, err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		c.t.Fatalf("terraform output %s: %v in %s", name, err, data)
	}
}
