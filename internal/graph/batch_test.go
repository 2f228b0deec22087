package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type batchCall struct {
	Requests []batchWireRequest `json:"requests"`
}

// batchServer answers $batch calls with the given per-item function,
// returning the responses in reverse order as Graph may.
func batchServer(t *testing.T, calls *[]batchCall, mu *sync.Mutex, answer func(call int, r batchWireRequest) batchWireResponse) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1.0/$batch" {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		var call batchCall
		if err := json.NewDecoder(r.Body).Decode(&call); err != nil {
			t.Errorf("decoding batch: %v", err)
		}
		mu.Lock()
		*calls = append(*calls, call)
		n := len(*calls)
		mu.Unlock()
		if len(call.Requests) > MaxBatchSize {
			writeGraphError(w, http.StatusBadRequest, "BadRequest", "too many requests in batch")
			return
		}
		var out []batchWireResponse
		for i := len(call.Requests) - 1; i >= 0; i-- {
			out = append(out, answer(n, call.Requests[i]))
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"responses": out})
	})
}

func TestBatchChunksAndKeepsOrder(t *testing.T) {
	var calls []batchCall
	var mu sync.Mutex
	c, _, _ := newTestClient(t, batchServer(t, &calls, &mu, func(_ int, r batchWireRequest) batchWireResponse {
		return batchWireResponse{ID: r.ID, Status: 200, Body: json.RawMessage(`{"url":"` + r.URL + `"}`)}
	}))
	var reqs []BatchRequest
	for i := range 45 {
		reqs = append(reqs, BatchRequest{ID: fmt.Sprint(i), Method: "get", URL: fmt.Sprintf("/users/u%d", i)})
	}
	resps, err := c.Batch(context.Background(), reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || len(calls[0].Requests) != 20 || len(calls[1].Requests) != 20 || len(calls[2].Requests) != 5 {
		t.Fatalf("calls of sizes %d, want 20, 20, 5", sizes(calls))
	}
	for i, r := range resps {
		var body struct{ URL string }
		if err := r.Decode(&body); err != nil || r.ID != fmt.Sprint(i) || body.URL != fmt.Sprintf("/users/u%d", i) || r.Err() != nil {
			t.Fatalf("response %d = %+v (%v), out of order or wrong", i, r, err)
		}
	}
	if calls[0].Requests[0].Method != "GET" {
		t.Errorf("methods should be upper-cased, got %s", calls[0].Requests[0].Method)
	}
}

func sizes(calls []batchCall) []int {
	var s []int
	for _, c := range calls {
		s = append(s, len(c.Requests))
	}
	return s
}

func TestBatchRetriesThrottledItemsAndTheirDependents(t *testing.T) {
	var calls []batchCall
	var mu sync.Mutex
	c, rec, _ := newTestClient(t, batchServer(t, &calls, &mu, func(call int, r batchWireRequest) batchWireResponse {
		switch {
		case call == 1 && r.ID == "b":
			return batchWireResponse{ID: r.ID, Status: 429, Headers: map[string]string{"Retry-After": "3"}}
		case call == 1 && r.ID == "c": // depends on b, which did not run
			return batchWireResponse{ID: r.ID, Status: 424}
		case r.ID == "d":
			return batchWireResponse{ID: r.ID, Status: 404, Body: json.RawMessage(`{"error":{"code":"Request_ResourceNotFound","message":"gone"}}`)}
		}
		return batchWireResponse{ID: r.ID, Status: 201, Body: json.RawMessage(`{"id":"` + r.ID + `"}`)}
	}))
	reqs := []BatchRequest{
		{ID: "a", Method: "GET", URL: "/users/a"},
		{ID: "b", Method: "POST", URL: "/servicePrincipals/sp/appRoleAssignedTo", Body: map[string]string{"principalId": "p"}},
		{ID: "c", Method: "GET", URL: "/servicePrincipals/sp/appRoleAssignedTo", DependsOn: []string{"b"}},
		{ID: "d", Method: "GET", URL: "/users/d"},
	}
	resps, err := c.Batch(context.Background(), reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 {
		t.Fatalf("calls = %d, want 2 (one retry round)", len(calls))
	}
	var resent []string
	for _, r := range calls[1].Requests {
		resent = append(resent, r.ID)
	}
	if strings.Join(resent, ",") != "b,c" {
		t.Fatalf("re-sent %v, want b and its dependent c", resent)
	}
	if calls[0].Requests[1].Headers["Content-Type"] != "application/json" {
		t.Errorf("a request with a body needs Content-Type, got %v", calls[0].Requests[1].Headers)
	}
	if len(rec.waits) != 1 || rec.waits[0] != 3*time.Second {
		t.Fatalf("waits = %v, want the item's Retry-After of 3s", rec.waits)
	}
	for i, want := range []int{201, 201, 201, 404} {
		if resps[i].Status != want {
			t.Errorf("response %s status %d, want %d", resps[i].ID, resps[i].Status, want)
		}
	}
	if err := resps[3].Err(); !IsNotFound(err) || !strings.Contains(err.Error(), "GET /users/d") {
		t.Errorf("item error = %v, want a 404 *Error naming the request", err)
	}
}

func TestBatchGivesUpOnPersistentItemThrottling(t *testing.T) {
	var calls []batchCall
	var mu sync.Mutex
	c, _, _ := newTestClient(t, batchServer(t, &calls, &mu, func(_ int, r batchWireRequest) batchWireResponse {
		return batchWireResponse{ID: r.ID, Status: 429, Headers: map[string]string{"Retry-After": "1"}}
	}))
	resps, err := c.Batch(context.Background(), []BatchRequest{{ID: "1", Method: "GET", URL: "/users"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != DefaultBatchItemRetries+1 || resps[0].Status != 429 || !isThrottled(resps[0].Err()) {
		t.Fatalf("calls=%d status=%d, want %d calls and the 429 returned", len(calls), resps[0].Status, DefaultBatchItemRetries+1)
	}
}

func TestBatchValidation(t *testing.T) {
	c, _, _ := newTestClient(t, http.NotFoundHandler())
	for name, reqs := range map[string][]BatchRequest{
		"missing id":        {{Method: "GET", URL: "/users"}},
		"duplicate id":      {{ID: "a", Method: "GET", URL: "/x"}, {ID: "A", Method: "GET", URL: "/y"}},
		"unknown dependsOn": {{ID: "a", Method: "GET", URL: "/x", DependsOn: []string{"zz"}}},
	} {
		if _, err := c.Batch(context.Background(), reqs); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestChunkBatchKeepsDependencyChainsTogether(t *testing.T) {
	var reqs []batchWireRequest
	for i := range 18 {
		reqs = append(reqs, batchWireRequest{ID: fmt.Sprint(i)})
	}
	// A chain of three that would straddle the 20-request boundary.
	reqs = append(reqs,
		batchWireRequest{ID: "c1"},
		batchWireRequest{ID: "c2", DependsOn: []string{"c1"}},
		batchWireRequest{ID: "c3", DependsOn: []string{"c2"}},
	)
	chunks, err := chunkBatch(reqs, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 2 || len(chunks[0]) != 18 || len(chunks[1]) != 3 {
		t.Fatalf("chunk sizes %d/%d, want the chain moved whole into the second call", len(chunks), len(chunks[0]))
	}
	long := make([]batchWireRequest, 21)
	for i := range long {
		long[i] = batchWireRequest{ID: fmt.Sprint(i)}
		if i > 0 {
			long[i].DependsOn = []string{fmt.Sprint(i - 1)}
		}
	}
	if _, err := chunkBatch(long, 20); err == nil {
		t.Fatal("a dependsOn chain longer than 20 cannot be sent and must be an error")
	}
}

// Items answered 429 and then re-sent by Batch are invisible in the answers
// it returns; OnBatchItem must still report every item answer, so that a
// caller can count throttling (the exporter's throttled-requests metric).
func TestBatchReportsEveryItemAnswerIncludingRetriedThrottles(t *testing.T) {
	var calls []batchCall
	var mu sync.Mutex
	var events []BatchItemEvent
	var responses []RequestEvent
	c, _, _ := newTestClient(t, batchServer(t, &calls, &mu, func(call int, r batchWireRequest) batchWireResponse {
		if call <= 2 && r.ID == "b" {
			return batchWireResponse{ID: r.ID, Status: 429, Headers: map[string]string{"Retry-After": "1"}}
		}
		return batchWireResponse{ID: r.ID, Status: 200, Body: json.RawMessage(`{}`)}
	}), func(cfg *Config) {
		cfg.OnBatchItem = func(ev BatchItemEvent) { events = append(events, ev) }
		cfg.OnResponse = func(ev RequestEvent) { responses = append(responses, ev) }
	})
	resps, err := c.Batch(context.Background(), []BatchRequest{
		{ID: "a", Method: "GET", URL: "/servicePrincipals/11111111-1111-1111-1111-111111111111/synchronization/jobs"},
		{ID: "b", Method: "GET", URL: "/servicePrincipals/22222222-2222-2222-2222-222222222222/synchronization/jobs?$top=1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resps[1].Status != 200 {
		t.Fatalf("b was not retried to success: %d", resps[1].Status)
	}
	var got []string
	throttled := 0
	for _, ev := range events {
		got = append(got, fmt.Sprintf("%d:%d", ev.Round, ev.StatusCode))
		if ev.StatusCode == 429 {
			throttled++
		}
		if ev.Route != "GET /servicePrincipals/{id}/synchronization/jobs" {
			t.Errorf("item route %q not normalised", ev.Route)
		}
	}
	// Round 0: a=200, b=429; round 1: b=429; round 2: b=200.
	if strings.Join(got, ",") != "0:200,0:429,1:429,2:200" || throttled != 2 {
		t.Errorf("item events = %v, want a's answer and all three of b's (two of them 429)", got)
	}
	// Each $batch envelope stays one HTTP attempt for OnResponse.
	if len(responses) != 3 {
		t.Errorf("OnResponse saw %d attempts, want the 3 $batch calls", len(responses))
	}
}
