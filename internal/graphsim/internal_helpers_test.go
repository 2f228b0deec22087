package graphsim

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

// startInternal starts a simulator for white-box tests (which cannot use
// simtest: it imports this package).
func startInternal(t *testing.T, opts Options) (*Sim, *http.Client) {
	t.Helper()
	if opts.StateDir == "" {
		opts.StateDir = t.TempDir()
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, startServing(t, s)
}

func startServing(t *testing.T, s *Sim) *http.Client {
	t.Helper()
	ready, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(ready.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	c := &http.Client{Transport: tr}
	t.Cleanup(func() { tr.CloseIdleConnections(); s.Close() })
	return c
}

func do(t *testing.T, c *http.Client, method, url, token, contentType, body string) (int, http.Header, string) {
	t.Helper()
	auth := ""
	if token != "" {
		auth = "Bearer " + token
	}
	return doAuth(t, c, method, url, auth, contentType, body)
}

// doAuth sends a request with a literal Authorization header ("" for none).
func doAuth(t *testing.T, c *http.Client, method, url, auth, contentType, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

func tokenForm(clientID, secret, scope string) string {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "scope": {scope}}.Encode()
}

// readOnlyToken is an access token for the simulator's read-only client.
func readOnlyToken(t *testing.T, c *http.Client, r Ready) string {
	t.Helper()
	_, _, body := do(t, c, "POST", r.AuthorityHost+r.TenantID+"/oauth2/v2.0/token", "", "application/x-www-form-urlencoded", tokenForm(r.ReadOnlyClientID, r.ReadOnlyClientSecret, "https://graph.microsoft.com/.default"))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("read-only token: %s", body)
	}
	return tok.AccessToken
}
