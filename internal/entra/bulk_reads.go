package entra

import (
	"context"
	"fmt"
	"net/http"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// The exporter reads whole tenants: paged lists it walks itself (so it can
// rate-limit and stop between pages) and $batch GETs of many job lists. Its
// routes are built here like every other one; it sends them, and the
// @odata.nextLink pages Graph answers with, through GetJSON and BatchGet.

// ServicePrincipalsPath is one page of every service principal, with only
// selectFields, up to top per page, optionally narrowed by an OData filter.
func ServicePrincipalsPath(selectFields string, top int, filter string) string {
	p := fmt.Sprintf("/servicePrincipals?$select=%s&$top=%d", selectFields, top)
	if filter != "" {
		p += "&" + filterQuery(filter)[1:]
	}
	return p
}

// ServicePrincipalSelectPath is one service principal with only selectFields.
func ServicePrincipalSelectPath(id, selectFields string) string {
	return servicePrincipalPath(id) + "?$select=" + selectFields
}

// ProvisioningLogsPath is the first page of provisioning events matching an
// OData filter, top per page.
func ProvisioningLogsPath(filter string, top int) string {
	return fmt.Sprintf("/auditLogs/provisioning%s&$top=%d", filterQuery(filter), top)
}

// GetJSON decodes GET path, a route built by this package or the absolute
// @odata.nextLink of one of its pages, into out.
func (c *Client) GetJSON(ctx context.Context, path string, out any) error {
	return c.get(ctx, path, out)
}

// BatchGet sends GETs of routes built by this package through $batch (in
// chunks of 20, with per-item throttling retries); answers come back in any
// order, matched by ID.
func (c *Client) BatchGet(ctx context.Context, reqs []graph.BatchRequest) ([]graph.BatchResponse, error) {
	for i := range reqs {
		reqs[i].Method = http.MethodGet
	}
	return c.g.Batch(ctx, reqs)
}
