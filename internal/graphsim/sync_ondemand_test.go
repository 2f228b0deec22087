package graphsim_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidateCredentials(t *testing.T) {
	a := newProvisioningApp(t, 2, 1, "creds")
	env := a.env
	jobsPath := "/servicePrincipals/" + a.spID + "/synchronization/jobs"
	creds := func(base, token string) []map[string]string {
		return []map[string]string{{"key": "BaseAddress", "value": base}, {"key": "SecretToken", "value": token}}
	}
	for _, tc := range []struct {
		name string
		path string
		body map[string]any
		want int
		text string
	}{
		{"job level, good", a.jobPath() + "/validateCredentials", map[string]any{"useSavedCredentials": false, "credentials": creds(targetURL(env, "creds"), "sim-token-creds")}, 204, ""},
		{"job level, saved", a.jobPath() + "/validateCredentials", map[string]any{"useSavedCredentials": true}, 204, ""},
		{"jobs level with templateId", jobsPath + "/validateCredentials", map[string]any{"templateId": "scim", "credentials": creds(targetURL(env, "creds"), "sim-token-creds")}, 204, ""},
		{"wrong token", a.jobPath() + "/validateCredentials", map[string]any{"credentials": creds(targetURL(env, "creds"), "wrong-token")}, 400, "401"},
		{"unreachable", a.jobPath() + "/validateCredentials", map[string]any{"credentials": creds("https://127.0.0.1:1/scim", "t")}, 400, "could not be reached"},
		{"http tenant URL", a.jobPath() + "/validateCredentials", map[string]any{"credentials": creds("http://127.0.0.1:1/scim", "t")}, 400, "https"},
		{"no tenant URL", a.jobPath() + "/validateCredentials", map[string]any{"credentials": []map[string]string{{"key": "SecretToken", "value": "t"}}}, 400, "BaseAddress"},
		{"jobs level, foreign template", jobsPath + "/validateCredentials", map[string]any{"templateId": "slack", "credentials": creds(targetURL(env, "creds"), "x")}, 400, "slack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.Graph(t, "POST", tc.path, tc.body)
			if status != tc.want {
				t.Fatalf("got %d, want %d: %s", status, tc.want, body)
			}
			if tc.want == 400 {
				msg := errorMessage(t, body)
				if !strings.Contains(msg, tc.text) || strings.Contains(msg, "wrong-token") {
					t.Fatalf("message %q should contain %q and never the token", msg, tc.text)
				}
				if tc.text != "slack" && errorCode(t, body) != "CredentialValidationUnavailable" {
					t.Fatalf("code: %s", body)
				}
			}
		})
	}
	status, body := env.Graph(t, "POST", a.jobPath()+"/validateCredentials", map[string]any{
		"credentials": []map[string]string{{"key": "secretToken", "value": "x"}}})
	if status != 500 || errorCode(t, body) != "InternalError" {
		t.Fatalf("lowercase credential key: %d %s", status, body)
	}
}

func TestProvisionOnDemand(t *testing.T) {
	a := newProvisioningApp(t, 4, 2, "ondemand")
	env := a.env
	schema := obj(t, mustGraph(t, env, 200, "GET", a.jobPath()+"/schema", nil))
	ruleID := schema["synchronizationRules"].([]any)[0].(map[string]any)["id"].(string)
	unassigned := userIDs(t, env, 4)[3]
	call := func(rule, objectID string) (int, []byte) {
		return env.Graph(t, "POST", a.jobPath()+"/provisionOnDemand", map[string]any{"parameters": []any{map[string]any{
			"ruleId": rule, "subjects": []any{map[string]any{"objectId": objectID, "objectTypeName": "User",
				"links": map[string]any{"manager": nil, "members": []any{}, "owners": []any{}}}}}}})
	}
	decode := func(body []byte) (key, value map[string]any) {
		m := obj(t, body)
		if err := json.Unmarshal([]byte(m["key"].(string)), &key); err != nil {
			t.Fatalf("key is not a JSON string: %s", body)
		}
		if err := json.Unmarshal([]byte(m["value"].(string)), &value); err != nil {
			t.Fatalf("value is not a JSON string: %s", body)
		}
		return key, value
	}

	if status, body := call("not-a-rule", a.users[0]); status != 400 || !strings.Contains(errorMessage(t, body), ruleID) {
		t.Fatalf("bad ruleId: %d %s", status, body)
	}
	status, body := call(ruleID, a.users[0])
	if status != 200 {
		t.Fatalf("provisionOnDemand: %d %s", status, body)
	}
	key, value := decode(body)
	if key["result"] != "Success" || value["action"] != "Create" || str(value, "statusInfo.status") != "Success" || len(value["modifiedProperties"].([]any)) == 0 {
		t.Fatalf("first on-demand provisioning: key=%v value=%v", key, value)
	}
	if n := len(targetState(t, env, "ondemand")["users"].([]any)); n != 1 {
		t.Fatalf("on demand must really provision the user: target holds %d", n)
	}
	_, body = call(ruleID, a.users[0])
	key, value = decode(body)
	if key["result"] != "Skipped" || str(value, "statusInfo.errorCode") != "RedundantExport" {
		t.Fatalf("second on-demand provisioning should be redundant: key=%v value=%v", key, value)
	}
	_, body = call(ruleID, unassigned)
	if key, _ = decode(body); key["result"] != "Skipped" {
		t.Fatalf("an unassigned user is skipped: %v", key)
	}
	if status, body := call(ruleID, "00000000-0000-0000-0000-00000000abcd"); status != 400 {
		t.Fatalf("unknown user: %d %s", status, body)
	}
	// Five calls per 10 s: the sixth is throttled.
	status, _ = call(ruleID, a.users[1])
	if status != 429 {
		t.Fatalf("the sixth call in 10 s got %d, want 429", status)
	}
	logs := values(t, mustGraph(t, env, 200, "GET", "/auditLogs/provisioning?$filter=provisioningAction eq 'create'", nil))
	if len(logs) != 1 || str(logs[0], "initiatedBy.initiatorType") != "application" {
		t.Fatalf("on-demand create should be logged once: %v", logs)
	}
}
