package graph

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"
)

// levelEnabler is implemented by loggers that can say cheaply whether a level
// is wanted; bodies are only read and redacted for trace when it is.
type levelEnabler interface {
	Enabled(ctx context.Context, level Level) bool
}

// observeTransport counts every attempt per route and logs it, redacted.
// It sits below authTransport so the logged headers show that Authorization
// was sent (as [REDACTED]).
type observeTransport struct {
	next   http.RoundTripper
	client *Client
	count  bool   // false for the authority (token requests are not Graph calls)
	kind   string // "graph" or "authority": the prefix of log messages
}

func (t *observeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	route := Route(req.Method, req.URL.Path)
	traceOn := t.client.enabled(ctx, LevelTrace)
	token := bearerOf(req)
	if traceOn {
		// Read the body itself (GetBody of some clients, azcore's among them,
		// hands back the same reader) and put an identical one back.
		var body []byte
		if req.Body != nil && req.Body != http.NoBody {
			var err error
			body, err = io.ReadAll(req.Body)
			_ = req.Body.Close()
			if err != nil {
				return nil, err
			}
			req = req.Clone(ctx)
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
		t.client.log(ctx, LevelTrace, t.kind+" request", map[string]any{
			"method": req.Method, "url": req.URL.String(),
			"headers": redactHeaders(req.Header),
			"body":    redactBody(req.URL.Path, req.Header.Get("Content-Type"), body, token),
		})
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	if t.count {
		t.client.counter.Add(route, status)
		if t.client.onResponse != nil {
			t.client.onResponse(RequestEvent{Route: route, StatusCode: status, Duration: elapsed, Err: err})
		}
	}
	fields := map[string]any{
		"method": req.Method, "url": req.URL.String(), "route": route,
		"status": status, "duration_ms": elapsed.Milliseconds(),
	}
	if err != nil {
		fields["error"] = scrub(err.Error(), token)
		t.client.log(ctx, LevelDebug, t.kind+" request failed", fields)
		return resp, err
	}
	if id := resp.Header.Get("request-id"); id != "" {
		fields["request_id"] = id
	}
	t.client.log(ctx, LevelDebug, t.kind+" response", fields)
	if traceOn {
		body, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if rerr != nil {
			resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{rerr}))
		}
		t.client.log(ctx, LevelTrace, t.kind+" response body", map[string]any{
			"method": req.Method, "url": req.URL.String(), "status": status,
			"headers": redactHeaders(resp.Header),
			"body":    redactBody(req.URL.Path, resp.Header.Get("Content-Type"), body, token),
		})
	}
	return resp, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func bearerOf(req *http.Request) string {
	h := req.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return h[7:]
	}
	return ""
}

func (c *Client) enabled(ctx context.Context, level Level) bool {
	if c.logger == nil {
		return false
	}
	if le, ok := c.logger.(levelEnabler); ok {
		return le.Enabled(ctx, level)
	}
	return true
}

// scrub removes a known secret from free text (error messages may echo URLs
// or headers).
func scrub(text, secret string) string {
	if secret == "" {
		return text
	}
	return strings.ReplaceAll(text, secret, redacted)
}
