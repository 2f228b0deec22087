package graphsim

import (
	"strings"
	"testing"
)

// Path segments are matched against metadata names case-insensitively; a
// synchronization template id that spelled a metadata name would be
// rewritten, so none may.
func TestTemplateIDsAreNotMetadataNames(t *testing.T) {
	for id := range builtinSyncTemplates() {
		if c, ok := segmentNames[strings.ToLower(id)]; ok {
			t.Errorf("synchronization template id %q collides with metadata name %q", id, c)
		}
	}
	for _, g := range galleryTemplates {
		if c, ok := segmentNames[strings.ToLower(g.id)]; ok {
			t.Errorf("gallery template id %q collides with metadata name %q", g.id, c)
		}
	}
}
