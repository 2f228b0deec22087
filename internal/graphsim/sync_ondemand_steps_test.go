package graphsim_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// provisionOnDemand lists the documented steps for each outcome: created,
// updated, redundant export, skipped out of scope, target failure.
func TestProvisionOnDemandSteps(t *testing.T) {
	a := newProvisioningApp(t, 4, 2, "steps")
	env := a.env
	schema := obj(t, mustGraph(t, env, 200, "GET", a.jobPath()+"/schema", nil))
	ruleID := schema["synchronizationRules"].([]any)[0].(map[string]any)["id"].(string)
	unassigned := userIDs(t, env, 4)[3]
	type step struct{ Name, Type, Status string }
	onDemand := func(objectID string) (string, []step) {
		t.Helper()
		body := mustGraph(t, env, 200, "POST", a.jobPath()+"/provisionOnDemand", map[string]any{"parameters": []any{map[string]any{
			"ruleId": ruleID, "subjects": []any{map[string]any{"objectId": objectID, "objectTypeName": "User"}}}}})
		m := obj(t, body)
		var key struct{ Result string }
		var value struct {
			ProvisioningSteps []step `json:"provisioningSteps"`
		}
		if json.Unmarshal([]byte(m["key"].(string)), &key) != nil || json.Unmarshal([]byte(m["value"].(string)), &value) != nil {
			t.Fatalf("key/value are not JSON strings: %s", body)
		}
		return key.Result, value.ProvisioningSteps
	}
	describe := func(steps []step) string {
		var parts []string
		for _, s := range steps {
			parts = append(parts, s.Name+"/"+s.Type+"/"+s.Status)
		}
		return strings.Join(parts, " ")
	}
	const (
		imported = "EntryImport/Import/Success EntryImport/Matching/Success EntrySynchronizationScoping/Scoping/Success "
	)
	cases := []struct {
		name    string
		prepare func()
		subject string
		result  string
		steps   string
	}{
		{"created", nil, a.users[0], "Success", imported + "EntryExportAdd/Export/Success"},
		{"redundant export", nil, a.users[0], "Skipped", imported + "EntrySynchronizationSkip/Export/Skipped"},
		{"updated", func() {
			mustGraph(t, env, 204, "PATCH", "/users/"+a.users[0], map[string]any{"jobTitle": "Chief Tester"})
		}, a.users[0], "Success", imported + "EntryExportUpdate/Export/Success"},
		{"out of scope", nil, unassigned, "Skipped",
			"EntryImport/Import/Success EntrySynchronizationScoping/Scoping/Skipped EntrySynchronizationSkip/Export/Skipped"},
		{"target failure", func() { setTargetFailure(t, env, "steps", "503") }, a.users[1], "Failure",
			"EntryImport/Import/Success EntryImport/Matching/Failed EntrySynchronizationScoping/Scoping/Success"},
	}
	for _, tc := range cases {
		if tc.prepare != nil {
			tc.prepare()
		}
		result, steps := onDemand(tc.subject)
		if result != tc.result || describe(steps) != tc.steps {
			t.Errorf("%s: result %s, steps %s; want %s, %s", tc.name, result, describe(steps), tc.result, tc.steps)
		}
	}
}
