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
		RequestID: "req-1", Method: "POST", Path: "/applicationTemplates/x/instantiate", Hint: "the identity needs Application.ReadWrite.OwnedBy (or Application.ReadWrite.All)"}
	tests := []struct {
		name       string
		err        error
		permission string
		want       []string
	}{
		{"403 names the permission given", fmt.Errorf("wrapped: %w", forbidden), permApplicationWrite,
			[]string{"403 Authorization_RequestDenied", "lacks the application permission Application.ReadWrite.OwnedBy", "admin consent", "request-id req-1", "POST /applicationTemplates/x/instantiate"}},
		{"403 falls back to the graph layer's hint", forbidden, "",
			[]string{"lacks the application permission Application.ReadWrite.OwnedBy (or Application.ReadWrite.All)"}},
		{"404 suggests deletion outside Terraform", &graph.Error{StatusCode: 404, Code: "Request_ResourceNotFound"}, "",
			[]string{"deleted outside Terraform", "404 Request_ResourceNotFound"}},
		{"401 points at the credentials", &graph.Error{StatusCode: 401, Code: "InvalidAuthenticationToken"}, "",
			[]string{"tenant_id, client_id"}},
		{"non-Graph errors pass through", errors.New("dial tcp: connection refused"), permApplicationRead,
			[]string{"dial tcp: connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := graphErrorDetail(tt.err, tt.permission)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("detail %q does not contain %q", got, w)
				}
			}
		})
	}
}
