package graph

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDoSendsBodiesAndDecodesAnswers(t *testing.T) {
	var gotBody, gotUA, gotAuth, gotCT, gotPath string
	c, _, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotUA, gotAuth, gotCT, gotPath = string(b), r.UserAgent(), r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.URL.RequestURI()
		_, _ = w.Write([]byte(`{"id":"sp1","countExported":9007199254740993,"nested":{"x":1}}`))
	}))
	ctx := context.Background()

	var m map[string]any
	if err := c.Do(ctx, "PATCH", "/servicePrincipals/sp1?$select=id", map[string]bool{"accountEnabled": true}, &m); err != nil {
		t.Fatal(err)
	}
	if gotBody != `{"accountEnabled":true}` || gotCT != "application/json" || gotPath != "/v1.0/servicePrincipals/sp1?$select=id" {
		t.Fatalf("request body=%q ct=%q path=%q", gotBody, gotCT, gotPath)
	}
	if gotUA != "graph-test/1.0" || gotAuth != "Bearer test-access-token-abcdef" {
		t.Fatalf("user agent %q, authorization %q", gotUA, gotAuth)
	}
	// UseNumber keeps int64 counts exact (float64 would round this one).
	if n, ok := m["countExported"].(json.Number); !ok || n.String() != "9007199254740993" {
		t.Fatalf("countExported = %#v, want json.Number 9007199254740993", m["countExported"])
	}

	raw := []byte(`{"value":[{"key":"BaseAddress","value":"https://x"}]}`)
	var rm json.RawMessage
	if err := c.Do(ctx, "PUT", "/servicePrincipals/sp1/synchronization/secrets", raw, &rm); err != nil {
		t.Fatal(err)
	}
	if gotBody != string(raw) || !strings.Contains(string(rm), `"id":"sp1"`) {
		t.Fatalf("raw body sent %q, raw answer %q", gotBody, rm)
	}

	var s struct{ ID string }
	if err := c.Do(ctx, "GET", srv.URL+"/v1.0/servicePrincipals/sp1", nil, &s); err != nil || s.ID != "sp1" {
		t.Fatalf("absolute URL: %v, %+v", err, s)
	}
}

func TestDoRefusesOtherHosts(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("no request should be sent")
	}))
	err := c.Do(context.Background(), "GET", "https://evil.example.com/v1.0/users", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Fatalf("err = %v, want a refusal to send the token elsewhere", err)
	}
}

func TestGetAllFollowsNextLink(t *testing.T) {
	var srvURL string
	c, _, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("$skiptoken") {
		case "":
			_, _ = w.Write([]byte(`{"value":[{"id":"1"},{"id":"2"}],"@odata.nextLink":"` + srvURL + `/v1.0/auditLogs/provisioning?$skiptoken=p2"}`))
		case "p2":
			_, _ = w.Write([]byte(`{"value":[{"id":"3"}],"@odata.nextLink":"` + srvURL + `/v1.0/auditLogs/provisioning?$skiptoken=p3"}`))
		case "p3":
			_, _ = w.Write([]byte(`{"value":[]}`))
		}
	}))
	srvURL = srv.URL
	var ids []string
	err := c.GetAll(context.Background(), "/auditLogs/provisioning?$top=2", func(item json.RawMessage) error {
		var v struct{ ID string }
		if err := json.Unmarshal(item, &v); err != nil {
			return err
		}
		ids = append(ids, v.ID)
		return nil
	})
	if err != nil || strings.Join(ids, ",") != "1,2,3" {
		t.Fatalf("ids=%v err=%v, want 1,2,3", ids, err)
	}
	if n := c.Requests().Snapshot()["GET /auditLogs/provisioning"]; n != 3 {
		t.Fatalf("pages fetched = %d, want 3", n)
	}
}

func TestGetAllStopsOnCallbackError(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"value":[{"id":"1"},{"id":"2"}]}`))
	}))
	stop := io.ErrUnexpectedEOF
	n := 0
	err := c.GetAll(context.Background(), "/users", func(json.RawMessage) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("err=%v n=%d, want the callback's error after one item", err, n)
	}
}

func TestExistsFeedsTheWaiters(t *testing.T) {
	polls := 0
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		polls++
		switch {
		case r.URL.Path == "/v1.0/servicePrincipals/denied":
			writeGraphError(w, http.StatusForbidden, "Authorization_RequestDenied", "no")
		case polls <= 2: // replication lag: the first two polls miss
			writeGraphError(w, http.StatusNotFound, "Request_ResourceNotFound", "not yet")
		default:
			_, _ = w.Write([]byte(`{"id":"sp"}`))
		}
	}))
	ctx := context.Background()
	find := func(ctx context.Context) (bool, error) { return c.exists(ctx, "/servicePrincipals/sp?$select=id") }
	if err := WaitUntilVisible(ctx, find, WaitOptions{PollInterval: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if polls != 2+DefaultConsecutiveSightings {
		t.Fatalf("polls = %d, want 2 misses then %d sightings", polls, DefaultConsecutiveSightings)
	}
	if ok, err := c.exists(ctx, "/servicePrincipals/denied"); ok || !IsForbidden(err) {
		t.Fatalf("Exists on a 403 = %t, %v; want the error", ok, err)
	}
}

func TestWithHeaderAddsRequestHeaders(t *testing.T) {
	var got http.Header
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"value":[]}`))
	}))
	ctx := withHeader(withHeader(context.Background(), "consistencylevel", "eventual"), "Prefer", "return=minimal")
	ctx = withHeader(ctx, "Authorization", "Bearer forged")
	if err := c.GetAll(ctx, "/applications?$count=true", func(json.RawMessage) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got.Get("ConsistencyLevel") != "eventual" || got.Get("Prefer") != "return=minimal" {
		t.Fatalf("headers = %v", got)
	}
	if got.Get("Authorization") != "Bearer test-access-token-abcdef" {
		t.Fatalf("Authorization = %q: the transport's token must win over a caller's header", got.Get("Authorization"))
	}
}
