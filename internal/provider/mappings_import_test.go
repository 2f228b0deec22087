package provider

import (
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

func TestChangedObjectMappingsKeepsOnlyWhatDiffers(t *testing.T) {
	on, off := true, false
	mappings := map[string]syncschema.AttributeMapping{"userName": {Source: "userPrincipalName", MatchingPriority: 1}}
	base := syncschema.Overlay{ObjectMappings: map[string]syncschema.ObjectMapping{
		"User":  {Enabled: &on, AttributeMappings: mappings, ScopingFilter: []syncschema.FilterGroup{{Clauses: []syncschema.FilterClause{{Attribute: "a", Operator: "IS TRUE"}}}}},
		"Group": {Enabled: &on, AttributeMappings: mappings},
	}}
	have := syncschema.Overlay{ObjectMappings: map[string]syncschema.ObjectMapping{
		"User":  {Enabled: &on, AttributeMappings: mappings}, // scoping filter removed in the portal
		"Group": {Enabled: &off, AttributeMappings: mappings},
	}}
	got := changedObjectMappings(have, base)
	if g := got["Group"]; g.Enabled == nil || *g.Enabled || g.AttributeMappings != nil || g.ScopingFilter != nil {
		t.Errorf("Group = %+v, want only enabled = false", g)
	}
	if u := got["User"]; u.ScopingFilter == nil || len(u.ScopingFilter) != 0 || u.Enabled != nil || u.AttributeMappings != nil {
		t.Errorf("User = %+v, want only an empty (removed) scoping filter", u)
	}
	if same := changedObjectMappings(base, base); len(same) != 0 {
		t.Errorf("a schema equal to its template imports %v, want nothing", same)
	}
}
