package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// addGraphError turns a Graph failure into a diagnostic that says what failed
// and what to do: a 403 names the permission the graph layer put on the
// error, a 404 suggests the object was
// removed, anything else carries Graph's code, message and request id for
// support cases.
func addGraphError(diags *diag.Diagnostics, action string, err error) {
	diags.AddError(fmt.Sprintf("Failed to %s", action), graphErrorDetail(err))
}

// graphErrorDetail renders err for a diagnostic detail.
func graphErrorDetail(err error) string {
	var gerr *graph.Error
	if !errors.As(err, &gerr) {
		return err.Error()
	}
	var b strings.Builder
	switch {
	case gerr.StatusCode == 403 && gerr.Permission != "":
		fmt.Fprintf(&b, "Microsoft Graph denied the request (403 %s): the identity Terraform authenticates as lacks the application permission %s. "+
			"Grant it to the app registration in Entra ID (API permissions → Microsoft Graph → Application permissions) and grant admin consent, then retry.\n\n",
			gerr.Code, gerr.Permission)
	case gerr.StatusCode == 401:
		b.WriteString("Microsoft Graph rejected the access token (401). Check the provider's tenant_id, client_id and credential, and that graph_endpoint and authority_host belong to the same cloud.\n\n")
	case gerr.StatusCode == 404:
		b.WriteString("Microsoft Graph did not find the object (404). It may have been deleted outside Terraform.\n\n")
	case gerr.StatusCode == 429:
		b.WriteString("Microsoft Graph kept throttling the request (429) beyond the retry budget. Retry later or lower terraform's -parallelism.\n\n")
	}
	fmt.Fprintf(&b, "Graph answered %d", gerr.StatusCode)
	if gerr.Code != "" {
		fmt.Fprintf(&b, " %s", gerr.Code)
	}
	if gerr.Method != "" || gerr.Path != "" {
		fmt.Fprintf(&b, " to %s %s", gerr.Method, gerr.Path)
	}
	if gerr.Message != "" {
		fmt.Fprintf(&b, ": %s", gerr.Message)
	}
	if gerr.RequestID != "" {
		fmt.Fprintf(&b, " (request-id %s)", gerr.RequestID)
	}
	return b.String()
}
