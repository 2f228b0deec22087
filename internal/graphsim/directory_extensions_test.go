package graphsim_test

import (
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestExtensionProperties registers a directory extension on an
// application and finds it through getAvailableExtensionProperties (also
// as the read-only client: the action only reads), then loses it when the
// application is deleted.
func TestExtensionProperties(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	_, app := instantiate(t, env, graphsim.CustomAppTemplateID, "ext owner")
	appID, objID := app["appId"].(string), app["id"].(string)

	status, body := env.Graph(t, "POST", "/applications/"+objID+"/extensionProperties",
		map[string]any{"name": "costCenter", "dataType": "String", "targetObjects": []string{"User"}})
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	created := obj(t, body)
	want := "extension_" + strings.ReplaceAll(appID, "-", "") + "_costCenter"
	if created["name"] != want || created["dataType"] != "String" || created["isSyncedFromOnPremises"] != false {
		t.Fatalf("created %v, want name %s", created, want)
	}
	if status, body = env.Graph(t, "POST", "/applications/"+objID+"/extensionProperties",
		map[string]any{"name": "costCenter", "dataType": "String", "targetObjects": []string{"User"}}); status != 400 {
		t.Fatalf("duplicate: %d %s", status, body)
	}
	for _, bad := range []map[string]any{
		{"name": "x", "dataType": "Text", "targetObjects": []string{"User"}},
		{"name": "x", "dataType": "String", "targetObjects": []string{"Person"}},
		{"name": "x", "dataType": "String"},
		{"dataType": "String", "targetObjects": []string{"User"}},
	} {
		if status, body := env.Graph(t, "POST", "/applications/"+objID+"/extensionProperties", bad); status != 400 || errorCode(t, body) == "" {
			t.Errorf("%v: %d %s, want 400", bad, status, body)
		}
	}
	status, body = env.Graph(t, "GET", "/applications/"+objID+"/extensionProperties", nil)
	if status != 200 || len(values(t, body)) != 1 {
		t.Fatalf("list: %d %s", status, body)
	}

	status, body = env.GraphReadOnly(t, "POST", "/directoryObjects/getAvailableExtensionProperties", map[string]any{})
	if status != 200 {
		t.Fatalf("getAvailableExtensionProperties (read-only client): %d %s", status, body)
	}
	got := values(t, body)
	if len(got) != 1 || got[0]["name"] != want || got[0]["appDisplayName"] != "ext owner" ||
		len(got[0]["targetObjects"].([]any)) != 1 || got[0]["@odata.type"] != "#microsoft.graph.extensionProperty" {
		t.Fatalf("available = %v", got)
	}
	if _, body = env.Graph(t, "POST", "/directoryObjects/getAvailableExtensionProperties", map[string]any{"isSyncedFromOnPremises": true}); len(values(t, body)) != 0 {
		t.Fatalf("nothing is synced from on-premises, got %s", body)
	}
	if status, _ = env.Graph(t, "DELETE", "/applications/"+objID, nil); status != 204 {
		t.Fatalf("delete application: %d", status)
	}
	if _, body = env.Graph(t, "POST", "/directoryObjects/getAvailableExtensionProperties", map[string]any{}); len(values(t, body)) != 0 {
		t.Fatalf("a deleted application's properties are still available: %s", body)
	}
}
