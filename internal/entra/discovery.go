package entra

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Discovery: what the provider's list resources (`terraform query`) find in
// a tenant. Service principals are paged with $select (only what a listing
// needs, 999 per page) and job lists are read through $batch, 20 per
// request, as the exporter's discovery does: 100 applications cost 1 page
// and 5 $batch requests.

// ListedServicePrincipal is what a listing needs of a service principal.
type ListedServicePrincipal struct {
	ID                    string `json:"id"`
	AppID                 string `json:"appId"`
	DisplayName           string `json:"displayName"`
	ApplicationTemplateID string `json:"applicationTemplateId"`
}

const listedServicePrincipalSelect = "id,appId,displayName,applicationTemplateId"

// listPageSize is Graph's maximum $top for servicePrincipals.
const listPageSize = 999

// ServicePrincipalFilter is the OData $filter of a listing by display-name
// prefix and application template ("" matches all).
func ServicePrincipalFilter(displayNamePrefix, templateID string) string {
	var clauses []string
	if displayNamePrefix != "" {
		clauses = append(clauses, "startswith(displayName,'"+odataString(displayNamePrefix)+"')")
	}
	if templateID != "" {
		clauses = append(clauses, "applicationTemplateId eq '"+odataString(templateID)+"'")
	}
	return strings.Join(clauses, " and ")
}

// ListServicePrincipals pages through the tenant's service principals
// matching filter (see ServicePrincipalFilter).
func (c *Client) ListServicePrincipals(ctx context.Context, filter string) ([]ListedServicePrincipal, error) {
	q := url.Values{}
	q.Set("$select", listedServicePrincipalSelect)
	q.Set("$top", strconv.Itoa(listPageSize))
	if filter != "" {
		q.Set("$filter", filter)
	}
	return listAll[ListedServicePrincipal](ctx, c, "/servicePrincipals?"+q.Encode(), "service principal")
}

// GetServicePrincipals reads the given service principals through $batch;
// one that does not exist is an error naming it.
func (c *Client) GetServicePrincipals(ctx context.Context, ids []string) ([]ListedServicePrincipal, error) {
	reqs := make([]graph.BatchRequest, len(ids))
	for i, id := range ids {
		reqs[i] = graph.BatchRequest{ID: strconv.Itoa(i), Method: http.MethodGet, URL: servicePrincipalPath(id) + "?$select=" + listedServicePrincipalSelect}
	}
	resps, err := c.g.Batch(ctx, reqs)
	if err != nil {
		return nil, err
	}
	out := make([]ListedServicePrincipal, len(ids))
	for i, r := range resps {
		if err := decodeBatchItem(r, &out[i]); err != nil {
			return nil, fmt.Errorf("service principal %s: %w", ids[i], err)
		}
	}
	return out, nil
}

// ListedJob is what a listing needs of a synchronization job.
type ListedJob struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
}

// JobsOf reads the job lists of service principals through $batch (20 per
// request), in the order of spIDs.
func (c *Client) JobsOf(ctx context.Context, spIDs []string) ([][]ListedJob, error) {
	reqs := make([]graph.BatchRequest, len(spIDs))
	for i, id := range spIDs {
		reqs[i] = graph.BatchRequest{ID: strconv.Itoa(i), Method: http.MethodGet, URL: JobsPath(id)}
	}
	resps, err := c.g.Batch(ctx, reqs)
	if err != nil {
		return nil, err
	}
	out := make([][]ListedJob, len(spIDs))
	for i, r := range resps {
		var page struct {
			Value []ListedJob `json:"value"`
		}
		if err := decodeBatchItem(r, &page); err != nil {
			return nil, fmt.Errorf("jobs of service principal %s: %w", spIDs[i], err)
		}
		out[i] = page.Value
	}
	return out, nil
}

// decodeBatchItem turns a failed item into its error, else decodes it.
func decodeBatchItem(r graph.BatchResponse, out any) error {
	if err := r.Err(); err != nil {
		return err
	}
	return r.Decode(out)
}

// ListedAssignment is an app role assignment granted on a service principal.
type ListedAssignment struct {
	ID                   string `json:"id"`
	PrincipalID          string `json:"principalId"`
	PrincipalDisplayName string `json:"principalDisplayName"`
	PrincipalType        string `json:"principalType"`
}

// ListAppRoleAssignments pages through the users and groups assigned to a
// service principal (its appRoleAssignedTo).
func (c *Client) ListAppRoleAssignments(ctx context.Context, spID string) ([]ListedAssignment, error) {
	return listAll[ListedAssignment](ctx, c,
		servicePrincipalPath(spID)+"/appRoleAssignedTo?$select=id,principalId,principalDisplayName,principalType&$top=999", "app role assignment")
}

// Restart scopes (synchronizationJobRestartScope flags).
const (
	RestartScopeFull               = "Full"
	RestartScopeWatermark          = "Watermark"
	RestartScopeEscrows            = "Escrows"
	RestartScopeQuarantineState    = "QuarantineState"
	RestartScopeConnectorDataStore = "ConnectorDataStore"
	RestartScopeForceDeletes       = "ForceDeletes"
)

// RestartJobWithScope restarts a job resetting the given scopes, joined with
// "," as the Graph SDK serialises the flags enum.
func (c *Client) RestartJobWithScope(ctx context.Context, spID, jobID string, scopes []string) error {
	body := map[string]any{"criteria": map[string]string{"resetScope": strings.Join(scopes, ",")}}
	return c.post(ctx, jobPath(spID, jobID)+"/restart", body, nil)
}
