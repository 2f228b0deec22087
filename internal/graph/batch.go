package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Batch limits.
const (
	// MaxBatchSize is Graph's limit of requests in one $batch call.
	MaxBatchSize = 20
	// DefaultBatchItemRetries bounds how often an item answered 429 inside a
	// batch is re-sent.
	DefaultBatchItemRetries = 5
	// defaultBatchItemBackoff is the wait for a throttled item that carried
	// no Retry-After.
	defaultBatchItemBackoff = 2 * time.Second
)

// BatchRequest is one request inside a $batch call. URL is relative to /v1.0
// ("/servicePrincipals/x"). Body is nil, json.RawMessage/[]byte or a value
// to marshal; a Content-Type of application/json is added when a body is
// present. DependsOn names ids in the same Batch call.
type BatchRequest struct {
	ID        string
	Method    string
	URL       string
	Headers   map[string]string
	Body      any
	DependsOn []string
}

// BatchResponse is the answer to one BatchRequest.
type BatchResponse struct {
	ID      string
	Status  int
	Headers map[string]string
	Body    json.RawMessage
	method  string
	url     string
}

// Err returns the item's failure as *Error (nil for 2xx), so the same
// predicates (IsNotFound, …) work on batch items.
func (r BatchResponse) Err() error {
	if r.Status >= 200 && r.Status <= 299 {
		return nil
	}
	resp := &http.Response{StatusCode: r.Status, Header: http.Header{}}
	for k, v := range r.Headers {
		resp.Header.Set(k, v)
	}
	return newErrorFromResponse(r.method, pathOnly(r.url), resp, r.Body)
}

// Decode unmarshals the item's body into out (see Do for the out kinds).
func (r BatchResponse) Decode(out any) error { return decodeInto(r.Body, out) }

type batchWireRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
	DependsOn []string          `json:"dependsOn,omitempty"`
}

type batchWireResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// Batch sends requests through POST /$batch in calls of at most 20 (keeping
// each dependsOn chain in one call), re-sends items answered 429 after their
// Retry-After (bounded by DefaultBatchItemRetries and the client's total
// retry wait), and returns the answers in request order. An error is
// returned only when a whole $batch call fails; per-item failures are in
// each BatchResponse (see Err).
func (c *Client) Batch(ctx context.Context, requests []BatchRequest) ([]BatchResponse, error) {
	wire, err := toWire(requests)
	if err != nil {
		return nil, err
	}
	chunks, err := chunkBatch(wire, MaxBatchSize)
	if err != nil {
		return nil, err
	}
	answers := make(map[string]BatchResponse, len(requests))
	for _, chunk := range chunks {
		if err := c.sendChunk(ctx, chunk, answers); err != nil {
			return nil, err
		}
	}
	out := make([]BatchResponse, len(requests))
	for i, r := range requests {
		a, ok := answers[strings.ToLower(r.ID)]
		if !ok {
			return nil, fmt.Errorf("graph: POST /$batch: no answer for request %q (%s %s)", r.ID, r.Method, r.URL)
		}
		a.method, a.url = r.Method, r.URL
		out[i] = a
	}
	return out, nil
}

// sendChunk posts one chunk and re-sends throttled items (and the items that
// failed with 424 because a throttled item they depend on did not run).
func (c *Client) sendChunk(ctx context.Context, chunk []batchWireRequest, answers map[string]BatchResponse) error {
	pending := chunk
	var waited time.Duration
	for round := 0; ; round++ {
		var result struct {
			Responses []batchWireResponse `json:"responses"`
		}
		if err := c.Do(ctx, http.MethodPost, "/$batch", map[string]any{"requests": pending}, &result); err != nil {
			return err
		}
		var throttled []string
		var wait time.Duration
		got := map[string]batchWireResponse{}
		for _, r := range result.Responses {
			got[strings.ToLower(r.ID)] = r
		}
		for _, p := range pending {
			r, ok := got[strings.ToLower(p.ID)]
			if !ok {
				return fmt.Errorf("graph: POST /$batch: the answer lacks request %q (%s %s)", p.ID, p.Method, p.URL)
			}
			answers[strings.ToLower(p.ID)] = BatchResponse{ID: p.ID, Status: r.Status, Headers: r.Headers, Body: r.Body}
			if c.onItem != nil {
				c.onItem(BatchItemEvent{Route: Route(p.Method, pathOnly(p.URL)), StatusCode: r.Status, Round: round})
			}
			if r.Status == http.StatusTooManyRequests {
				throttled = append(throttled, p.ID)
				d := defaultBatchItemBackoff
				if ra, ok := retryAfter(headerOf(r.Headers), time.Now()); ok {
					d = ra
				}
				wait = max(wait, d)
			}
		}
		if len(throttled) == 0 {
			return nil
		}
		if round >= DefaultBatchItemRetries || waited+wait > c.retry.MaxWait {
			c.log(ctx, LevelWarn, "graph batch items still throttled; giving up", map[string]any{
				"throttled": len(throttled), "rounds": round + 1, "waited": waited.String(),
			})
			return nil // the 429 answers stay in answers for the caller
		}
		pending = withFailedDependents(pending, throttled, got)
		c.log(ctx, LevelDebug, "graph batch retry", map[string]any{
			"throttled": len(throttled), "resending": len(pending), "wait": wait.String(), "round": round + 1,
		})
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("graph: POST /$batch: gave up waiting to re-send %d throttled requests: %w", len(throttled), err)
		}
		waited += wait
	}
}

// withFailedDependents returns the throttled requests plus every request
// that failed with 424 Failed Dependency because of them, in chunk order.
// dependsOn links to requests that succeeded are dropped: they already ran.
func withFailedDependents(chunk []batchWireRequest, throttled []string, got map[string]batchWireResponse) []batchWireRequest {
	resend := map[string]bool{}
	for _, id := range throttled {
		resend[strings.ToLower(id)] = true
	}
	for changed := true; changed; {
		changed = false
		for _, r := range chunk {
			id := strings.ToLower(r.ID)
			if resend[id] || got[id].Status != http.StatusFailedDependency {
				continue
			}
			for _, d := range r.DependsOn {
				if resend[strings.ToLower(d)] {
					resend[id], changed = true, true
					break
				}
			}
		}
	}
	var out []batchWireRequest
	for _, r := range chunk {
		if !resend[strings.ToLower(r.ID)] {
			continue
		}
		var deps []string
		for _, d := range r.DependsOn {
			if resend[strings.ToLower(d)] {
				deps = append(deps, d)
			}
		}
		r.DependsOn = deps
		out = append(out, r)
	}
	return out
}

func toWire(requests []BatchRequest) ([]batchWireRequest, error) {
	seen := map[string]bool{}
	wire := make([]batchWireRequest, len(requests))
	for i, r := range requests {
		if r.ID == "" {
			return nil, fmt.Errorf("graph: batch request %d (%s %s) has no ID: give every request a unique ID", i, r.Method, r.URL)
		}
		key := strings.ToLower(r.ID)
		if seen[key] {
			return nil, fmt.Errorf("graph: batch request ID %q is used twice (IDs are compared case-insensitively): make them unique", r.ID)
		}
		seen[key] = true
		w := batchWireRequest{ID: r.ID, Method: strings.ToUpper(r.Method), URL: r.URL, DependsOn: r.DependsOn}
		if !strings.HasPrefix(w.URL, "/") {
			w.URL = "/" + w.URL
		}
		if len(r.Headers) > 0 {
			w.Headers = map[string]string{}
			for k, v := range r.Headers {
				w.Headers[k] = v
			}
		}
		if r.Body != nil {
			switch b := r.Body.(type) {
			case json.RawMessage:
				w.Body = b
			case []byte:
				w.Body = b
			default:
				enc, err := json.Marshal(b)
				if err != nil {
					return nil, fmt.Errorf("graph: batch request %q: encoding the body: %w", r.ID, err)
				}
				w.Body = enc
			}
			if w.Headers == nil {
				w.Headers = map[string]string{}
			}
			if headerOf(w.Headers).Get("Content-Type") == "" {
				w.Headers["Content-Type"] = "application/json" // Graph rejects a body without it
			}
		}
		wire[i] = w
	}
	for _, w := range wire {
		for _, d := range w.DependsOn {
			if !seen[strings.ToLower(d)] {
				return nil, fmt.Errorf("graph: batch request %q depends on %q, which is not in the batch", w.ID, d)
			}
		}
	}
	return wire, nil
}

// chunkBatch splits requests into calls of at most size, keeping requests
// linked by dependsOn in the same call (Graph only resolves dependsOn within
// one $batch). Groups keep the order of their first request.
func chunkBatch(reqs []batchWireRequest, size int) ([][]batchWireRequest, error) {
	parent := make([]int, len(reqs))
	index := map[string]int{}
	for i, r := range reqs {
		parent[i] = i
		index[strings.ToLower(r.ID)] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, r := range reqs {
		for _, d := range r.DependsOn {
			a, b := find(i), find(index[strings.ToLower(d)])
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	var groups [][]batchWireRequest
	groupOf := map[int]int{}
	for i, r := range reqs {
		root := find(i)
		g, ok := groupOf[root]
		if !ok {
			g = len(groups)
			groupOf[root] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], r)
	}
	var chunks [][]batchWireRequest
	var current []batchWireRequest
	for _, g := range groups {
		if len(g) > size {
			return nil, fmt.Errorf("graph: %d batch requests are chained by dependsOn (starting at %q); one $batch call holds at most %d", len(g), g[0].ID, size)
		}
		if len(current)+len(g) > size {
			chunks = append(chunks, current)
			current = nil
		}
		current = append(current, g...)
	}
	if len(current) > 0 {
		chunks = append(chunks, current)
	}
	return chunks, nil
}

func headerOf(m map[string]string) http.Header {
	h := http.Header{}
	for k, v := range m {
		h.Set(k, v)
	}
	return h
}

func pathOnly(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}
