package graph

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryHonoursRetryAfterSeconds(t *testing.T) {
	var calls atomic.Int32
	c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "7")
			writeGraphError(w, http.StatusTooManyRequests, "TooManyRequests", "slow down")
			return
		}
		_, _ = w.Write([]byte(`{"id":"x"}`))
	}))
	var out struct{ ID string }
	if err := c.Do(context.Background(), "GET", "/servicePrincipals/x", nil, &out); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if out.ID != "x" || calls.Load() != 2 {
		t.Fatalf("got id %q after %d calls, want x after 2", out.ID, calls.Load())
	}
	if len(rec.waits) != 1 || rec.waits[0] != 7*time.Second {
		t.Fatalf("waits = %v, want [7s]", rec.waits)
	}
	if got := c.Requests().Throttled(); got != 1 {
		t.Fatalf("throttled count = %d, want 1", got)
	}
}

func TestRetryHonoursRetryAfterHTTPDate(t *testing.T) {
	var calls atomic.Int32
	c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", time.Now().Add(10*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	if err := c.Do(context.Background(), "POST", "/servicePrincipals/x/synchronization/jobs/j/start", nil, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	// HTTP dates have one-second resolution.
	if len(rec.waits) != 1 || rec.waits[0] < 8*time.Second || rec.waits[0] > 10*time.Second {
		t.Fatalf("waits = %v, want one wait of about 9-10s", rec.waits)
	}
}

func TestRetry503And504UseBackoffWithoutRetryAfter(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var calls atomic.Int32
			c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) <= 2 {
					w.WriteHeader(status)
					return
				}
				_, _ = w.Write([]byte(`{}`))
			}))
			if err := c.Do(context.Background(), "GET", "/applicationTemplates", nil, nil); err != nil {
				t.Fatalf("Do: %v", err)
			}
			if calls.Load() != 3 || len(rec.waits) != 2 {
				t.Fatalf("calls=%d waits=%v, want 3 calls and 2 waits", calls.Load(), rec.waits)
			}
			// Exponential with jitter in [d/2, d]: 250-500ms, then 500ms-1s.
			if w := rec.waits[0]; w < DefaultRetryBaseDelay/2 || w > DefaultRetryBaseDelay {
				t.Errorf("first backoff %s outside [%s, %s]", w, DefaultRetryBaseDelay/2, DefaultRetryBaseDelay)
			}
			if w := rec.waits[1]; w < DefaultRetryBaseDelay || w > 2*DefaultRetryBaseDelay {
				t.Errorf("second backoff %s outside [%s, %s]", w, DefaultRetryBaseDelay, 2*DefaultRetryBaseDelay)
			}
		})
	}
}

func TestRetryDoesNotResendPostOnGatewayTimeout(t *testing.T) {
	var calls atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusGatewayTimeout)
	}))
	err := c.Do(context.Background(), "POST", "/applicationTemplates/t/instantiate", map[string]string{"displayName": "a"}, nil)
	if StatusCode(err) != http.StatusGatewayTimeout || calls.Load() != 1 {
		t.Fatalf("err=%v calls=%d, want one 504 and no resend (it could duplicate the app)", err, calls.Load())
	}
}

func TestRetryStopsAtTotalWaitBudget(t *testing.T) {
	var calls atomic.Int32
	c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "10")
		writeGraphError(w, http.StatusTooManyRequests, "TooManyRequests", "throttled")
	}), func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 100, MaxWait: 25 * time.Second} })
	err := c.Do(context.Background(), "GET", "/auditLogs/provisioning", nil, nil)
	if !isThrottled(err) {
		t.Fatalf("err = %v, want a 429 *Error", err)
	}
	ge, _ := AsError(err)
	if ge.RetryAfter != 10*time.Second {
		t.Errorf("RetryAfter = %s, want 10s", ge.RetryAfter)
	}
	// 10s + 10s fit in 25s; a third wait would reach 30s.
	if calls.Load() != 3 || rec.total() != 20*time.Second {
		t.Fatalf("calls=%d total wait=%s, want 3 calls and 20s", calls.Load(), rec.total())
	}
}

func TestRetryStopsAtMaxAttempts(t *testing.T) {
	var calls atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}), func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 3} })
	err := c.Do(context.Background(), "GET", "/applicationTemplates", nil, nil)
	if StatusCode(err) != http.StatusServiceUnavailable || calls.Load() != 3 {
		t.Fatalf("err=%v calls=%d, want 503 after 3 attempts", err, calls.Load())
	}
}

func TestDirectedThrottlingGetsTheLargerAttemptCap(t *testing.T) {
	var calls atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 7 {
			w.Header().Set("Retry-After", "1")
			writeGraphError(w, http.StatusTooManyRequests, "TooManyRequests", "throttled")
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}), func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 3, MaxThrottledAttempts: 10} })
	if err := c.Do(context.Background(), "GET", "/applicationTemplates", nil, nil); err != nil {
		t.Fatalf("7 throttles with Retry-After then success: err = %v, want nil (cap 10 for directed throttling)", err)
	}
	if calls.Load() != 8 {
		t.Fatalf("calls = %d, want 8", calls.Load())
	}
}

func TestUndirectedFailureKeepsTheSmallAttemptCap(t *testing.T) {
	var calls atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable) // no Retry-After: not directed
			return
		}
		w.Header().Set("Retry-After", "1")
		writeGraphError(w, http.StatusTooManyRequests, "TooManyRequests", "throttled")
	}), func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 3, MaxThrottledAttempts: 10} })
	err := c.Do(context.Background(), "GET", "/applicationTemplates", nil, nil)
	if !isThrottled(err) || calls.Load() != 3 {
		t.Fatalf("err=%v calls=%d, want a 429 after 3 attempts (a 503 without Retry-After was seen)", err, calls.Load())
	}
}

func TestNoRetryOnBadRequest(t *testing.T) {
	var calls atomic.Int32
	c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeGraphError(w, http.StatusBadRequest, "Request_BadRequest", "Invalid filter clause")
	}))
	err := c.Do(context.Background(), "GET", "/applicationTemplates?$filter=bad", nil, nil)
	if !IsBadRequest(err) || calls.Load() != 1 || len(rec.waits) != 0 {
		t.Fatalf("err=%v calls=%d waits=%v, want one 400 and no retry", err, calls.Load(), rec.waits)
	}
}

func TestRetryResendsTheSameBody(t *testing.T) {
	var bodies []string
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	if err := c.Do(context.Background(), "PUT", "/servicePrincipals/x/synchronization/jobs/j/schema", map[string]any{"id": "s"}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(bodies) != 2 || bodies[0] != `{"id":"s"}` || bodies[1] != bodies[0] {
		t.Fatalf("bodies = %q, want the same JSON twice", bodies)
	}
}

// resetOnce closes the first connection without answering.
func resetOnce(calls *atomic.Int32, then http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST instead of FIN
				}
				_ = conn.Close()
			}
			return
		}
		then(w, r)
	}
}

func TestRetryConnectionResetOnlyForIdempotentMethods(t *testing.T) {
	ok := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }

	var getCalls atomic.Int32
	c, _, _ := newTestClient(t, resetOnce(&getCalls, ok))
	if err := c.Do(context.Background(), "GET", "/servicePrincipals/x", nil, nil); err != nil {
		t.Fatalf("GET after a reset: %v", err)
	}
	if getCalls.Load() != 2 {
		t.Fatalf("GET calls = %d, want 2 (reset, then retried)", getCalls.Load())
	}

	var postCalls atomic.Int32
	c, _, _ = newTestClient(t, resetOnce(&postCalls, ok))
	err := c.Do(context.Background(), "POST", "/servicePrincipals/x/appRoleAssignedTo", map[string]string{"a": "b"}, nil)
	if err == nil || postCalls.Load() != 1 {
		t.Fatalf("POST after a reset: err=%v calls=%d, want an error and no resend", err, postCalls.Load())
	}
}

func TestPerAttemptTimeoutRetriesGet(t *testing.T) {
	var calls atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}), func(c *Config) { c.RequestTimeout = 150 * time.Millisecond })
	var out map[string]any
	if err := c.Do(context.Background(), "GET", "/servicePrincipals/x", nil, &out); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if calls.Load() != 2 || out["ok"] != true {
		t.Fatalf("calls=%d out=%v, want a second attempt that succeeded", calls.Load(), out)
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	c.httpClient.Transport.(*retryTransport).sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return sleepContext(ctx, d)
	}
	err := c.Do(ctx, "GET", "/servicePrincipals/x", nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"5", 5 * time.Second, true},
		{"0", 0, true},
		{"1.5", 1500 * time.Millisecond, true},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(-30 * time.Second).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %t; want %s, %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	h := http.Header{}
	h.Set("retry-after-ms", "250")
	h.Set("Retry-After", "9")
	if got, _ := retryAfter(h, now); got != 250*time.Millisecond {
		t.Errorf("retry-after-ms should win over Retry-After: got %s", got)
	}
}

func TestRetryDecisionsAreLogged(t *testing.T) {
	logs := &capturedLog{}
	var calls atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			w.Header().Set("x-ms-throttle-scope", "Tenant_Application/ReadWrite/t/a")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}), func(cfg *Config) { cfg.Logger = logs })
	if err := c.Do(context.Background(), "GET", "/servicePrincipals/x", nil, nil); err != nil {
		t.Fatal(err)
	}
	text := logs.text()
	for _, want := range []string{
		`graph retry {"attempt":1`, `"reason":"429 with Retry-After"`, `"wait":"2s"`,
		`"x_ms_throttle_scope":"Tenant_Application/ReadWrite/t/a"`,
		`graph response {"duration_ms":`, `"status":429`, `"status":204`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("logs lack %s:\n%s", want, text)
		}
	}
}
