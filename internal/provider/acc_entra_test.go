package provider

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// Tests act "in the portal" and assert on Graph through the same typed API
// the provider uses. The few raw paths below serve the generic portal
// helpers (testAccGet, testAccPortalPatch, testAccPortalDelete), which
// reach objects the API has no operation for.

func portalAPI(c *graph.Client) *entra.Client { return entra.New(c) }

func servicePrincipalPath(id string) string { return "/servicePrincipals/" + url.PathEscape(id) }
func applicationPath(id string) string      { return "/applications/" + url.PathEscape(id) }
func syncPath(spID string) string           { return servicePrincipalPath(spID) + "/synchronization" }
func jobPath(spID, jobID string) string     { return syncPath(spID) + "/jobs/" + url.PathEscape(jobID) }
func assignmentPath(spID, assignmentID string) string {
	return servicePrincipalPath(spID) + "/appRoleAssignedTo/" + url.PathEscape(assignmentID)
}

func findSyncJob(ctx context.Context, c *graph.Client, spID, jobID string) (*entra.Job, error) {
	return portalAPI(c).FindJob(ctx, spID, jobID)
}

func createSyncJob(ctx context.Context, c *graph.Client, spID, templateID string) (*entra.Job, error) {
	return portalAPI(c).CreateJob(ctx, spID, templateID)
}

func putSyncSecrets(ctx context.Context, c *graph.Client, spID string, pairs []entra.SecretPair) error {
	return portalAPI(c).PutSecrets(ctx, spID, pairs)
}

func findJobSchema(ctx context.Context, c *graph.Client, spID, jobID string) (*syncschema.Schema, error) {
	return portalAPI(c).FindJobSchema(ctx, spID, jobID)
}

func findJobSchemaRaw(ctx context.Context, c *graph.Client, spID, jobID string) ([]byte, error) {
	return portalAPI(c).FindJobSchemaJSON(ctx, spID, jobID)
}

// retrySyncConsistency retries a portal call on a job created moments ago.
func retrySyncConsistency(ctx context.Context, fn func() error) error {
	return retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, func(context.Context) error { return fn() })
}

func retryNotFoundAfterCreate(ctx context.Context, fn func() error) error {
	return retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(context.Context) error { return fn() })
}

// queryEscape escapes an OData query value, keeping spaces as %20.
func queryEscape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func odataString(s string) string { return strings.ReplaceAll(s, "'", "''") }

// findApplicationsByFilter lists the applications an OData filter matches.
func findApplicationsByFilter(ctx context.Context, c *graph.Client, filter string) ([]entra.Application, error) {
	var out []entra.Application
	err := c.GetAll(ctx, "/applications?$filter="+queryEscape(filter), func(raw json.RawMessage) error {
		var a entra.Application
		if err := json.Unmarshal(raw, &a); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

func retryAssignmentWrite(ctx context.Context, fn func() error) error {
	return retryWhileReplicating(ctx, graph.AssignmentWrite, func(context.Context) error { return fn() })
}

func putJobSchemaRaw(ctx context.Context, c *graph.Client, spID, jobID string, body []byte) error {
	s, err := syncschema.Parse(body)
	if err != nil {
		return err
	}
	return portalAPI(c).PutJobSchema(ctx, spID, jobID, s)
}
