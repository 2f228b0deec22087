package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
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

// SyncTemplateOffer is a service principal of the tenant that offers a
// synchronization template, with the template list it was found in.
type SyncTemplateOffer struct {
	ServicePrincipalID string
	// TemplateID is the template's id as Graph spells it.
	TemplateID string
	Templates  []SyncTemplate
}

// FindSyncTemplateOffer finds a service principal that offers the
// synchronization template templateID (matched case-insensitively), so the
// template's schema can be read before an application of it is created.
// Service principals are paged with $select, gallery ones
// (applicationTemplateId set) are asked first, and their template lists are
// read through $batch, 20 per request, stopping at the first batch with a
// match: a tenant of N service principals costs its list pages plus at most
// ⌈N/20⌉ $batch requests. A service principal whose list cannot be read
// (a first-party app without synchronization) is skipped. No service
// principal offering it is a not-found error (graph.IsNotFound).
func (c *Client) FindSyncTemplateOffer(ctx context.Context, templateID string) (*SyncTemplateOffer, error) {
	sps, err := c.ListServicePrincipals(ctx, "")
	if err != nil {
		return nil, err
	}
	sort.SliceStable(sps, func(i, j int) bool {
		return sps[i].ApplicationTemplateID != "" && sps[j].ApplicationTemplateID == ""
	})
	for start := 0; start < len(sps); start += graph.MaxBatchSize {
		chunk := sps[start:min(start+graph.MaxBatchSize, len(sps))]
		reqs := make([]graph.BatchRequest, len(chunk))
		for i, sp := range chunk {
			reqs[i] = graph.BatchRequest{ID: strconv.Itoa(i), Method: http.MethodGet, URL: syncPath(sp.ID) + "/templates"}
		}
		resps, err := c.g.Batch(ctx, reqs)
		if err != nil {
			return nil, err
		}
		for i, r := range resps {
			var page struct {
				Value []SyncTemplate `json:"value"`
			}
			if decodeBatchItem(r, &page) != nil {
				continue
			}
			for _, t := range page.Value {
				if strings.EqualFold(t.ID, templateID) {
					return &SyncTemplateOffer{ServicePrincipalID: chunk[i].ID, TemplateID: t.ID, Templates: page.Value}, nil
				}
			}
		}
	}
	return nil, notFound("/servicePrincipals", fmt.Sprintf("no service principal of the tenant offers synchronization template %q", templateID))
}
