package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// fakeGalleryReader offers one template ("mypolicies") through sp-1 and
// counts the lookups.
type fakeGalleryReader struct {
	finds, schemas int
	fail           error
}

func (f *fakeGalleryReader) FindSyncTemplateOffer(_ context.Context, templateID string) (*entra.SyncTemplateOffer, error) {
	f.finds++
	if f.fail != nil {
		return nil, f.fail
	}
	if templateID != "mypolicies" && templateID != "myPolicies" {
		return nil, &graph.Error{StatusCode: 404, Code: "Request_ResourceNotFound"}
	}
	return &entra.SyncTemplateOffer{ServicePrincipalID: "sp-1", TemplateID: "mypolicies", Templates: []entra.SyncTemplate{{ID: "mypolicies"}}}, nil
}

func (f *fakeGalleryReader) SyncTemplateSchema(_ context.Context, spID string, _ []entra.SyncTemplate, templateID string) (*syncschema.Schema, error) {
	f.schemas++
	if spID != "sp-1" || templateID != "mypolicies" {
		return nil, errors.New("unexpected schema read")
	}
	return syncschema.BuiltinTemplateSchema(syncschema.SCIMTemplateID), nil
}

func TestGalleryTemplateCache_looksUpOncePerTemplate(t *testing.T) {
	var c galleryTemplateCache
	api := &fakeGalleryReader{}
	for _, id := range []string{"mypolicies", "myPolicies", "MYPOLICIES"} {
		if got := c.lookup(t.Context(), api, id); got.schema == nil || got.err != nil || got.notOffered {
			t.Fatalf("lookup(%q) = %+v, want the schema", id, got)
		}
	}
	for range 2 {
		if got := c.lookup(t.Context(), api, "slack"); !got.notOffered || got.schema != nil {
			t.Fatalf("lookup(slack) = %+v, want not offered", got)
		}
	}
	if api.finds != 2 || api.schemas != 1 {
		t.Errorf("finds = %d, schema reads = %d; want 2 and 1 (one lookup per template, not-offered cached too)", api.finds, api.schemas)
	}
}

func TestGalleryTemplateCache_failureIsReportedAndCached(t *testing.T) {
	var c galleryTemplateCache
	api := &fakeGalleryReader{fail: &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied"}}
	for range 2 {
		if got := c.lookup(t.Context(), api, "slack"); got.err == nil || got.notOffered {
			t.Fatalf("lookup = %+v, want the error", got)
		}
	}
	if api.finds != 1 {
		t.Errorf("a failed lookup ran %d times, want 1", api.finds)
	}
}
