package entra

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// The synchronization schema travels as raw JSON: a typed model would drop
// the many fields this project does not model, and a PUT of what was read
// must give them back unchanged.

// FindJobSchemaJSON reads the job's synchronization schema.
func (c *Client) FindJobSchemaJSON(ctx context.Context, spID, jobID string) ([]byte, error) {
	var raw json.RawMessage
	if err := c.get(ctx, jobPath(spID, jobID)+"/schema", &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// FindJobSchema reads and parses the job's synchronization schema.
func (c *Client) FindJobSchema(ctx context.Context, spID, jobID string) (*syncschema.Schema, error) {
	raw, err := c.FindJobSchemaJSON(ctx, spID, jobID)
	if err != nil {
		return nil, err
	}
	return syncschema.Parse(raw)
}

// PutJobSchema replaces the job's schema (Graph answers PATCH with 404).
func (c *Client) PutJobSchema(ctx context.Context, spID, jobID string, s *syncschema.Schema) error {
	body, err := s.MarshalJSON()
	if err != nil {
		return err
	}
	return c.put(ctx, jobPath(spID, jobID)+"/schema", json.RawMessage(body))
}

// DeleteJobSchema resets the job's schema to its template's default.
func (c *Client) DeleteJobSchema(ctx context.Context, spID, jobID string) error {
	return c.delete(ctx, jobPath(spID, jobID)+"/schema")
}

// FindJobFilterOperators reads the scoping-filter operators the job's
// schema supports.
func (c *Client) FindJobFilterOperators(ctx context.Context, spID, jobID string) ([]syncschema.FilterOperator, error) {
	var raw json.RawMessage
	if err := c.get(ctx, jobPath(spID, jobID)+"/schema/filterOperators", &raw); err != nil {
		return nil, err
	}
	return syncschema.FilterOperatorsFromJSON(raw)
}

// findSyncTemplateSchema reads one synchronization template's schema on its
// own, for template lists that do not embed it.
func (c *Client) findSyncTemplateSchema(ctx context.Context, spID, templateID string) (*syncschema.Schema, error) {
	var raw json.RawMessage
	if err := c.get(ctx, syncPath(spID)+"/templates/"+url.PathEscape(templateID)+"/schema", &raw); err != nil {
		return nil, err
	}
	return syncschema.Parse(raw)
}
