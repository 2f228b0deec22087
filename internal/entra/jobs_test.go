package entra

import (
	"strings"
	"testing"
)

func TestDefaultSyncTemplate(t *testing.T) {
	got, err := DefaultSyncTemplate([]SyncTemplate{{ID: "a"}, {ID: "scim", Default: true}})
	if err != nil || got.ID != "scim" {
		t.Errorf("marked default: got %q, %v; want scim", got.ID, err)
	}
	got, err = DefaultSyncTemplate([]SyncTemplate{{ID: "only"}})
	if err != nil || got.ID != "only" {
		t.Errorf("single template: got %q, %v; want only", got.ID, err)
	}
	_, err = DefaultSyncTemplate([]SyncTemplate{{ID: "b"}, {ID: "a"}})
	if err == nil || !strings.Contains(err.Error(), "template_id") || !strings.Contains(err.Error(), "a, b") {
		t.Errorf("ambiguous templates: error %v, want one that lists a, b and names template_id", err)
	}
	if _, err = DefaultSyncTemplate(nil); err == nil || !strings.Contains(err.Error(), "does not support provisioning") {
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
		j := &Job{}
		j.Schedule.State, j.Status.Code = tc.state, tc.code
		if j.Running() != tc.want {
			t.Errorf("schedule %s / status %s: running = %v, want %v", tc.state, tc.code, j.Running(), tc.want)
		}
	}
}
