package graph

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// countingCredential issues token-1, token-2, … on each call.
type countingCredential struct {
	mu    sync.Mutex
	calls int
	ttl   time.Duration
}

func (c *countingCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	return azcore.AccessToken{Token: "token-" + strconv.Itoa(c.calls), ExpiresOn: time.Now().Add(c.ttl)}, nil
}

func TestTokenIsCachedUntilNearExpiry(t *testing.T) {
	cred := &countingCredential{ttl: time.Hour}
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}), func(cfg *Config) { cfg.Credential = cred })
	for range 5 {
		if err := c.Do(context.Background(), "GET", "/users", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if cred.calls != 1 {
		t.Fatalf("credential asked %d times for 5 requests, want 1", cred.calls)
	}

	short := &countingCredential{ttl: tokenRefreshMargin / 2} // always inside the refresh margin
	c, _, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}), func(cfg *Config) { cfg.Credential = short })
	for range 3 {
		_ = c.Do(context.Background(), "GET", "/users", nil, nil)
	}
	if short.calls != 3 {
		t.Fatalf("a token about to expire must be renewed: %d calls for 3 requests", short.calls)
	}
}

func TestRejectedTokenIsRenewedAndTheRequestResentOnce(t *testing.T) {
	cred := &countingCredential{ttl: time.Hour}
	var seen []string
	var bodies []string
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Header.Get("Authorization"))
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if r.Header.Get("Authorization") == "Bearer token-1" {
			writeGraphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token has expired.")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}), func(cfg *Config) { cfg.Credential = cred })
	if err := c.Do(context.Background(), "PUT", "/servicePrincipals/x/synchronization/jobs/j/schema", map[string]int{"a": 1}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(seen) != 2 || seen[1] != "Bearer token-2" || bodies[1] != `{"a":1}` {
		t.Fatalf("authorizations %v bodies %q, want a resend with token-2 and the same body", seen, bodies)
	}

	// A token the service keeps rejecting is not retried in a loop.
	always := &countingCredential{ttl: time.Hour}
	calls := 0
	c, _, _ = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		writeGraphError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "wrong audience")
	}), func(cfg *Config) { cfg.Credential = always })
	err := c.Do(context.Background(), "GET", "/users", nil, nil)
	if !IsUnauthorized(err) || calls != 2 {
		t.Fatalf("err=%v calls=%d, want 401 after exactly one resend", err, calls)
	}
}

func TestTokenOnlyGoesToTheGraphHost(t *testing.T) {
	tokens := &tokenCache{cred: &countingCredential{ttl: time.Hour}, scope: "s"}
	var got string
	tr := &authTransport{next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Get("Authorization")
		return &http.Response{StatusCode: 204, Body: http.NoBody, Header: http.Header{}}, nil
	}), tokens: tokens, graphHost: "graph.example.test"}
	req, _ := http.NewRequest("GET", "https://elsewhere.example.test/x", nil)
	if _, err := tr.RoundTrip(req); err != nil || got != "" {
		t.Fatalf("a request to another host got Authorization %q (err %v)", got, err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
