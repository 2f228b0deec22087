package graphsim_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

func TestUserWrites(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 3, Groups: 1})
	newUser := map[string]any{
		"accountEnabled": true, "displayName": "New Hire", "mailNickname": "new.hire",
		"userPrincipalName": "new.hire@contoso.onmicrosoft.com", "department": "Sales",
		"passwordProfile": map[string]any{"password": "P@ssw0rd-never-stored", "forceChangePasswordNextSignIn": true},
	}
	status, body := env.Graph(t, "POST", "/users", newUser)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	u := obj(t, body)
	id := u["id"].(string)
	if u["department"] != "Sales" || u["passwordProfile"] != nil {
		t.Fatalf("created user: %v", u)
	}
	if status, body := env.Graph(t, "POST", "/users", newUser); status != 400 || errorCode(t, body) != "Request_BadRequest" {
		t.Fatalf("duplicate UPN: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "POST", "/users", map[string]any{"displayName": "x"}); status != 400 {
		t.Fatalf("missing required properties: %d", status)
	}
	// PATCH moves the user between departments; a bad body changes nothing.
	if status, body := env.Graph(t, "PATCH", "/users/"+id, map[string]any{"department": "Finance", "jobTitle": "Analyst"}); status != 204 {
		t.Fatalf("patch: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "PATCH", "/users/"+id, map[string]any{"department": "Legal", "shoeSize": 44}); status != 400 {
		t.Fatalf("unknown property accepted: %d", status)
	}
	if status, _ := env.Graph(t, "PATCH", "/users/"+id, `{"department":"Legal","accountEnabled":null}`); status != 400 {
		t.Fatalf("null accountEnabled accepted: %d", status)
	}
	_, body = env.Graph(t, "GET", "/users?$filter="+url.QueryEscape("department eq 'Finance'")+"&$select=id,jobTitle", nil)
	found := false
	for _, v := range values(t, body) {
		found = found || (v["id"] == id && v["jobTitle"] == "Analyst")
	}
	if !found {
		t.Fatalf("patched user not found by department: %s", body)
	}
	// Group membership and manager references.
	_, body = env.Graph(t, "GET", "/groups", nil)
	gid := values(t, body)[0]["id"].(string)
	ref := map[string]string{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + id}
	if status, body := env.Graph(t, "POST", "/groups/"+gid+"/members/$ref", ref); status != 204 {
		t.Fatalf("add member: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "POST", "/groups/"+gid+"/members/$ref", ref); status != 400 {
		t.Fatalf("duplicate member: %d", status)
	}
	_, body = env.Graph(t, "GET", "/users?$top=1", nil)
	boss := values(t, body)[0]["id"].(string)
	if status, body := env.Graph(t, "PUT", "/users/"+id+"/manager/$ref", map[string]string{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + boss}); status != 204 {
		t.Fatalf("set manager: %d %s", status, body)
	}
	if status, body := env.Graph(t, "GET", "/users/"+id+"/manager", nil); status != 200 || obj(t, body)["id"] != boss {
		t.Fatalf("manager: %d %s", status, body)
	}
	// Soft delete hides the user; restore brings it back; purge removes it from groups.
	if status, _ := env.Graph(t, "DELETE", "/users/"+id, nil); status != 204 {
		t.Fatal("delete user")
	}
	if status, _ := env.Graph(t, "GET", "/users/"+id, nil); status != 404 {
		t.Fatal("deleted user still readable")
	}
	_, body = env.Graph(t, "GET", "/directory/deletedItems/microsoft.graph.user", nil)
	if v := values(t, body); len(v) != 1 || v[0]["id"] != id || v[0]["deletedDateTime"] == nil {
		t.Fatalf("deleted users: %s", body)
	}
	_, body = env.Graph(t, "GET", "/groups/"+gid+"/members?$top=999", nil)
	for _, m := range values(t, body) {
		if m["id"] == id {
			t.Fatal("soft-deleted user listed as a group member")
		}
	}
	if status, _ := env.Graph(t, "POST", "/directory/deletedItems/"+id+"/restore", nil); status != 200 {
		t.Fatal("restore user")
	}
	if status, _ := env.Graph(t, "GET", "/users/"+id, nil); status != 200 {
		t.Fatal("restored user not readable")
	}
	env.Graph(t, "DELETE", "/users/"+id, nil)
	if status, _ := env.Graph(t, "DELETE", "/directory/deletedItems/"+id, nil); status != 204 {
		t.Fatal("purge user")
	}
	if status, _ := env.Graph(t, "DELETE", "/groups/"+gid+"/members/"+id+"/$ref", nil); status != 404 {
		t.Fatalf("purged user still a member: %d", status)
	}
	st, _ := env.Admin.State()
	if st["counts"].(map[string]any)["users"] != float64(3) {
		t.Fatalf("user count after purge: %v", st["counts"])
	}
}

// TestUserStoredProperties: properties the AzureAD provider's azuread_user
// sets and reads back with $select round-trip with their JSON kinds, and a
// wrongly typed one is Graph's 400.
func TestUserStoredProperties(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1, Groups: 1})
	status, body := env.Graph(t, "POST", "/users", map[string]any{
		"accountEnabled": true, "displayName": "Contractor", "mailNickname": "contractor",
		"userPrincipalName": "contractor@contoso.onmicrosoft.com",
		"passwordProfile":   map[string]any{"password": "P@ssw0rd-never-stored"},
		"employeeType":      "Contractor", "otherMails": []string{"c@example.com"}, "ageGroup": "NotAdult",
		"employeeOrgData":  map[string]any{"division": "R&D", "costCenter": "CC-7"},
		"employeeHireDate": "2024-02-01T00:00:00Z", "usageLocation": "NL", "passwordPolicies": "DisablePasswordExpiration",
	})
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	id := obj(t, body)["id"].(string)
	if status, body := env.Graph(t, "PATCH", env.Ready.GraphEndpoint+"/beta/users/"+id, map[string]any{"showInAddressList": false}); status != 204 {
		t.Fatalf("beta patch: %d %s", status, body)
	}
	_, body = env.Graph(t, "GET", "/users/"+id+"?$select=employeeType,otherMails,ageGroup,employeeOrgData,employeeHireDate,usageLocation,passwordPolicies,showInAddressList,onPremisesImmutableId", nil)
	u := obj(t, body)
	org, _ := u["employeeOrgData"].(map[string]any)
	if u["employeeType"] != "Contractor" || u["ageGroup"] != "NotAdult" || u["usageLocation"] != "NL" || u["showInAddressList"] != false ||
		u["employeeHireDate"] != "2024-02-01T00:00:00Z" || org["costCenter"] != "CC-7" || u["onPremisesImmutableId"] != nil {
		t.Fatalf("read back: %s", body)
	}
	if mails, _ := u["otherMails"].([]any); len(mails) != 1 {
		t.Fatalf("otherMails: %s", body)
	}
	for _, b := range []map[string]any{{"otherMails": "c@example.com"}, {"employeeHireDate": "yesterday"}, {"employeeOrgData": map[string]any{"team": "x"}}} {
		if status, body := env.Graph(t, "PATCH", "/users/"+id, b); status != 400 || errorCode(t, body) != "Request_BadRequest" {
			t.Errorf("%v: %d %s", b, status, body)
		}
	}
}

// TestUserPasswordComplexity: Entra's complexity rule on passwordProfile.
func TestUserPasswordComplexity(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1, Groups: 1})
	_, body := env.Graph(t, "GET", "/users?$select=id", nil)
	id := values(t, body)[0]["id"].(string)
	for pw, want := range map[string]int{"B": 400, "alllowercase1": 400, "Sh0rt!": 400, "Longer-Passw0rd": 204} {
		status, body := env.Graph(t, "PATCH", "/users/"+id, map[string]any{"passwordProfile": map[string]any{"password": pw}})
		if status != want {
			t.Errorf("password %q: %d %s, want %d", pw, status, body, want)
		}
		if want == 400 && !strings.Contains(errorMessage(t, body), "does not comply with password complexity") {
			t.Errorf("password %q: %s", pw, body)
		}
	}
}
