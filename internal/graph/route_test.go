package graph

import (
	"context"
	"net/http"
	"testing"
)

func TestRouteNormalisation(t *testing.T) {
	cases := []struct{ method, path, want string }{
		{"get", "/servicePrincipals/0b8e5b7e-2a6f-4a53-9b8c-1d2e3f405162/synchronization/jobs/scim.3b92c35e9991b0.d2569c8c-1111-2222-3333-444455556666",
			"GET /servicePrincipals/{id}/synchronization/jobs/{id}"},
		{"POST", "/servicePrincipals/abc/synchronization/jobs/validateCredentials", "POST /servicePrincipals/{id}/synchronization/jobs/validateCredentials"},
		{"POST", "/servicePrincipals/abc/synchronization/jobs/scim.x.y/validateCredentials", "POST /servicePrincipals/{id}/synchronization/jobs/{id}/validateCredentials"},
		{"GET", "/servicePrincipals/abc/synchronization/jobs/scim.x.y/schema/functions()", "GET /servicePrincipals/{id}/synchronization/jobs/{id}/schema/functions()"},
		{"GET", "/servicePrincipals/abc/synchronization/templates/scim/schema", "GET /servicePrincipals/{id}/synchronization/templates/{id}/schema"},
		{"PUT", "/v1.0/servicePrincipals/abc/synchronization/secrets?x=1", "PUT /servicePrincipals/{id}/synchronization/secrets"},
		{"GET", "https://graph.microsoft.com/v1.0/auditLogs/provisioning?$skiptoken=abc", "GET /auditLogs/provisioning"},
		{"DELETE", "/servicePrincipals/abc/appRoleAssignedTo/-WmtM5na7Uus0D8kI1yylpU9Mdo0Pb9OoBJvd3T5eKc", "DELETE /servicePrincipals/{id}/appRoleAssignedTo/{id}"},
		{"GET", "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/synchronization/jobs", "GET /servicePrincipals(appId={id})/synchronization/jobs"},
		{"POST", "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", "POST /applicationTemplates/{id}/instantiate"},
		{"POST", "/$batch", "POST /$batch"},
		{"GET", "/servicePrincipals/$count", "GET /servicePrincipals/$count"},
		{"GET", "/servicePrincipals", "GET /servicePrincipals"},
	}
	for _, tc := range cases {
		if got := Route(tc.method, tc.path); got != tc.want {
			t.Errorf("Route(%s, %s) = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestCounterCountsEveryAttemptPerRoute(t *testing.T) {
	calls := 0
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 2 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	ctx := context.Background()
	for _, job := range []string{"scim.a.1", "scim.b.2"} {
		if err := c.Do(ctx, "GET", "/servicePrincipals/sp/synchronization/jobs/"+job, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := c.Requests().Snapshot()
	if n := got["GET /servicePrincipals/{id}/synchronization/jobs/{id}"]; n != 3 || len(got) != 1 {
		t.Fatalf("counts = %v, want 3 attempts (one retried) on a single route", got)
	}
	if s := c.Requests().ByStatus(); s[204] != 2 || s[429] != 1 {
		t.Fatalf("by status = %v", s)
	}
	c.Requests().Reset()
	if c.Requests().Total() != 0 {
		t.Fatal("Reset should clear the counter")
	}
}
