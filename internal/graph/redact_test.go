package graph

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const (
	fakeTenant       = "11111111-2222-3333-4444-555555555555"
	fakeClientID     = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	fakeClientSecret = "client-secret-V4lu3-never-log-me"
	fakeAccessToken  = "eyJhbGciOiJub25lIn0.access-token-never-log-me.sig"
	fakeSCIMToken    = "scim-bearer-token-never-log-me"
)

// fakeEntra serves just enough of the authority (OIDC discovery, token) and
// Graph (secrets, validateCredentials) over TLS to run a real azidentity
// client secret credential through the whole transport chain.
func fakeEntra(t *testing.T) (*httptest.Server, string) {
	srv, caFile, _ := fakeEntraWithAssertions(t)
	return srv, caFile
}

// fakeEntraWithAssertions also returns the client assertions (certificate
// JWTs or federated tokens) the token endpoint received.
func fakeEntraWithAssertions(t *testing.T) (*httptest.Server, string, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var assertions []string
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+fakeTenant+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		base := srv.URL + "/" + fakeTenant
		_ = json.NewEncoder(w).Encode(map[string]any{
			"token_endpoint":                        base + "/oauth2/v2.0/token",
			"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
			"issuer":                                srv.URL + "/" + fakeTenant + "/v2.0",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"pairwise"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("POST /"+fakeTenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		err := r.ParseForm()
		assertion := r.PostForm.Get("client_assertion")
		if err != nil || (r.PostForm.Get("client_secret") != fakeClientSecret && assertion == "") {
			writeGraphError(w, http.StatusUnauthorized, "invalid_client", "bad secret")
			return
		}
		mu.Lock()
		assertions = append(assertions, assertion)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":%q}`, fakeAccessToken)
	})
	authorised := func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+fakeAccessToken }
	mux.HandleFunc("PUT /v1.0/servicePrincipals/{sp}/synchronization/secrets", func(w http.ResponseWriter, r *http.Request) {
		if !authorised(r) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /v1.0/servicePrincipals/{sp}/synchronization/secrets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// Unmasked on purpose: the client must redact even if Graph does not.
		fmt.Fprintf(w, `{"value":[{"key":"BaseAddress","value":"https://scim.example.com/scim"},{"key":"SecretToken","value":%q},{"key":"NewSecretKind","value":%q}]}`, fakeSCIMToken, fakeSCIMToken)
	})
	mux.HandleFunc("POST /v1.0/servicePrincipals/{sp}/synchronization/jobs/validateCredentials", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		writeGraphError(w, http.StatusBadRequest, "CredentialValidationUnavailable", "target answered 401 for "+string(b[:0]))
	})
	srv = httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, caFile, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), assertions...)
	}
}

type capturedLog struct {
	mu      sync.Mutex
	entries []string
}

func (l *capturedLog) Log(_ context.Context, level Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, _ := json.Marshal(fields)
	l.entries = append(l.entries, fmt.Sprintf("%d %s %s", level, msg, b))
}

func (l *capturedLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.entries, "\n")
}

func TestTraceLoggingNeverShowsSecrets(t *testing.T) {
	srv, caFile := fakeEntra(t)
	logs := &capturedLog{}
	c, err := New(context.Background(), Config{
		TenantID: fakeTenant, ClientID: fakeClientID, ClientSecret: fakeClientSecret,
		GraphEndpoint: srv.URL, AuthorityHost: srv.URL, CAFile: caFile, Logger: logs,
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthMethod() != AuthClientSecret {
		t.Fatalf("auth method = %s", c.AuthMethod())
	}
	ctx := context.Background()
	secrets := map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": "https://scim.example.com/scim"},
		{"key": "SecretToken", "value": fakeSCIMToken},
	}}
	if err := c.Do(ctx, "PUT", "/servicePrincipals/sp1/synchronization/secrets", secrets, nil); err != nil {
		t.Fatalf("PUT secrets: %v", err)
	}
	var got map[string]any
	if err := c.Do(ctx, "GET", "/servicePrincipals/sp1/synchronization/secrets", nil, &got); err != nil {
		t.Fatalf("GET secrets: %v", err)
	}
	validate := map[string]any{"useSavedCredentials": false, "templateId": "scim", "credentials": secrets["value"]}
	if err := c.Do(ctx, "POST", "/servicePrincipals/sp1/synchronization/jobs/validateCredentials", validate, nil); !IsBadRequest(err) {
		t.Fatalf("validateCredentials: %v, want the fake's 400", err)
	}
	// The same secret inside a $batch body (not a secret-bearing route).
	batchBody := map[string]any{"requests": []any{map[string]any{"id": "1", "method": "PUT", "url": "/servicePrincipals/sp1/synchronization/secrets", "body": secrets}}}
	_ = c.Do(ctx, "POST", "/$batch", batchBody, nil)

	text := logs.text()
	for _, secret := range []string{fakeClientSecret, fakeAccessToken, fakeSCIMToken, "access-token-never-log-me"} {
		if strings.Contains(text, secret) {
			t.Errorf("a secret leaked into the logs: %q\n%s", secret, text)
		}
	}
	for _, want := range []string{
		`"Authorization":"[REDACTED]"`,    // header shown as present, value hidden
		`client_secret=[REDACTED]`,        // token request form
		`\"access_token\":\"[REDACTED]\"`, // token response
		"https://scim.example.com/scim",   // BaseAddress is a setting, kept for debugging
		`"route":"PUT /servicePrincipals/{id}/synchronization/secrets"`,
		`"status":204`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("logs lack %s", want)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("logs:\n%s", text)
	}
}

func TestRedactBody(t *testing.T) {
	cases := []struct {
		name, path, ct, body string
		hidden, shown        []string
	}{
		{"secret key anywhere", "/servicePrincipals/x/synchronization/jobs/j/schema", "application/json",
			`{"a":[{"key":"Oauth2RefreshToken","value":"rt-123456789"},{"key":"SyncAll","value":"true"}]}`,
			[]string{"rt-123456789"}, []string{`"SyncAll"`, `"true"`}},
		{"unknown key on secrets route", "/servicePrincipals/x/synchronization/secrets", "application/json",
			`{"value":[{"key":"Brandnew","value":"hidden-by-default"}]}`, []string{"hidden-by-default"}, []string{"Brandnew"}},
		{"non-json on secrets route", "/servicePrincipals/x/synchronization/secrets", "text/plain",
			`SecretToken=abcdefghijk`, []string{"abcdefghijk"}, []string{"[REDACTED]"}},
		{"token form", "/tenant/oauth2/v2.0/token", "application/x-www-form-urlencoded",
			`client_id=abc&client_assertion=eyJassertion123&grant_type=client_credentials`, []string{"eyJassertion123"}, []string{"client_id=abc", "grant_type=client_credentials"}},
		{"password credential", "/applications/x/addPassword", "application/json",
			`{"secretText":"generated-secret-1234","keyId":"k"}`, []string{"generated-secret-1234"}, []string{`"keyId":"k"`}},
		{"plain json untouched", "/servicePrincipals/x", "application/json",
			`{"displayName":"app","appId":"123"}`, nil, []string{`"displayName":"app"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := redactBody(tc.path, tc.ct, []byte(tc.body))
			for _, h := range tc.hidden {
				if strings.Contains(got, h) {
					t.Errorf("%q still shows %q", got, h)
				}
			}
			for _, s := range tc.shown {
				if !strings.Contains(got, s) {
					t.Errorf("%q lost %q", got, s)
				}
			}
		})
	}
	if got := redactBody("/x", "application/json", []byte(`{"note":"tok-abcdefgh1"}`), "tok-abcdefgh1"); strings.Contains(got, "tok-abcdefgh1") {
		t.Errorf("known secrets must be scrubbed from any body: %s", got)
	}
	h := http.Header{"Authorization": {"Bearer x"}, "Accept": {"application/json"}}
	if r := redactHeaders(h); r["Authorization"] != redacted || r["Accept"] != "application/json" {
		t.Errorf("headers = %v", r)
	}
}

func TestWrongClientSecretIsATokenError(t *testing.T) {
	srv, caFile := fakeEntra(t)
	c, err := New(context.Background(), Config{
		TenantID: fakeTenant, ClientID: fakeClientID, ClientSecret: "wrong-secret-value",
		GraphEndpoint: srv.URL, AuthorityHost: srv.URL, CAFile: caFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), "GET", "/servicePrincipals/sp1/synchronization/secrets", nil, nil)
	if !IsTokenError(err) || StatusCode(err) != 0 {
		t.Fatalf("err = %v, want a *TokenError (Graph never reached)", err)
	}
	if !strings.Contains(err.Error(), "check the credentials") || strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatalf("message %q should say what to check and never echo the secret", err)
	}
}
