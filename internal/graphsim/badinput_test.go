package graphsim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestBadInputGetsGraphErrors(t *testing.T) {
	s, err := New(Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	// A route that panics, to prove the recover middleware answers 500.
	s.mux.HandleFunc("GET /v1.0/testPanic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	c := startServing(t, s)
	r := s.Ready()
	tok, err := s.signToken(s.claimsFor(s.defaultClient(), time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	g := r.GraphEndpoint + "/v1.0"
	instantiate := g + "/applicationTemplates/" + CustomAppTemplateID + "/instantiate"
	cases := []struct {
		name, method, url, ct, body string
		wantStatus                  int
		wantCode                    string
	}{
		{"unknown segment", "GET", g + "/nonsense", "", "", 400, "BadRequest"},
		{"unknown nested segment", "GET", g + "/servicePrincipals/" + CustomAppTemplateID + "/bogus", "", "", 400, "BadRequest"},
		{"method not allowed", "PUT", g + "/applicationTemplates", "application/json", "{}", 405, "Request_BadRequest"},
		{"unknown non-Graph path", "GET", r.GraphEndpoint + "/nothing/here", "", "", 404, "NotFound"},
		{"bad object id", "GET", g + "/servicePrincipals/123", "", "", 400, "Request_BadRequest"},
		{"unknown object id", "GET", g + "/servicePrincipals/" + CustomAppTemplateID, "", "", 404, "Request_ResourceNotFound"},
		{"wrong content type", "POST", instantiate, "text/plain", `{"displayName":"x"}`, 415, "UnsupportedMediaType"},
		{"no content type", "POST", instantiate, "", `{"displayName":"x"}`, 415, "UnsupportedMediaType"},
		{"malformed JSON", "POST", instantiate, "application/json", `{"displayName"`, 400, "BadRequest"},
		{"trailing garbage", "POST", instantiate, "application/json", `{"displayName":"x"} {}`, 400, "BadRequest"},
		{"JSON array", "POST", instantiate, "application/json", `[]`, 400, "BadRequest"},
		{"bad filter", "GET", g + "/servicePrincipals?$filter=displayName%20eq%20", "", "", 400, "BadRequest"},
		{"bad filter function", "GET", g + "/servicePrincipals?$filter=frobnicate(displayName)", "", "", 400, "BadRequest"},
		{"panic", "GET", g + "/testPanic", "", "", 500, "InternalServerError"},
		{"unsupported $expand", "GET", g + "/users?$expand=manager", "", "", 400, "BadRequest"},
		{"unknown query option", "GET", g + "/users?$bogus=1", "", "", 400, "Request_BadRequest"},
		{"wrong content type on a sync route", "POST", g + "/servicePrincipals/" + CustomAppTemplateID + "/synchronization/jobs", "text/plain", `{"templateId":"scim"}`, 415, "UnsupportedMediaType"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := do(t, c, tc.method, tc.url, tok, tc.ct, tc.body)
			var e graphError
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatalf("not a Graph error envelope: %s", body)
			}
			if status != tc.wantStatus || e.Error.Code != tc.wantCode || e.Error.InnerError.RequestID == "" {
				t.Fatalf("got %d %s, want %d %s", status, body, tc.wantStatus, tc.wantCode)
			}
			if hdr.Get("request-id") != e.Error.InnerError.RequestID {
				t.Fatalf("request-id header %q differs from body %q", hdr.Get("request-id"), e.Error.InnerError.RequestID)
			}
		})
	}
	// The simulator still works after all that, and nothing was created.
	if status, _, body := do(t, c, "GET", g+"/applications", tok, "", ""); status != 200 || body == "" {
		t.Fatalf("after bad input: %d %s", status, body)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.dir.apps) != 0 {
		t.Fatal("bad input created applications")
	}
}
