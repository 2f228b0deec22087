package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// Gallery synchronization templates read at plan through an application
// of the same template that already exists in the tenant, for jobs whose
// own service principal is created in the same apply. Each template is
// looked up at most once per provider configuration — whether it was
// found, offered by no service principal, or could not be read.

// galleryTemplateReader is the part of the Entra API the schemas come from.
type galleryTemplateReader interface {
	FindSyncTemplateOffer(ctx context.Context, templateID string) (*entra.SyncTemplateOffer, error)
	SyncTemplateSchema(ctx context.Context, spID string, templates []entra.SyncTemplate, templateID string) (*syncschema.Schema, error)
}

// galleryTemplateLookup is what one lookup found: the schema, or why not.
type galleryTemplateLookup struct {
	schema *syncschema.Schema
	// notOffered: no service principal of the tenant offers the template.
	notOffered bool
	// err: the lookup failed otherwise (permissions, throttling).
	err error
}

// galleryTemplateCache lives on ProviderData (one per provider
// configuration), keyed by the lower-cased template id. The zero value is
// ready to use.
type galleryTemplateCache struct {
	mu sync.Mutex
	m  map[string]galleryTemplateLookup
}

// lookup returns the template's schema read through an existing service
// principal, looking it up the first time a template is asked for.
func (c *galleryTemplateCache) lookup(ctx context.Context, api galleryTemplateReader, templateID string) galleryTemplateLookup {
	key := strings.ToLower(templateID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if got, ok := c.m[key]; ok {
		return got
	}
	got := readGalleryTemplate(ctx, api, templateID)
	if c.m == nil {
		c.m = map[string]galleryTemplateLookup{}
	}
	c.m[key] = got
	return got
}

func readGalleryTemplate(ctx context.Context, api galleryTemplateReader, templateID string) galleryTemplateLookup {
	offer, err := api.FindSyncTemplateOffer(ctx, templateID)
	if graph.IsNotFound(err) {
		return galleryTemplateLookup{notOffered: true}
	}
	if err != nil {
		return galleryTemplateLookup{err: err}
	}
	s, err := api.SyncTemplateSchema(ctx, offer.ServicePrincipalID, offer.Templates, offer.TemplateID)
	if err != nil {
		return galleryTemplateLookup{err: err}
	}
	return galleryTemplateLookup{schema: s}
}
