package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// listTemplates makes one authenticated Graph call: the simulator accepts
// only tokens it issued itself, for its tenant and the Graph audience.
func listTemplates(ctx context.Context, c *graph.Client) (int, error) {
	n := 0
	err := c.GetAll(ctx, "/applicationTemplates", func(json.RawMessage) error { n++; return nil })
	return n, err
}

// TestSimulatorAzureCLICredential: use_cli runs `az account get-access-token`
// from PATH. A fake az prints a token the simulator issued, exactly in the
// JSON shape the Azure CLI prints, and the client calls Graph with it.
func TestSimulatorAzureCLICredential(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	r := env.Ready
	tok, err := env.TokenFor(r.ClientID, r.ClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	exp := time.Now().Add(50 * time.Minute)
	out, _ := json.Marshal(map[string]any{
		"accessToken": tok, "expiresOn": exp.Format("2006-01-02 15:04:05.000000"), "expires_on": exp.Unix(),
		"subscription": "00000000-0000-0000-0000-000000000000", "tenant": r.TenantID, "tokenType": "Bearer",
	})
	if err := os.WriteFile(filepath.Join(dir, "token.json"), out, 0o600); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\n" +
		"echo \"$*\" >> '" + filepath.Join(dir, "args") + "'\n" +
		"case \"$*\" in *'account get-access-token'*) cat '" + filepath.Join(dir, "token.json") + "' ;; *) echo \"fake az: unexpected: $*\" >&2; exit 1 ;; esac\n"
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))

	c, err := graph.New(context.Background(), graph.Config{
		UseCLI: true, TenantID: r.TenantID,
		GraphEndpoint: r.GraphEndpoint, AuthorityHost: r.AuthorityHost, CAFile: r.CAFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthMethod() != graph.AuthAzureCLI {
		t.Fatalf("auth method %s, want %s", c.AuthMethod(), graph.AuthAzureCLI)
	}
	if n, err := listTemplates(context.Background(), c); err != nil || n == 0 {
		t.Fatalf("Graph call with the Azure CLI's token: %d templates, %v", n, err)
	}
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"--resource " + r.GraphEndpoint, "--tenant " + r.TenantID} {
		if !strings.Contains(string(args), want) {
			t.Errorf("az was called with %q, lacking %q", args, want)
		}
	}
}

// TestSimulatorManagedIdentityCredential: use_msi with the App Service
// managed-identity protocol (IDENTITY_ENDPOINT, IDENTITY_HEADER) that the
// simulator serves. System-assigned is the read-write client; a
// user-assigned identity is chosen by client_id; a wrong header fails.
func TestSimulatorManagedIdentityCredential(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	r := env.Ready
	t.Setenv("IDENTITY_ENDPOINT", r.IdentityEndpoint)
	t.Setenv("IDENTITY_HEADER", r.IdentityHeader)
	newClient := func(t *testing.T, clientID string) *graph.Client {
		t.Helper()
		c, err := graph.New(context.Background(), graph.Config{
			UseMSI: true, ClientID: clientID, TenantID: r.TenantID,
			GraphEndpoint: r.GraphEndpoint, AuthorityHost: r.AuthorityHost, CAFile: r.CAFile,
		})
		if err != nil {
			t.Fatal(err)
		}
		if c.AuthMethod() != graph.AuthManagedIdentity {
			t.Fatalf("auth method %s", c.AuthMethod())
		}
		return c
	}
	ctx := context.Background()

	// First: MSAL caches managed-identity tokens process-wide, so a later
	// request would be answered from the cache without the header.
	t.Run("wrong identity header", func(t *testing.T) {
		t.Setenv("IDENTITY_HEADER", "not-the-secret")
		c := newClient(t, "")
		_, err := listTemplates(ctx, c)
		var te *graph.TokenError
		if !errors.As(err, &te) {
			t.Fatalf("call with a wrong IDENTITY_HEADER: %v, want a token error", err)
		}
	})
	t.Run("system-assigned", func(t *testing.T) {
		c := newClient(t, "")
		if n, err := listTemplates(ctx, c); err != nil || n == 0 {
			t.Fatalf("Graph call with the managed identity's token: %d templates, %v", n, err)
		}
		// The read-write identity may write.
		var sp struct{ ID string }
		if err := c.Do(ctx, "POST", "/applicationTemplates/"+customTemplateID+"/instantiate", map[string]any{"displayName": "msi-made"}, &sp); err != nil {
			t.Fatalf("write as the system-assigned identity: %v", err)
		}
	})
	t.Run("user-assigned read-only", func(t *testing.T) {
		c := newClient(t, r.ReadOnlyClientID)
		if _, err := listTemplates(ctx, c); err != nil {
			t.Fatalf("read as the user-assigned identity: %v", err)
		}
		err := c.Do(ctx, "POST", "/applicationTemplates/"+customTemplateID+"/instantiate", map[string]any{"displayName": "denied"}, nil)
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.StatusCode != 403 {
			t.Fatalf("write as the read-only identity: %v, want 403", err)
		}
	})
}
