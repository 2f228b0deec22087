package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// SyncTemplate is the part of a synchronizationTemplate this project reads.
type SyncTemplate struct {
	ID      string          `json:"id"`
	Default bool            `json:"default"`
	Schema  json.RawMessage `json:"schema"`
}

// ListSyncTemplates lists the synchronization templates a service principal
// offers. The list is fixed by the application (its gallery entry).
func (c *Client) ListSyncTemplates(ctx context.Context, spID string) ([]SyncTemplate, error) {
	var out struct {
		Value []SyncTemplate `json:"value"`
	}
	if err := c.get(ctx, syncPath(spID)+"/templates", &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// DefaultSyncTemplate picks the template a new job uses when none is named:
// the one marked default, or the only one.
func DefaultSyncTemplate(templates []SyncTemplate) (SyncTemplate, error) {
	for _, t := range templates {
		if t.Default {
			return t, nil
		}
	}
	if len(templates) == 1 {
		return templates[0], nil
	}
	ids := make([]string, 0, len(templates))
	for _, t := range templates {
		ids = append(ids, t.ID)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return SyncTemplate{}, fmt.Errorf("the service principal offers no synchronization templates: its application does not support provisioning")
	}
	return SyncTemplate{}, fmt.Errorf("the service principal offers several synchronization templates and none is marked default; set template_id to one of: %s", strings.Join(ids, ", "))
}

// SyncTemplateSchema returns the schema of templateID from a list the caller
// already holds, reading it on its own only when the list does not embed it.
func (c *Client) SyncTemplateSchema(ctx context.Context, spID string, templates []SyncTemplate, templateID string) (*syncschema.Schema, error) {
	for _, t := range templates {
		if t.ID != templateID {
			continue
		}
		if len(t.Schema) > 0 && string(t.Schema) != "null" {
			return syncschema.Parse(t.Schema)
		}
		return c.findSyncTemplateSchema(ctx, spID, templateID)
	}
	return nil, fmt.Errorf("the service principal has no synchronization template %q", templateID)
}
