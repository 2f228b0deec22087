package provider

import (
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

func TestDefaultSyncTemplate(t *testing.T) {
	got, err := defaultSyncTemplate([]syncTemplate{{ID: "a"}, {ID: "scim", Default: true}})
	if err != nil || got.ID != "scim" {
		t.Errorf("marked default: got %q, %v; want scim", got.ID, err)
	}
	got, err = defaultSyncTemplate([]syncTemplate{{ID: "only"}})
	if err != nil || got.ID != "only" {
		t.Errorf("single template: got %q, %v; want only", got.ID, err)
	}
	_, err = defaultSyncTemplate([]syncTemplate{{ID: "b"}, {ID: "a"}})
	if err == nil || !strings.Contains(err.Error(), "template_id") || !strings.Contains(err.Error(), "a, b") {
		t.Errorf("ambiguous templates: error %v, want one that lists a, b and names template_id", err)
	}
	if _, err = defaultSyncTemplate(nil); err == nil || !strings.Contains(err.Error(), "does not support provisioning") {
		t.Errorf("no templates: error %v", err)
	}
}

func TestJobRunningTreatsPausedAndDisabledAsOff(t *testing.T) {
	for _, tc := range []struct {
		state, code string
		want        bool
	}{
		{"Active", "Active", true},
		{"Active", "Quarantine", true},
		{"Active", "NotRun", true},
		{"Paused", "Paused", false},
		{"Active", "Paused", false},
		{"Disabled", "NotConfigured", false},
	} {
		j := &syncJob{}
		j.Schedule.State, j.Status.Code = tc.state, tc.code
		if j.running() != tc.want {
			t.Errorf("schedule %s / status %s: running = %v, want %v", tc.state, tc.code, j.running(), tc.want)
		}
	}
}

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
