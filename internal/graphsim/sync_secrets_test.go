package graphsim_test

import (
	"testing"
)

func TestSecretsReplaceMaskAndQuirks(t *testing.T) {
	env, spID := newCustomApp(t, 1)
	path := "/servicePrincipals/" + spID + "/synchronization/secrets"
	adminSecrets := func() map[string]string {
		status, body := adminCall(t, env, "GET", "/_sim/secrets/"+spID, nil)
		if status != 200 {
			t.Fatalf("admin secrets: %d %s", status, body)
		}
		out := map[string]string{}
		for _, p := range values(t, body) {
			out[p["key"].(string)] = p["value"].(string)
		}
		return out
	}

	putSecrets(t, env, spID, "BaseAddress", "https://scim.example.test/scim", "SecretToken", "s3cr3t",
		"SyncNotificationSettings", `{"Enabled":false,"DeleteThresholdEnabled":false}`, "SyncAll", "false", "Password", "pw")
	got := values(t, mustGraph(t, env, 200, "GET", path, nil))
	want := map[string]string{"BaseAddress": "https://scim.example.test/scim", "SecretToken": "*",
		"SyncNotificationSettings": `{"Enabled":false,"DeleteThresholdEnabled":false}`, "SyncAll": "false", "Password": "*"}
	if len(got) != len(want) {
		t.Fatalf("GET returned %d keys, want %d: %v", len(got), len(want), got)
	}
	for _, p := range got {
		if want[p["key"].(string)] != p["value"] {
			t.Errorf("GET %s = %q, want %q", p["key"], p["value"], want[p["key"].(string)])
		}
	}
	if adminSecrets()["SecretToken"] != "s3cr3t" {
		t.Fatalf("the admin view must show the real token")
	}

	// PUT replaces the whole set; an empty value removes a key.
	putSecrets(t, env, spID, "BaseAddress", "https://other.example.test/scim", "SecretToken", "")
	now := adminSecrets()
	if len(now) != 1 || now["BaseAddress"] != "https://other.example.test/scim" {
		t.Fatalf("after a replacing PUT with a blank token: %v", now)
	}
	if body := mustGraph(t, env, 200, "GET", path+"/$count", nil); string(body) != "1" {
		t.Fatalf("$count = %s", body)
	}

	// Keys are case-sensitive .NET enum names: Graph answers 500.
	status, body := env.Graph(t, "PUT", path, map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": "https://x.example.test"}, {"key": "baseAddress", "value": "y"}}})
	if status != 500 || errorCode(t, body) != "InternalError" || errorMessage(t, body) != "Requested value 'baseAddress' was not found." {
		t.Fatalf("lowercase key: %d %s", status, body)
	}
	if adminSecrets()["BaseAddress"] != "https://other.example.test/scim" {
		t.Fatalf("a rejected PUT must not change the secrets")
	}
	for _, bad := range []any{map[string]any{"value": "nope"}, map[string]any{"value": []any{"x"}}, "[]"} {
		if status, body := env.Graph(t, "PUT", path, bad); status != 400 {
			t.Errorf("PUT %v: %d %s", bad, status, body)
		}
	}
	// The synchronization entity (SDK Synchronization().Get/Put) carries the
	// same secrets under "secrets".
	mustGraph(t, env, 204, "PUT", "/servicePrincipals/"+spID+"/synchronization", map[string]any{"secrets": []map[string]string{
		{"key": "BaseAddress", "value": "https://third.example.test"}, {"key": "SecretToken", "value": "t3"}}})
	entity := obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+spID+"/synchronization", nil))
	if sec := entity["secrets"].([]any); len(sec) != 2 || sec[1].(map[string]any)["value"] != "*" || adminSecrets()["SecretToken"] != "t3" {
		t.Fatalf("synchronization entity: %v", entity)
	}
	if status, body := env.Graph(t, "PUT", "/servicePrincipals/00000000-0000-0000-0000-000000000009/synchronization/secrets",
		map[string]any{"value": []any{}}); status != 404 {
		t.Errorf("unknown SP: %d %s", status, body)
	}
}
