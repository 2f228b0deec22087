package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// customTemplateID is the global cloud's non-gallery application template.
const customTemplateID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"

func simClient(t *testing.T, env *simtest.Env, clientID, secret string) *graph.Client {
	t.Helper()
	r := env.Ready
	c, err := graph.New(context.Background(), graph.Config{
		TenantID: r.TenantID, ClientID: clientID, ClientSecret: secret,
		GraphEndpoint: r.GraphEndpoint, AuthorityHost: r.AuthorityHost, CAFile: r.CAFile,
		UserAgent: "terraform-provider-entra/test",
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSimulatorClientSecretListTemplates(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	c := simClient(t, env, env.Ready.ClientID, env.Ready.ClientSecret)
	ctx := context.Background()

	var names []string
	found := false
	err := c.GetAll(ctx, "/applicationTemplates", func(item json.RawMessage) error {
		var tpl struct{ ID, DisplayName string }
		if err := json.Unmarshal(item, &tpl); err != nil {
			return err
		}
		names = append(names, tpl.DisplayName)
		found = found || tpl.ID == customTemplateID
		return nil
	})
	if err != nil {
		t.Fatalf("listing application templates: %v", err)
	}
	if !found {
		t.Fatalf("the custom (non-gallery) template %s is missing from %d templates: %v", customTemplateID, len(names), names)
	}

	var one map[string]any
	if err := c.Do(ctx, "GET", "/applicationTemplates/"+customTemplateID, nil, &one); err != nil {
		t.Fatal(err)
	}
	if one["id"] != customTemplateID {
		t.Fatalf("GET one template = %v", one)
	}
	err = c.Do(ctx, "GET", "/servicePrincipals/00000000-0000-0000-0000-00000000dead", nil, nil)
	if !graph.IsNotFound(err) {
		t.Fatalf("unknown service principal: %v, want 404", err)
	}

	// Our per-route counter agrees with the simulator's.
	simCounts, err := env.Admin.RequestCounts()
	if err != nil {
		t.Fatal(err)
	}
	ours := c.Requests().Total()
	if int64(simCounts.Total) != ours {
		t.Fatalf("client counted %d Graph requests (%v), simulator %d (%v)", ours, c.Requests().Snapshot(), simCounts.Total, simCounts.Routes)
	}
	// The simulator keys routes by its mux patterns ("GET /v1.0/…/{id}");
	// through Route they must give exactly our keys and counts.
	simRoutes := map[string]int64{}
	for key, n := range simCounts.Routes {
		method, path, _ := strings.Cut(key, " ")
		simRoutes[graph.Route(method, path)] += int64(n)
	}
	for route, n := range c.Requests().Snapshot() {
		if simRoutes[route] != n {
			t.Errorf("route %q: client counted %d, simulator %d (simulator routes: %v)", route, n, simRoutes[route], simCounts.Routes)
		}
	}
}

func TestSimulatorReadOnlyClientGetsPermissionHint(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	if env.Ready.ReadOnlyClientID == "" {
		t.Skip("simulator has no read-only client")
	}
	c := simClient(t, env, env.Ready.ReadOnlyClientID, env.Ready.ReadOnlyClientSecret)
	err := c.Do(context.Background(), "POST", "/applicationTemplates/"+customTemplateID+"/instantiate",
		map[string]string{"displayName": "read-only attempt"}, nil)
	if !graph.IsForbidden(err) {
		t.Fatalf("instantiate as a read-only client: %v, want 403", err)
	}
	if !strings.Contains(err.Error(), "the identity needs Application.ReadWrite.OwnedBy") {
		t.Fatalf("403 message %q should name the missing permission", err)
	}
}

func TestSimulatorBatchAndThrottling(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	c := simClient(t, env, env.Ready.ClientID, env.Ready.ClientSecret)
	ctx := context.Background()

	var reqs []graph.BatchRequest
	for i := range 25 {
		reqs = append(reqs, graph.BatchRequest{ID: fmt.Sprint(i), Method: "GET", URL: "/applicationTemplates/" + customTemplateID})
	}
	resps, err := c.Batch(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range resps {
		if r.ID != fmt.Sprint(i) || r.Status != http.StatusOK {
			t.Fatalf("batch item %d: id %s status %d body %s", i, r.ID, r.Status, r.Body)
		}
	}
	if n := c.Requests().Snapshot()["POST /$batch"]; n != 2 {
		t.Fatalf("25 batch requests took %d $batch calls, want 2", n)
	}

	// With a third of requests throttled, every call still succeeds.
	if err := env.Admin.SetFaults("throttle=0.3,retry-after=1s,only=/applicationTemplates"); err != nil {
		t.Fatal(err)
	}
	for range 6 {
		if err := c.Do(ctx, "GET", "/applicationTemplates/"+customTemplateID, nil, nil); err != nil {
			t.Fatalf("with throttling: %v", err)
		}
	}
	// Inside $batch each item is throttled on its own; Batch re-sends those.
	resps, err = c.Batch(ctx, reqs[:10])
	if err != nil {
		t.Fatalf("batch with throttling: %v", err)
	}
	for _, r := range resps {
		if r.Status != http.StatusOK {
			t.Fatalf("batch item %s ended with %d: %s", r.ID, r.Status, r.Body)
		}
	}
	// 2 + 1 calls without item throttling; more mean items were re-sent.
	t.Logf("throttled answers absorbed: %d of %d requests; $batch calls: %d",
		c.Requests().Throttled(), c.Requests().Total(), c.Requests().Snapshot()["POST /$batch"])
}

func TestSimulatorTraceLogsCarryNoSecrets(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	r := env.Ready
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: graph.SlogLevelTrace}))
	c, err := graph.New(context.Background(), graph.Config{
		TenantID: r.TenantID, ClientID: r.ClientID, ClientSecret: r.ClientSecret,
		GraphEndpoint: r.GraphEndpoint, AuthorityHost: r.AuthorityHost, CAFile: r.CAFile,
		Logger: graph.SlogLogger(logger),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var created struct {
		ServicePrincipal struct{ ID string } `json:"servicePrincipal"`
	}
	if err := c.Do(ctx, "POST", "/applicationTemplates/"+customTemplateID+"/instantiate", map[string]string{"displayName": "trace-redaction"}, &created); err != nil {
		t.Fatal(err)
	}
	sp := created.ServicePrincipal.ID
	const scimToken = "scim-token-that-must-never-be-logged"
	secrets := map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": "https://scim.example.com/scim"},
		{"key": "SecretToken", "value": scimToken},
	}}
	err = graph.RetryOnConsistencyError(ctx, graph.SynchronizationAfterCreate, func(ctx context.Context) error {
		return c.Do(ctx, "PUT", "/servicePrincipals/"+sp+"/synchronization/secrets", secrets, nil)
	})
	if err != nil {
		t.Fatalf("PUT secrets: %v", err)
	}
	var got json.RawMessage
	if err := c.Do(ctx, "GET", "/servicePrincipals/"+sp+"/synchronization/secrets", nil, &got); err != nil {
		t.Fatalf("GET secrets: %v", err)
	}
	tok, err := c.Credential().GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.Scope()}})
	if err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, `"route":"PUT /servicePrincipals/{id}/synchronization/secrets"`) || !strings.Contains(logs, "graph request") {
		t.Fatalf("trace logs lack the secrets PUT:\n%s", logs)
	}
	for name, secret := range map[string]string{"client secret": r.ClientSecret, "access token": tok.Token, "SCIM token": scimToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("the %s appears in the trace logs", name)
		}
	}
}

// The adaptive waiter costs one request when Graph is consistent and
// converges shortly after the lag ends when it is not.
func TestSimulatorWaitUntilVisibleAdaptsToLag(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	c := simClient(t, env, env.Ready.ClientID, env.Ready.ClientSecret)
	ctx := context.Background()
	instantiate := func(name string) string {
		var created struct {
			ServicePrincipal struct{ ID string } `json:"servicePrincipal"`
		}
		if err := c.Do(ctx, "POST", "/applicationTemplates/"+customTemplateID+"/instantiate", map[string]string{"displayName": name}, &created); err != nil {
			t.Fatal(err)
		}
		return created.ServicePrincipal.ID
	}
	wait := func(sp string) (int64, time.Duration) {
		c.Requests().Reset()
		start := time.Now()
		find := func(ctx context.Context) (bool, error) {
			err := c.Do(ctx, "GET", "/servicePrincipals/"+sp+"?$select=id", nil, nil)
			return err == nil, err
		}
		if err := graph.WaitUntilVisible(ctx, find, graph.WaitOptions{What: "service principal " + sp}); err != nil {
			t.Fatal(err)
		}
		return c.Requests().Total(), time.Since(start)
	}

	polls, took := wait(instantiate("no-lag"))
	if polls != 1 {
		t.Fatalf("without lag the waiter took %d requests, want 1", polls)
	}
	t.Logf("no lag: %d request, %s", polls, took)

	const lag = 1500 * time.Millisecond
	if err := env.Admin.SetFaults("lag=" + lag.String()); err != nil {
		t.Fatal(err)
	}
	polls, took = wait(instantiate("with-lag"))
	// Backoff 200ms, 300ms, 450ms… finds it at most one step after the lag
	// ends, then confirms with fast polls.
	if took < lag || took > lag+2*time.Second || polls > 12 {
		t.Fatalf("with %s lag the waiter took %d requests and %s", lag, polls, took)
	}
	t.Logf("%s lag: %d requests, %s", lag, polls, took)
}
