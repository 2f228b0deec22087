package graph

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// staticCredential hands out a fixed token and counts how often it was asked.
type staticCredential struct {
	token string
	mu    sync.Mutex
	calls int
}

func (s *staticCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	return azcore.AccessToken{Token: s.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// sleepRecorder replaces real waits in tests and records what was asked.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
	return ctx.Err()
}

func (r *sleepRecorder) total() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var t time.Duration
	for _, w := range r.waits {
		t += w
	}
	return t
}

// newTestClient starts handler on a loopback http server and returns a
// client for it whose waits are recorded instead of slept.
func newTestClient(t testing.TB, handler http.Handler, mutate ...func(*Config)) (*Client, *sleepRecorder, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	cfg := Config{
		GraphEndpoint: srv.URL,
		AuthorityHost: srv.URL + "/",
		Credential:    &staticCredential{token: "test-access-token-abcdef"},
		UserAgent:     "graph-test/1.0",
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rec := &sleepRecorder{}
	c.httpClient.Transport.(*retryTransport).sleep = rec.sleep
	c.sleep = rec.sleep
	return c, rec, srv
}

// writeGraphError writes Graph's error envelope.
func writeGraphError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":{"code":"` + code + `","message":"` + message +
		`","innerError":{"date":"2026-11-25T12:00:00","request-id":"req-123","client-request-id":"c-1"}}}`))
}
