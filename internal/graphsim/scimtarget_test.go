package graphsim_test

import (
	"net/url"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

func TestSCIMTarget(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1})
	const good = "Bearer sim-token-acme"
	users := "/_sim/scim/acme/Users"

	for _, auth := range []string{"", "Bearer sim-token-other", "Bearer sim-token-acme2", "sim-token-acme"} {
		if status, body := scimCall(t, env, auth, "GET", users, nil); status != 401 {
			t.Errorf("Authorization %q: %d %s", auth, status, body)
		}
	}

	status, body := scimCall(t, env, good, "POST", users, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "Ada@Example.test", "active": true,
		"emails": []any{map[string]any{"type": "work", "value": "ada@example.test", "primary": true}}})
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	id := obj(t, body)["id"].(string)
	if status, body := scimCall(t, env, good, "POST", users, map[string]any{"userName": "ada@example.test"}); status != 409 || obj(t, body)["scimType"] != "uniqueness" {
		t.Fatalf("duplicate userName (case-insensitive): %d %s", status, body)
	}

	filter := "?filter=" + url.QueryEscape(`userName eq "ada@example.test"`)
	list := obj(t, mustSCIM(t, env, good, 200, "GET", users+filter, nil))
	if list["totalResults"].(float64) != 1 || len(list["Resources"].([]any)) != 1 {
		t.Fatalf("filter by userName: %v", list)
	}
	none := obj(t, mustSCIM(t, env, good, 200, "GET", users+"?filter="+url.QueryEscape(`userName eq "nobody"`), nil))
	if none["totalResults"].(float64) != 0 {
		t.Fatalf("filter for a missing user: %v", none)
	}
	if status, _ := scimCall(t, env, good, "GET", users+"?filter="+url.QueryEscape(`userName sw "a"`), nil); status != 400 {
		t.Fatalf("unsupported filter operator: %d", status)
	}

	patched := obj(t, mustSCIM(t, env, good, 200, "PATCH", users+"/"+id, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{
			map[string]any{"op": "Replace", "path": "active", "value": false},
			map[string]any{"op": "Add", "path": `emails[type eq "work"].value`, "value": "ada2@example.test"},
			map[string]any{"op": "add", "value": map[string]any{"name.givenName": "Ada"}},
		}}))
	if patched["active"] != false || str(patched, "name.givenName") != "Ada" || patched["emails"].([]any)[0].(map[string]any)["value"] != "ada2@example.test" {
		t.Fatalf("PATCH result: %v", patched)
	}
	if status, _ := scimCall(t, env, good, "PATCH", users+"/"+id, map[string]any{"Operations": []any{map[string]any{"op": "Explode"}}}); status != 400 {
		t.Fatalf("unknown PatchOp op: %d", status)
	}
	// Renaming keeps the userName index current: the new name is found, the
	// old one is free again.
	mustSCIM(t, env, good, 200, "PATCH", users+"/"+id, map[string]any{"Operations": []any{
		map[string]any{"op": "replace", "path": "userName", "value": "lovelace@example.test"}}})
	renamed := obj(t, mustSCIM(t, env, good, 200, "GET", users+"?filter="+url.QueryEscape(`userName eq "LOVELACE@example.test"`), nil))
	old := obj(t, mustSCIM(t, env, good, 200, "GET", users+filter, nil))
	if renamed["totalResults"].(float64) != 1 || old["totalResults"].(float64) != 0 {
		t.Fatalf("after a rename: new name %v, old name %v results", renamed["totalResults"], old["totalResults"])
	}
	put := obj(t, mustSCIM(t, env, good, 200, "PUT", users+"/"+id, map[string]any{"userName": "ada@example.test", "displayName": "Ada"}))
	if put["id"] != id || put["displayName"] != "Ada" || put["active"] != nil {
		t.Fatalf("PUT replaces the resource: %v", put)
	}

	group := obj(t, mustSCIM(t, env, good, 201, "POST", "/_sim/scim/acme/Groups", map[string]any{"displayName": "Team", "members": []any{map[string]any{"value": id}}}))
	gid := group["id"].(string)
	mustSCIM(t, env, good, 204, "PATCH", "/_sim/scim/acme/Groups/"+gid, map[string]any{"Operations": []any{
		map[string]any{"op": "Remove", "path": `members[value eq "` + id + `"]`}}})
	if m := obj(t, mustSCIM(t, env, good, 200, "GET", "/_sim/scim/acme/Groups/"+gid, nil))["members"].([]any); len(m) != 0 {
		t.Fatalf("member removal: %v", m)
	}

	mustSCIM(t, env, good, 204, "DELETE", users+"/"+id, nil)
	if status, _ := scimCall(t, env, good, "GET", users+"/"+id, nil); status != 404 {
		t.Fatalf("GET after DELETE: %d", status)
	}

	// Failure modes and recovery.
	for mode, want := range map[string]int{"503": 503, "500": 500, "401": 401} {
		setTargetFailure(t, env, "acme", mode)
		if status, _ := scimCall(t, env, good, "GET", users, nil); status != want {
			t.Errorf("mode %s: got %d", mode, status)
		}
	}
	setTargetFailure(t, env, "acme", "none")
	mustSCIM(t, env, good, 200, "GET", users, nil)
	if status, _ := adminCall(t, env, "POST", "/_sim/scim/acme/_fail", map[string]string{"mode": "sometimes"}); status != 400 {
		t.Fatalf("unknown failure mode accepted")
	}
	state := targetState(t, env, "acme")
	if state["failMode"] != "none" || len(state["groups"].([]any)) != 1 || state["requests"].(map[string]any)["POST Users"].(float64) < 2 {
		t.Fatalf("admin state: %v", state)
	}
}

func mustSCIM(t *testing.T, env *simtest.Env, auth string, want int, method, path string, body any) []byte {
	t.Helper()
	status, resp := scimCall(t, env, auth, method, path, body)
	if status != want {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, status, want, resp)
	}
	return resp
}
