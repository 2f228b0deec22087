package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// The Graph calls of the list resources and actions, in one place so they
// can move into the typed Entra API layer as one piece. Discovery pages
// through service principals with $select (only what a listing needs) and
// reads job lists through $batch, 20 per request, as the exporter's
// discovery does: 100 applications cost 1 list page + 5 $batch requests.

// listPageSize is Graph's maximum $top for servicePrincipals.
const listPageSize = 999

// listedServicePrincipal is what a listing needs of a service principal.
type listedServicePrincipal struct {
	ID                    string `json:"id"`
	AppID                 string `json:"appId"`
	DisplayName           string `json:"displayName"`
	ApplicationTemplateID string `json:"applicationTemplateId"`
}

const listedServicePrincipalSelect = "id,appId,displayName,applicationTemplateId"

// servicePrincipalFilter is the OData $filter of a listing ("" for all).
func servicePrincipalFilter(displayNamePrefix, templateID string) string {
	var clauses []string
	if displayNamePrefix != "" {
		clauses = append(clauses, "startswith(displayName,'"+odataString(displayNamePrefix)+"')")
	}
	if templateID != "" {
		clauses = append(clauses, "applicationTemplateId eq '"+odataString(templateID)+"'")
	}
	return strings.Join(clauses, " and ")
}

// listServicePrincipals pages through /servicePrincipals with $select and
// an optional $filter.
func listServicePrincipals(ctx context.Context, c *graph.Client, filter string) ([]listedServicePrincipal, error) {
	q := url.Values{}
	q.Set("$select", listedServicePrincipalSelect)
	q.Set("$top", strconv.Itoa(listPageSize))
	if filter != "" {
		q.Set("$filter", filter)
	}
	var out []listedServicePrincipal
	err := c.GetAll(ctx, "/servicePrincipals?"+q.Encode(), func(raw json.RawMessage) error {
		var sp listedServicePrincipal
		if err := json.Unmarshal(raw, &sp); err != nil {
			return fmt.Errorf("decoding a service principal: %w", err)
		}
		out = append(out, sp)
		return nil
	})
	return out, err
}

// getServicePrincipals reads given service principals through $batch; one
// that does not exist is an error naming it.
func getServicePrincipals(ctx context.Context, c *graph.Client, ids []string) ([]listedServicePrincipal, error) {
	reqs := make([]graph.BatchRequest, len(ids))
	for i, id := range ids {
		reqs[i] = graph.BatchRequest{ID: strconv.Itoa(i), Method: http.MethodGet,
			URL: servicePrincipalPath(id) + "?$select=" + listedServicePrincipalSelect}
	}
	resps, err := c.Batch(ctx, reqs)
	if err != nil {
		return nil, err
	}
	out := make([]listedServicePrincipal, len(ids))
	for i, r := range resps {
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("service principal %s: %w", ids[i], err)
		}
		if err := r.Decode(&out[i]); err != nil {
			return nil, fmt.Errorf("service principal %s: %w", ids[i], err)
		}
	}
	return out, nil
}

// listedJob is what a listing needs of a synchronization job.
type listedJob struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
}

// jobsOf reads the job lists of service principals through $batch (20 per
// request) and returns them in the same order.
func jobsOf(ctx context.Context, c *graph.Client, sps []listedServicePrincipal) ([][]listedJob, error) {
	reqs := make([]graph.BatchRequest, len(sps))
	for i, sp := range sps {
		reqs[i] = graph.BatchRequest{ID: strconv.Itoa(i), Method: http.MethodGet,
			URL: servicePrincipalPath(sp.ID) + "/synchronization/jobs?$select=id,templateId"}
	}
	resps, err := c.Batch(ctx, reqs)
	if err != nil {
		return nil, err
	}
	out := make([][]listedJob, len(sps))
	for i, r := range resps {
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("jobs of service principal %s: %w", sps[i].ID, err)
		}
		var page struct {
			Value []listedJob `json:"value"`
		}
		if err := r.Decode(&page); err != nil {
			return nil, fmt.Errorf("jobs of service principal %s: %w", sps[i].ID, err)
		}
		out[i] = page.Value
	}
	return out, nil
}

// listedAssignment is an app role assignment of a service principal.
type listedAssignment struct {
	ID                   string `json:"id"`
	PrincipalID          string `json:"principalId"`
	PrincipalDisplayName string `json:"principalDisplayName"`
	PrincipalType        string `json:"principalType"`
}

// listAppRoleAssignments pages through the assignments granted on a
// service principal (users and groups assigned to the application).
func listAppRoleAssignments(ctx context.Context, c *graph.Client, spID string) ([]listedAssignment, error) {
	var out []listedAssignment
	err := c.GetAll(ctx, servicePrincipalPath(spID)+"/appRoleAssignedTo?$select=id,principalId,principalDisplayName,principalType&$top=999",
		func(raw json.RawMessage) error {
			var a listedAssignment
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("decoding an app role assignment: %w", err)
			}
			out = append(out, a)
			return nil
		})
	return out, err
}

// restartScopes maps the restart action's scope names to Graph's
// synchronizationJobRestartScope flags.
var restartScopes = map[string]string{
	"full":                 "Full",
	"watermark":            "Watermark",
	"escrows":              "Escrows",
	"quarantine_state":     "QuarantineState",
	"connector_data_store": "ConnectorDataStore",
	"force_deletes":        "ForceDeletes",
}

// restartSyncJobScope restarts a job resetting the given Graph scopes
// (joined with "," as the SDK serialises the flags enum).
func restartSyncJobScope(ctx context.Context, c *graph.Client, spID, jobID string, graphScopes []string) error {
	body := map[string]any{"criteria": map[string]string{"resetScope": strings.Join(graphScopes, ",")}}
	return c.Do(ctx, http.MethodPost, jobPath(spID, jobID)+"/restart", body, nil)
}
