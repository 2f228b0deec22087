package simtest_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

func TestEnvironAndSetenv(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	env.Setenv(t)
	for k, want := range map[string]string{
		"ARM_TENANT_ID": env.Ready.TenantID, "AZURE_CLIENT_ID": env.Ready.ClientID,
		"ARM_CLIENT_SECRET": env.Ready.ClientSecret, "ENTRA_GRAPH_ENDPOINT": env.Ready.GraphEndpoint,
		"ENTRA_AUTHORITY_HOST": env.Ready.AuthorityHost, "SSL_CERT_FILE": env.Ready.CAFile,
	} {
		if got := os.Getenv(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if !strings.HasPrefix(env.Ready.CAFile, simtest.SharedCADir()) {
		t.Fatalf("CA %s not in the shared CA dir", env.Ready.CAFile)
	}
}

func TestSimulatorsShareOneCA(t *testing.T) {
	a := simtest.Start(t, graphsim.Options{})
	b := simtest.Start(t, graphsim.Options{})
	pa, _ := os.ReadFile(a.Ready.CAFile)
	pb, _ := os.ReadFile(b.Ready.CAFile)
	if len(pa) == 0 || string(pa) != string(pb) {
		t.Fatal("two simulators in one process use different CAs; one SSL_CERT_FILE could not trust both")
	}
	// a's client (trusting the shared CA) reaches b.
	if status, _, err := b.Do("", "GET", "/users", nil); err != nil || status != 401 {
		t.Fatalf("cross-simulator TLS: %d %v", status, err)
	}
	// A token from a is rejected by b (different tenant).
	tok := a.Token(t)
	if status, _, _ := b.Do(tok, "GET", "/users", nil); status != 401 {
		t.Fatalf("b accepted a's token: %d", status)
	}
}

func TestGraphHelperAndAdmin(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 4})
	if status, body := env.Graph(t, "GET", "/users?$top=2", nil); status != 200 || !strings.Contains(string(body), "@odata.nextLink") {
		t.Fatalf("Graph helper: %d %s", status, body)
	}
	if status, body := env.GraphReadOnly(t, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": "x"}); status != 403 {
		t.Fatalf("read-only write: %d %s", status, body)
	}
	counts, err := env.Admin.RequestCounts()
	if err != nil || counts.Total != 2 {
		t.Fatalf("counts %+v %v", counts, err)
	}
	if err := env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	if counts, _ := env.Admin.RequestCounts(); counts.Total != 0 {
		t.Fatalf("reset left %d", counts.Total)
	}
	now := env.Sim.Clock().Now()
	if err := env.Admin.Advance(time.Hour); err != nil || env.Sim.Clock().Now().Sub(now) < time.Hour {
		t.Fatalf("advance: %v", err)
	}
	if err := env.Admin.SetFaults("throttle=1"); err != nil {
		t.Fatal(err)
	}
	if status, _ := env.Graph(t, "GET", "/users", nil); status != 429 {
		t.Fatalf("SetFaults had no effect: %d", status)
	}
	if err := env.Admin.SetFaults("nonsense"); err == nil {
		t.Fatal("bad spec accepted")
	}
}

func TestStartMain(t *testing.T) {
	env, stop, err := simtest.StartMain(graphsim.Options{Users: 1})
	if err != nil {
		t.Fatal(err)
	}
	if status, _ := env.Graph(t, "GET", "/users", nil); status != 200 {
		t.Fatalf("GET /users: %d", status)
	}
	stop()
	if _, _, err := env.Do("", "GET", "/users", nil); err == nil {
		t.Fatal("simulator still serving after stop")
	}
}
