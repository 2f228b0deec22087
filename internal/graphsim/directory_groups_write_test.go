package graphsim_test

import (
	"net/url"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestGroupWrites follows the AzureAD provider's azuread_group and
// azuread_group_member calls: create a security group with owners bound,
// PATCH, members and owners by $ref (users, groups, service principals),
// memberOf, directoryObjects, delete.
func TestGroupWrites(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 3, Groups: 1})
	_, body := env.Graph(t, "GET", "/users?$select=id", nil)
	userID := values(t, body)[0]["id"].(string)
	bind := func(id string) string { return "https://graph.microsoft.com/v1.0/directoryObjects/" + id }

	status, body := env.Graph(t, "POST", "/groups", map[string]any{
		"displayName": "Provisioned Engineers", "mailEnabled": false, "mailNickname": "prov-eng",
		"securityEnabled": true, "groupTypes": []string{}, "description": "scoped to the SCIM app",
		"isAssignableToRole": false, "resourceBehaviorOptions": []string{}, "owners@odata.bind": []string{bind(userID)},
	})
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	g := obj(t, body)
	gid := g["id"].(string)
	if g["securityEnabled"] != true || g["mailEnabled"] != false || g["mail"] != nil || g["isAssignableToRole"] != false {
		t.Fatalf("created group: %v", g)
	}

	bad := []struct {
		name string
		body map[string]any
	}{
		{"missing mailNickname", map[string]any{"displayName": "x", "mailEnabled": false, "securityEnabled": true}},
		{"mail-enabled security group", map[string]any{"displayName": "x", "mailEnabled": true, "mailNickname": "x", "securityEnabled": true}},
		{"dynamic membership", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x", "securityEnabled": true, "groupTypes": []string{"DynamicMembership"}, "membershipRule": "user.department -eq \"Sales\""}},
		{"unknown property", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x", "securityEnabled": true, "shoeSize": 44}},
		{"bad visibility", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x", "securityEnabled": true, "visibility": "Secret"}},
		{"unknown owner", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x", "securityEnabled": true, "owners@odata.bind": []string{bind("11111111-2222-3333-4444-555555555555")}}},
	}
	for _, tc := range bad {
		if status, body := env.Graph(t, "POST", "/groups", tc.body); status != 400 || errorCode(t, body) != "Request_BadRequest" {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}

	// PATCH; a rejected body changes nothing.
	if status, body := env.Graph(t, "PATCH", "/groups/"+gid, map[string]any{"displayName": "Provisioned Engineering", "visibility": "Private"}); status != 204 {
		t.Fatalf("patch: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "PATCH", "/groups/"+gid, map[string]any{"displayName": "changed", "mailEnabled": true}); status != 400 {
		t.Fatalf("mail-enabling a security group accepted: %d", status)
	}
	_, body = env.Graph(t, "GET", "/groups/"+gid, nil)
	if g := obj(t, body); g["displayName"] != "Provisioned Engineering" || g["visibility"] != "Private" {
		t.Fatalf("after patch: %v", g)
	}
	_, body = env.Graph(t, "GET", "/groups?$filter="+url.QueryEscape("displayName eq 'Provisioned Engineering' and securityEnabled eq true"), nil)
	if v := values(t, body); len(v) != 1 || v[0]["id"] != gid {
		t.Fatalf("filter by displayName: %s", body)
	}

	// Members of every directory object kind; owners; memberOf.
	_, body = env.Graph(t, "GET", "/groups?$filter="+url.QueryEscape("displayName ne 'Provisioned Engineering'"), nil)
	seeded := values(t, body)[0]["id"].(string)
	for _, id := range []string{userID, seeded} {
		if status, body := env.Graph(t, "POST", "/groups/"+gid+"/members/$ref", map[string]string{"@odata.id": bind(id)}); status != 204 {
			t.Fatalf("add member %s: %d %s", id, status, body)
		}
	}
	if status, _ := env.Graph(t, "POST", "/groups/"+gid+"/members/$ref", map[string]string{"@odata.id": bind(gid)}); status != 404 {
		t.Fatalf("a group became its own member: %d", status)
	}
	_, body = env.Graph(t, "GET", "/groups/"+gid+"/members", nil)
	kinds := map[string]bool{}
	for _, m := range values(t, body) {
		kinds[m["@odata.type"].(string)] = true
	}
	if !kinds["#microsoft.graph.user"] || !kinds["#microsoft.graph.group"] {
		t.Fatalf("members: %s", body)
	}
	_, body = env.Graph(t, "GET", "/groups/"+seeded+"/memberOf", nil)
	if v := values(t, body); len(v) != 1 || v[0]["id"] != gid {
		t.Fatalf("memberOf: %s", body)
	}
	_, body = env.Graph(t, "GET", "/groups/"+gid+"/owners", nil)
	if v := values(t, body); len(v) != 1 || v[0]["id"] != userID {
		t.Fatalf("owners: %s", body)
	}
	if status, body := env.Graph(t, "DELETE", "/groups/"+gid+"/owners/"+userID+"/$ref", nil); status != 204 {
		t.Fatalf("remove owner: %d %s", status, body)
	}
	_, body = env.Graph(t, "GET", "/directoryObjects/"+seeded, nil)
	if o := obj(t, body); o["@odata.type"] != "#microsoft.graph.group" {
		t.Fatalf("directoryObjects: %v", o)
	}

	// Delete removes the group and its memberships.
	if status, body := env.Graph(t, "DELETE", "/groups/"+gid, nil); status != 204 {
		t.Fatalf("delete: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "GET", "/groups/"+gid, nil); status != 404 {
		t.Fatalf("deleted group still readable: %d", status)
	}
	_, body = env.Graph(t, "GET", "/groups/"+seeded+"/memberOf", nil)
	if v := values(t, body); len(v) != 0 {
		t.Fatalf("memberOf after delete: %s", body)
	}
}

// TestCreatedGroupOwnedByCaller: without owners@odata.bind the app-only
// caller's service principal owns the group, and is a directory object.
func TestCreatedGroupOwnedByCaller(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1, Groups: 1})
	status, body := env.Graph(t, "POST", env.Ready.GraphEndpoint+"/beta/groups", map[string]any{"displayName": "g", "mailEnabled": false, "mailNickname": "g", "securityEnabled": true})
	if status != 201 {
		t.Fatalf("create on beta: %d %s", status, body)
	}
	gid := obj(t, body)["id"].(string)
	_, body = env.Graph(t, "GET", "/groups/"+gid+"/owners", nil)
	v := values(t, body)
	if len(v) != 1 || v[0]["@odata.type"] != "#microsoft.graph.servicePrincipal" || v[0]["appId"] != env.Ready.ClientID {
		t.Fatalf("owners: %s", body)
	}
}

// TestApplicationOwners: the owners collections of an instantiated app.
func TestApplicationOwners(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1, Groups: 1})
	status, body := env.Graph(t, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]any{"displayName": "owned"})
	if status != 201 {
		t.Fatalf("instantiate: %d %s", status, body)
	}
	m := obj(t, body)
	for _, p := range []string{"/applications/" + m["application"].(map[string]any)["id"].(string), "/servicePrincipals/" + m["servicePrincipal"].(map[string]any)["id"].(string)} {
		status, body := env.Graph(t, "GET", p+"/owners", nil)
		if status != 200 || len(values(t, body)) != 0 {
			t.Errorf("%s/owners: %d %s", p, status, body)
		}
	}
	if status, _ := env.Graph(t, "GET", "/applications/11111111-2222-3333-4444-555555555555/owners", nil); status != 404 {
		t.Errorf("owners of an unknown application: %d", status)
	}
}
