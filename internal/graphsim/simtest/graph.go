package simtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Token returns an access token for the default client (cached).
func (e *Env) Token(tb testing.TB) string {
	tb.Helper()
	tok, err := e.TokenFor(e.Ready.ClientID, e.Ready.ClientSecret)
	if err != nil {
		tb.Fatalf("simtest: %v", err)
	}
	return tok
}

// TokenFor gets an access token for any client through the token endpoint.
func (e *Env) TokenFor(clientID, secret string) (string, error) {
	ts := &e.tokens
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if c, ok := ts.cache[clientID]; ok && time.Until(c.expires) > time.Minute {
		return c.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {clientID},
		"client_secret": {secret},
		"scope":         {"https://graph.microsoft.com/.default"},
	}
	resp, err := e.client.PostForm(e.Ready.AuthorityHost+e.Ready.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		return "", fmt.Errorf("requesting a token: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", fmt.Errorf("decoding the token response (HTTP %d): %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		return "", fmt.Errorf("token endpoint answered %d %s: %s", resp.StatusCode, body.Error, body.Description)
	}
	ts.cache[clientID] = cachedToken{token: body.AccessToken, expires: time.Now().Add(time.Duration(body.ExpiresIn) * time.Second)}
	return body.AccessToken, nil
}

// Graph makes an authenticated Graph request as the default client, the way
// an administrator would in the portal (for drift tests). path is relative
// to {graph_endpoint}/v1.0 ("/servicePrincipals/x") or an absolute URL (an
// @odata.nextLink). body is nil, a []byte/string sent as JSON text, or a
// value marshalled to JSON. Transport errors fail the test; HTTP errors are
// returned as status codes.
func (e *Env) Graph(tb testing.TB, method, path string, body any) (int, []byte) {
	tb.Helper()
	return e.GraphAs(tb, e.Ready.ClientID, e.Ready.ClientSecret, method, path, body)
}

// GraphReadOnly is Graph as the seeded read-only client.
func (e *Env) GraphReadOnly(tb testing.TB, method, path string, body any) (int, []byte) {
	tb.Helper()
	return e.GraphAs(tb, e.Ready.ReadOnlyClientID, e.Ready.ReadOnlyClientSecret, method, path, body)
}

// GraphAs is Graph as any client.
func (e *Env) GraphAs(tb testing.TB, clientID, secret, method, path string, body any) (int, []byte) {
	tb.Helper()
	tok, err := e.TokenFor(clientID, secret)
	if err != nil {
		tb.Fatalf("simtest: %v", err)
	}
	status, resp, err := e.Do(tok, method, path, body)
	if err != nil {
		tb.Fatalf("simtest: %s %s: %v", method, path, err)
	}
	return status, resp
}

// Do sends a Graph request with the given bearer token ("" sends none).
func (e *Env) Do(token, method, path string, body any) (int, []byte, error) {
	target := path
	if !strings.HasPrefix(path, "https://") {
		target = e.Ready.GraphEndpoint + "/v1.0" + path
	}
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case []byte:
			rd = bytes.NewReader(b)
		case string:
			rd = strings.NewReader(b)
		default:
			data, err := json.Marshal(b)
			if err != nil {
				return 0, nil, fmt.Errorf("encoding the body: %w", err)
			}
			rd = bytes.NewReader(data)
		}
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}
