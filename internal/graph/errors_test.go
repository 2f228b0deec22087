package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestErrorDecodingAndMessage(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	}))
	err := c.Do(context.Background(), "PUT", "/servicePrincipals/sp1/synchronization/secrets", map[string]any{"value": []any{}}, nil)
	ge, ok := AsError(err)
	if !ok {
		t.Fatalf("err = %v (%T), want *Error", err, err)
	}
	if ge.StatusCode != 403 || ge.Code != "Authorization_RequestDenied" || ge.RequestID != "req-123" ||
		ge.Date != "2026-11-25T12:00:00" || ge.Method != "PUT" || ge.Path != "/servicePrincipals/sp1/synchronization/secrets" {
		t.Fatalf("decoded %+v", ge)
	}
	want := "graph: PUT /servicePrincipals/sp1/synchronization/secrets: 403 Authorization_RequestDenied: " +
		"Insufficient privileges to complete the operation. (request-id req-123); " +
		"the identity needs Synchronization.ReadWrite.All (or Application.ReadWrite.OwnedBy)"
	if err.Error() != want {
		t.Fatalf("message:\n got %s\nwant %s", err.Error(), want)
	}
	if !IsForbidden(err) || IsNotFound(err) || ErrorCode(err) != "Authorization_RequestDenied" {
		t.Fatal("predicates disagree with the decoded error")
	}
	wrapped := fmt.Errorf("creating job: %w", err)
	if StatusCode(wrapped) != 403 || !IsForbidden(wrapped) {
		t.Fatal("predicates must see through wrapping")
	}
}

func TestErrorWithNonGraphBody(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "hdr-req")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
	}))
	err := c.Do(context.Background(), "GET", "/applicationTemplates", nil, nil)
	ge, _ := AsError(err)
	if ge == nil || ge.StatusCode != 502 || ge.Message != "<html>bad gateway</html>" || ge.RequestID != "hdr-req" {
		t.Fatalf("got %#v", ge)
	}
	if !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "bad gateway") {
		t.Fatalf("message %q should carry the status and body", err)
	}
}

func TestStatusCodeUnderstandsSDKErrors(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", sdkLikeError{status: 404})
	if !IsNotFound(err) {
		t.Fatal("an error with GetStatusCode() == 404 should count as not found")
	}
	if StatusCode(fmt.Errorf("plain")) != 0 {
		t.Fatal("a plain error has no status")
	}
}

type sdkLikeError struct{ status int }

func (e sdkLikeError) Error() string      { return "sdk error" }
func (e sdkLikeError) GetStatusCode() int { return e.status }

func TestRequiredPermission(t *testing.T) {
	cases := []struct{ method, path, want string }{
		{"GET", "/applicationTemplates?$filter=x", ""},
		{"POST", "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate", permAppWrite},
		{"DELETE", "/applications/abc", permAppWrite},
		{"GET", "/servicePrincipals/abc", permAppRead},
		{"POST", "/servicePrincipals/abc/appRoleAssignedTo", permAssignmentWrite},
		{"DELETE", "/servicePrincipals/abc/appRoleAssignedTo/xyz", permAssignmentDel},
		{"GET", "/servicePrincipals/abc/synchronization/jobs", permSyncRead},
		{"POST", "/servicePrincipals/abc/synchronization/jobs/scim.1.2/start", permSyncWrite},
		{"PUT", "/servicePrincipals/abc/synchronization/secrets", permSyncWrite},
		{"POST", "/servicePrincipals/abc/synchronization/jobs/validateCredentials", permSyncWrite},
		{"PUT", "/servicePrincipals/abc/synchronization/jobs/scim.1.2/schema", permSyncWrite},
		{"POST", "/servicePrincipals/abc/synchronization/jobs/scim.1.2/bulkUpload", permBulkUpload},
		{"GET", "/auditLogs/provisioning?$top=10", permAuditLogs},
	}
	for _, tc := range cases {
		if got := RequiredPermission(tc.method, tc.path); got != tc.want {
			t.Errorf("RequiredPermission(%s %s) = %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}
