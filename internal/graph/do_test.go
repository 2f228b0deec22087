package graph

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
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
