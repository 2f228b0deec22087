package graphsim_test

import (
	"net/url"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// An app registration created directly (azuread_application), its service
// principal, and an application permission of Microsoft Graph assigned to it.
func TestCreateApplicationAndServicePrincipal(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 2, Groups: 1})
	roleID := "8c3b0c0e-3b5d-4f3e-9b1f-2f1d2c3b4a5e"
	status, body := env.Graph(t, "POST", "/applications", map[string]any{
		"displayName":    "Direct app",
		"signInAudience": "AzureADMyOrg",
		"identifierUris": []string{"api://direct-app"},
		"web":            map[string]any{"homePageUrl": "https://app.example/", "redirectUris": []string{"https://app.example/cb"}},
		"appRoles": []map[string]any{{"id": roleID, "allowedMemberTypes": []string{"Application"}, "displayName": "Admin",
			"description": "Admin", "isEnabled": true, "value": "Admin.All"}},
	})
	if status != 201 {
		t.Fatalf("POST /applications: %d %s", status, body)
	}
	app := obj(t, body)
	if app["signInAudience"] != "AzureADMyOrg" || app["web"].(map[string]any)["homePageUrl"] != "https://app.example/" {
		t.Fatalf("created application does not echo its properties: %v", app)
	}
	status, body = env.Graph(t, "GET", "/applications/"+app["id"].(string)+"?$select=identifierUris,appRoles", nil)
	got := obj(t, body)
	if status != 200 || len(got["identifierUris"].([]any)) != 1 || got["appRoles"].([]any)[0].(map[string]any)["origin"] != "Application" {
		t.Fatalf("GET application: %d %v", status, got)
	}
	status, body = env.Graph(t, "POST", "/servicePrincipals", map[string]any{"appId": app["appId"], "tags": []string{"HideApp"}})
	if status != 201 {
		t.Fatalf("POST /servicePrincipals: %d %s", status, body)
	}
	sp := obj(t, body)
	if sp["homepage"] != "https://app.example/" || len(sp["servicePrincipalNames"].([]any)) != 2 || len(sp["appRoles"].([]any)) != 1 || sp["appRoleAssignmentRequired"] != false {
		t.Fatalf("service principal does not reflect its application: %v", sp)
	}

	// Microsoft Graph's service principal is in every tenant.
	_, body = env.Graph(t, "GET", "/servicePrincipals?$filter="+url.QueryEscape("appId eq '"+graphsim.MicrosoftGraphAppID+"'"), nil)
	graph := values(t, body)
	if len(graph) != 1 || graph[0]["displayName"] != "Microsoft Graph" {
		t.Fatalf("Microsoft Graph service principal: %v", graph)
	}
	userReadAll := "df021288-bdef-4463-88db-98f22de89214"
	assign := func(resource, role string) (int, []byte) {
		return env.Graph(t, "POST", "/servicePrincipals/"+resource+"/appRoleAssignedTo",
			map[string]any{"principalId": sp["id"], "resourceId": resource, "appRoleId": role})
	}
	if status, body := assign(graph[0]["id"].(string), userReadAll); status != 201 {
		t.Fatalf("assign User.Read.All: %d %s", status, body)
	}
	if status, body := assign(sp["id"].(string), roleID); status != 201 {
		t.Fatalf("assign the app's own Application role to a service principal: %d %s", status, body)
	}

	// Graph's validation stays: unknown, read-only and ill-typed properties.
	for name, bad := range map[string]map[string]any{
		"unknown":   {"displayName": "x", "colour": "blue"},
		"read-only": {"displayName": "x", "publisherDomain": "evil.example"},
		"enum":      {"displayName": "x", "signInAudience": "Everyone"},
		"kind":      {"displayName": "x", "identifierUris": "api://x"},
		"role id":   {"displayName": "x", "appRoles": []map[string]any{{"id": "nope", "allowedMemberTypes": []string{"User"}}}},
		"no name":   {"signInAudience": "AzureADMyOrg"},
	} {
		if status, body := env.Graph(t, "POST", "/applications", bad); status != 400 {
			t.Errorf("%s: POST /applications %v: %d %s, want 400", name, bad, status, body)
		}
	}
	if status, body := env.Graph(t, "PATCH", "/applications/"+app["id"].(string), map[string]any{"signInAudience": 3}); status != 400 {
		t.Errorf("PATCH with a number for signInAudience: %d %s, want 400", status, body)
	}
}
