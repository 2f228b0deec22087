package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

func TestGraphErrorDetail(t *testing.T) {
	forbidden := &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied", Message: "Insufficient privileges to complete the operation.",
		RequestID: "req-1", Method: "POST", Path: "/applicationTemplates/x/instantiate", Permission: "Application.ReadWrite.OwnedBy (or Application.ReadWrite.All)"}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"403 names the permission carried on the error", fmt.Errorf("wrapped: %w", forbidden),
			[]string{"403 Authorization_RequestDenied", "lacks the application permission Application.ReadWrite.OwnedBy (or Application.ReadWrite.All)", "admin consent", "request-id req-1", "POST /applicationTemplates/x/instantiate"}},
		{"403 of an error built by the graph layer", graph.NewError(graph.Error{StatusCode: 403, Method: "GET", Path: "/servicePrincipals/x/synchronization/secrets"}),
			[]string{"lacks the application permission Synchronization.Read.All"}},
		{"404 suggests deletion outside Terraform", &graph.Error{StatusCode: 404, Code: "Request_ResourceNotFound"},
			[]string{"deleted outside Terraform", "404 Request_ResourceNotFound"}},
		{"401 points at the credentials", &graph.Error{StatusCode: 401, Code: "InvalidAuthenticationToken"},
			[]string{"tenant_id, client_id"}},
		{"non-Graph errors pass through", errors.New("dial tcp: connection refused"),
			[]string{"dial tcp: connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := graphErrorDetail(tt.err)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("detail %q does not contain %q", got, w)
				}
			}
		})
	}
}
