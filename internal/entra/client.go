package entra

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Client runs the operations of this package over one Graph client. It is
// safe for concurrent use and holds no state of its own.
type Client struct {
	g *graph.Client
}

// New wraps a Graph client.
func New(g *graph.Client) *Client { return &Client{g: g} }

func (c *Client) get(ctx context.Context, path string, out any) error {
	return c.g.Do(ctx, http.MethodGet, path, nil, out)
}

func (c *Client) post(ctx context.Context, path string, body, out any) error {
	return c.g.Do(ctx, http.MethodPost, path, body, out)
}

func (c *Client) patch(ctx context.Context, path string, body any) error {
	return c.g.Do(ctx, http.MethodPatch, path, body, nil)
}

func (c *Client) put(ctx context.Context, path string, body any) error {
	return c.g.Do(ctx, http.MethodPut, path, body, nil)
}

func (c *Client) delete(ctx context.Context, path string) error {
	return c.g.Do(ctx, http.MethodDelete, path, nil, nil)
}

// Every path this package requests is built by one of these, so each id is
// escaped exactly once.

func servicePrincipalPath(id string) string { return "/servicePrincipals/" + url.PathEscape(id) }
func applicationPath(id string) string      { return "/applications/" + url.PathEscape(id) }
func deletedItemPath(id string) string      { return "/directory/deletedItems/" + url.PathEscape(id) }
func applicationTemplatePath(id string) string {
	return "/applicationTemplates/" + url.PathEscape(id)
}
func assignmentPath(spID, assignmentID string) string {
	return servicePrincipalPath(spID) + "/appRoleAssignedTo/" + url.PathEscape(assignmentID)
}
func syncPath(spID string) string { return servicePrincipalPath(spID) + "/synchronization" }
func jobPath(spID, jobID string) string {
	return syncPath(spID) + "/jobs/" + url.PathEscape(jobID)
}

// filterQuery is "?$filter=" with an escaped OData expression; spaces stay
// %20 because some proxies reject '+' in $filter.
func filterQuery(expr string) string {
	return "?$filter=" + strings.ReplaceAll(url.QueryEscape(expr), "+", "%20")
}

// odataString escapes a value for a single-quoted OData string literal.
func odataString(s string) string { return strings.ReplaceAll(s, "'", "''") }

// notFound is the error a finder returns when a $filter list is empty, shaped
// like Graph's own 404 so callers test it with graph.IsNotFound.
func notFound(path, message string) error {
	return &graph.Error{StatusCode: 404, Code: "Request_ResourceNotFound", Message: message, Method: "GET", Path: path}
}
