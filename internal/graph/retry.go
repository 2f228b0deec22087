package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Retry bounds. Graph asks throttled clients to wait Retry-After seconds
// (typically 1–30 s); a Terraform operation should ride out a few of those
// but not hang for minutes on a service that keeps refusing.
//
// A 429 that carries Retry-After is the server telling us exactly how long to
// wait, and under heavy throttling (the soak's 50 % case) a handful of
// attempts fails often: 6 attempts lose one request in 64, so an apply of a
// few hundred requests rarely converges. Such answers are therefore bounded by
// the total wait and a larger attempt cap; errors without that guidance
// (5xx, resets, 429 without Retry-After) keep the small cap.
const (
	DefaultMaxAttempts          = 6               // first try plus five retries
	DefaultMaxThrottledAttempts = 20              // when every refusal was a 429 with Retry-After
	DefaultMaxRetryWait         = 2 * time.Minute // total sleep across the retries of one request
	DefaultRetryBaseDelay       = 500 * time.Millisecond
	DefaultRetryMaxDelay        = 30 * time.Second // cap of one backoff step without Retry-After
)

// RetryPolicy bounds the transport's retries; zero fields take the defaults.
type RetryPolicy struct {
	MaxAttempts          int
	MaxThrottledAttempts int // attempts allowed while the server keeps answering 429 with Retry-After
	MaxWait              time.Duration
	BaseDelay            time.Duration
	MaxDelay             time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MaxThrottledAttempts <= 0 {
		p.MaxThrottledAttempts = max(DefaultMaxThrottledAttempts, p.MaxAttempts)
	}
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxRetryWait
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultRetryBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultRetryMaxDelay
	}
	return p
}

// backoff returns the wait before retry number n (1-based) when the server
// gave no Retry-After: exponential with full jitter in [d/2, d].
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay << min(n-1, 20)
	if d <= 0 || d > p.MaxDelay {
		d = p.MaxDelay
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryTransport resends requests Graph refused for load (429, 503, and 504
// for idempotent methods) or that lost their connection, waiting as the
// server asks. Each attempt gets its own timeout.
type retryTransport struct {
	next    http.RoundTripper
	policy  RetryPolicy
	timeout time.Duration
	client  *Client
	sleep   func(ctx context.Context, d time.Duration) error // replaced in tests
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body, err := bufferBody(req)
	if err != nil {
		return nil, err
	}
	var waited time.Duration
	onlyDirectedThrottling := true // every refusal so far was a 429 with Retry-After
	for attempt := 1; ; attempt++ {
		resp, cancel, err := t.attempt(req, body)
		decision, wait := t.decide(req, resp, err, attempt)
		if decision == "" {
			if resp != nil {
				resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
			} else {
				cancel()
			}
			return resp, err
		}
		if decision != throttledWithRetryAfter {
			onlyDirectedThrottling = false
		}
		maxAttempts := t.policy.MaxAttempts
		if onlyDirectedThrottling {
			maxAttempts = t.policy.MaxThrottledAttempts
		}
		if attempt >= maxAttempts || waited+wait > t.policy.MaxWait {
			t.client.log(ctx, LevelWarn, "graph retry budget exhausted", map[string]any{
				"method": req.Method, "url": req.URL.String(), "reason": decision, "attempts": attempt,
				"waited": waited.String(), "next_wait": wait.String(),
				"max_attempts": maxAttempts, "max_wait": t.policy.MaxWait.String(),
			})
			if resp != nil {
				resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
			} else {
				cancel()
			}
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
		}
		cancel()
		fields := map[string]any{
			"method": req.Method, "url": req.URL.String(), "reason": decision,
			"attempt": attempt, "wait": wait.String(),
		}
		if resp != nil {
			// Graph's identity throttling headers say which limit was hit.
			for _, h := range []string{"x-ms-throttle-scope", "x-ms-throttle-information", "request-id"} {
				if v := resp.Header.Get(h); v != "" {
					fields[strings.ReplaceAll(h, "-", "_")] = v
				}
			}
		}
		t.client.log(ctx, LevelDebug, "graph retry", fields)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("stopped while waiting %s to retry after %s: %w", wait, decision, err)
		}
		waited += wait
	}
}

func (t *retryTransport) attempt(req *http.Request, body []byte) (*http.Response, context.CancelFunc, error) {
	actx, cancel := context.WithTimeout(req.Context(), t.timeout)
	r := req.Clone(actx)
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil && actx.Err() == context.DeadlineExceeded && req.Context().Err() == nil {
		err = fmt.Errorf("no answer within %s (per-request timeout): %w", t.timeout, err)
	}
	return resp, cancel, err
}

// decide returns why the attempt should be retried ("" = do not retry) and
// how long to wait first.
func (t *retryTransport) decide(req *http.Request, resp *http.Response, err error, attempt int) (string, time.Duration) {
	if req.Context().Err() != nil {
		return "", 0
	}
	if err != nil {
		if reason := retryableNetError(req.Method, err); reason != "" {
			return reason, t.policy.backoff(attempt)
		}
		return "", 0
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
	case http.StatusGatewayTimeout:
		// A gateway timeout may hide a request that the backend completed:
		// resending a POST (instantiate, create job) could create a duplicate.
		if !idempotent(req.Method) {
			return "", 0
		}
	default:
		return "", 0
	}
	reason := strconv.Itoa(resp.StatusCode)
	if d, ok := retryAfter(resp.Header, time.Now()); ok {
		return reason + " with Retry-After", d
	}
	return reason, t.policy.backoff(attempt)
}

// throttledWithRetryAfter is decide's reason for a 429 that said how long to wait.
var throttledWithRetryAfter = strconv.Itoa(http.StatusTooManyRequests) + " with Retry-After"

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryableNetError: a refused connection never reached the server, so any
// method may be resent; a reset, EOF or per-attempt timeout might have been
// processed, so only idempotent methods are.
func retryableNetError(method string, err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case !idempotent(method):
		return ""
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.Is(err, context.DeadlineExceeded):
		return "per-request timeout"
	}
	return ""
}

// retryAfter reads Retry-After (seconds or an HTTP date) and the Azure
// retry-after-ms / x-ms-retry-after-ms variants.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	for _, name := range []string{"retry-after-ms", "x-ms-retry-after-ms"} {
		if v := h.Get(name); v != "" {
			if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
				return time.Duration(ms * float64(time.Millisecond)), true
			}
		}
	}
	return parseRetryAfter(h.Get("Retry-After"), now)
}

func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		d := at.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// bufferBody reads the request body once so every attempt can resend it.
func bufferBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	return b, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// cancelOnClose releases the attempt's timeout context once the caller has
// finished reading the body.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
