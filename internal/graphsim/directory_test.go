package graphsim_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

func TestApplicationTemplatesFilter(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	cases := []struct {
		filter string
		want   []string
	}{
		{"displayName eq 'Custom'", []string{"Custom"}},
		{"displayName eq 'mypolicies'", []string{"myPolicies"}}, // case-insensitive like Entra
		{"startswith(displayName,'Atl')", []string{"Atlassian Cloud"}},
		{"contains(displayName,'la')", []string{"Slack", "Atlassian Cloud"}},
		{"categories/any(c:c eq 'compliance')", []string{"myPolicies"}},
		{"categories/any(c:contains(c,'collab'))", []string{"Slack", "Atlassian Cloud", "Zoom", "Dropbox Business", "GitHub Enterprise Managed User", "Fabrikam Intranet"}},
		{"displayName eq 'Slack' or displayName eq 'Custom'", []string{"Custom", "Slack"}},
		{"displayName eq 'Nope'", nil},
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			status, body := env.Graph(t, "GET", "/applicationTemplates?$filter="+url.QueryEscape(tc.filter), nil)
			if status != 200 {
				t.Fatalf("status %d: %s", status, body)
			}
			var got []string
			for _, v := range values(t, body) {
				got = append(got, v["displayName"].(string))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestApplicationTemplateGetAndShape(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	status, body := env.Graph(t, "GET", "/applicationTemplates/"+graphsim.CustomAppTemplateID, nil)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	m := obj(t, body)
	if m["displayName"] != "Custom" || fmt.Sprint(m["supportedProvisioningTypes"]) != "[sync]" {
		t.Fatalf("unexpected custom template: %v", m)
	}
	for _, path := range []string{"/applicationTemplates/" + "00000000-0000-0000-0000-0000000000aa"} {
		if status, body := env.Graph(t, "GET", path, nil); status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
			t.Fatalf("%s: %d %s", path, status, body)
		}
	}
}

func TestInstantiateCustomTemplate(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "My SCIM app")
	if sp["appId"] != app["appId"] || sp["displayName"] != "My SCIM app" || sp["appRoleAssignmentRequired"] != true {
		t.Fatalf("service principal does not match application: %v / %v", sp, app)
	}
	if fmt.Sprint(sp["servicePrincipalNames"]) != fmt.Sprint([]any{app["appId"]}) {
		t.Fatalf("servicePrincipalNames = %v, want [appId]", sp["servicePrincipalNames"])
	}
	if sp["applicationTemplateId"] != graphsim.CustomAppTemplateID || app["applicationTemplateId"] != graphsim.CustomAppTemplateID {
		t.Fatalf("applicationTemplateId not set")
	}
	tags := fmt.Sprint(sp["tags"])
	if !strings.Contains(tags, "WindowsAzureActiveDirectoryIntegratedApp") || !strings.Contains(tags, "WindowsAzureActiveDirectoryCustomSingleSignOnApplication") {
		t.Fatalf("tags = %s", tags)
	}
	roles := map[string]string{}
	for _, r := range sp["appRoles"].([]any) {
		role := r.(map[string]any)
		roles[role["displayName"].(string)] = role["id"].(string)
	}
	if roles["User"] != graphsim.UserRoleID || roles["msiam_access"] != graphsim.MsiamAccessRoleID {
		t.Fatalf("appRoles = %v", roles)
	}
	// Readable afterwards.
	if status, _ := env.Graph(t, "GET", "/servicePrincipals/"+sp["id"].(string), nil); status != 200 {
		t.Fatalf("GET new service principal: %d", status)
	}
	if status, _ := env.Graph(t, "GET", "/applications/"+app["id"].(string), nil); status != 200 {
		t.Fatalf("GET new application: %d", status)
	}
}

func TestInstantiateBadInput(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	path := "/applicationTemplates/" + graphsim.CustomAppTemplateID + "/instantiate"
	cases := []struct {
		name       string
		path       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"no displayName", path, map[string]any{}, 400, "Request_BadRequest"},
		{"blank displayName", path, map[string]any{"displayName": "  "}, 400, "Request_BadRequest"},
		{"displayName not a string", path, `{"displayName":5}`, 400, "BadRequest"},
		{"malformed JSON", path, `{"displayName":`, 400, "BadRequest"},
		{"empty body", path, ``, 400, "BadRequest"},
		{"unknown template", "/applicationTemplates/11111111-2222-3333-4444-555555555555/instantiate", map[string]any{"displayName": "x"}, 404, "Request_ResourceNotFound"},
		{"bad template id", "/applicationTemplates/not-a-guid/instantiate", map[string]any{"displayName": "x"}, 400, "Request_BadRequest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.Graph(t, "POST", tc.path, tc.body)
			if status != tc.wantStatus || errorCode(t, body) != tc.wantCode {
				t.Fatalf("got %d %s, want %d %s", status, body, tc.wantStatus, tc.wantCode)
			}
		})
	}
	// None of the failures created anything.
	st, err := env.Admin.State()
	if err != nil {
		t.Fatal(err)
	}
	if n := st["counts"].(map[string]any)["applications"]; n != float64(0) {
		t.Fatalf("failed requests created %v applications", n)
	}
}

func TestGalleryInstantiate(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	for _, id := range []string{graphsim.MyPoliciesTemplateID, graphsim.SlackTemplateID, graphsim.AtlassianCloudTemplateID} {
		sp, _ := instantiate(t, env, id, "gallery "+id)
		hasUser := false
		for _, r := range sp["appRoles"].([]any) {
			if r.(map[string]any)["displayName"] == "User" {
				hasUser = true
			}
		}
		if !hasUser || !strings.Contains(fmt.Sprint(sp["tags"]), "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1") {
			t.Fatalf("gallery app %s: roles %v tags %v", id, sp["appRoles"], sp["tags"])
		}
	}
}

func TestListFilterSelectAndPaging(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	var appIDs []string
	for i := 0; i < 5; i++ {
		sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, fmt.Sprintf("app-%d", i))
		appIDs = append(appIDs, sp["appId"].(string))
	}
	// $filter eq on appId; and; $select.
	status, body := env.Graph(t, "GET", "/servicePrincipals?$filter="+url.QueryEscape("appId eq '"+appIDs[2]+"'")+"&$select=id,displayName", nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	v := values(t, body)
	if len(v) != 1 || v[0]["displayName"] != "app-2" || len(v[0]) != 2 {
		t.Fatalf("filtered/selected = %v", v)
	}
	filter := "applicationTemplateId eq '" + graphsim.CustomAppTemplateID + "' and displayName eq 'app-4'"
	status, body = env.Graph(t, "GET", "/applications?$filter="+url.QueryEscape(filter), nil)
	if v := values(t, body); status != 200 || len(v) != 1 || v[0]["appId"] != appIDs[4] {
		t.Fatalf("and filter: %d %s", status, body)
	}
	// Paging with $top follows @odata.nextLink to the end, in creation order.
	var seen []string
	next := "/applications?$top=2&$select=displayName"
	pages := 0
	for next != "" {
		status, body := env.Graph(t, "GET", next, nil)
		if status != 200 {
			t.Fatalf("page %d: %d %s", pages, status, body)
		}
		m := obj(t, body)
		for _, it := range m["value"].([]any) {
			seen = append(seen, it.(map[string]any)["displayName"].(string))
		}
		next, _ = m["@odata.nextLink"].(string)
		pages++
	}
	if pages != 3 || fmt.Sprint(seen) != "[app-0 app-1 app-2 app-3 app-4]" {
		t.Fatalf("paging: %d pages, %v", pages, seen)
	}
	// System query option names are case-insensitive, as in Graph; other
	// parameters are ignored.
	status, body = env.Graph(t, "GET", "/applications?$orderBy=displayName%20desc&$Top=2&$SELECT=displayName&tracing=1", nil)
	if v := values(t, body); status != 200 || len(v) != 2 || v[0]["displayName"] != "app-4" || len(v[0]) != 1 || obj(t, body)["@odata.nextLink"] == nil {
		t.Fatalf("mixed-case query options: %d %s", status, body)
	}
	// Bad query options.
	for _, tc := range []struct{ q, code string }{
		{"$top=0", "Request_BadRequest"},
		{"$top=1000", "Request_BadRequest"},
		{"$skiptoken=garbage", "Request_BadRequest"},
		{"$filter=" + url.QueryEscape("displayName eq"), "BadRequest"},
		{"$filter=" + url.QueryEscape("displayName eq 'x"), "BadRequest"},
		{"$filter=" + url.QueryEscape("notes eq 'x'"), "Request_UnsupportedQuery"},
		{"$select=nope", "BadRequest"},
		{"$frobnicate=1", "Request_BadRequest"}, // unknown system query option
		{"$top=1&$TOP=2", "Request_BadRequest"}, // the same option twice
	} {
		status, body := env.Graph(t, "GET", "/applications?"+tc.q, nil)
		if status != 400 || errorCode(t, body) != tc.code {
			t.Errorf("%s: got %d %s, want 400 %s", tc.q, status, body, tc.code)
		}
	}
}

func TestPatchServicePrincipalAndApplication(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "before")
	spPath, appPath := "/servicePrincipals/"+sp["id"].(string), "/applications/"+app["id"].(string)
	if status, body := env.Graph(t, "PATCH", spPath, map[string]any{"displayName": "after", "appRoleAssignmentRequired": false}); status != 204 {
		t.Fatalf("PATCH sp: %d %s", status, body)
	}
	_, body := env.Graph(t, "GET", spPath, nil)
	if m := obj(t, body); m["displayName"] != "after" || m["appRoleAssignmentRequired"] != false || m["appDisplayName"] != "before" {
		t.Fatalf("after PATCH: %v", m)
	}
	if status, body := env.Graph(t, "PATCH", appPath, map[string]any{"displayName": "app after"}); status != 204 {
		t.Fatalf("PATCH app: %d %s", status, body)
	}
	_, body = env.Graph(t, "GET", appPath+"?$select=displayName", nil)
	if m := obj(t, body); m["displayName"] != "app after" {
		t.Fatalf("app after PATCH: %v", m)
	}
	for _, tc := range []struct {
		body any
		want int
	}{
		{map[string]any{"appId": "x"}, 400},           // read-only
		{map[string]any{"bogus": 1}, 400},             // unknown
		{map[string]any{"displayName": ""}, 400},      // invalid
		{map[string]any{"displayName": 12}, 400},      // wrong type
		{`[1,2]`, 400},                                // not an object
		{map[string]any{"accountEnabled": "no"}, 400}, // wrong type
		{`{"displayName":null}`, 400},                 // required
		{`{"appRoleAssignmentRequired":null}`, 400},   // not nullable
		{`{"tags":null}`, 400},                        // collections are not nullable
	} {
		if status, body := env.Graph(t, "PATCH", spPath, tc.body); status != tc.want {
			t.Errorf("PATCH %v: %d %s", tc.body, status, body)
		}
	}
	_, body = env.Graph(t, "GET", spPath, nil)
	if m := obj(t, body); m["displayName"] != "after" || m["appRoleAssignmentRequired"] != false {
		t.Fatalf("a rejected PATCH changed the service principal: %v", m)
	}
	// null clears a nullable property.
	if status, body := env.Graph(t, "PATCH", spPath, map[string]any{"notes": "temporary"}); status != 204 {
		t.Fatalf("PATCH notes: %d %s", status, body)
	}
	if status, body := env.Graph(t, "PATCH", spPath, `{"notes":null}`); status != 204 {
		t.Fatalf("PATCH notes null: %d %s", status, body)
	}
	_, body = env.Graph(t, "GET", spPath+"?$select=notes", nil)
	if m := obj(t, body); m["notes"] != nil {
		t.Fatalf("notes after PATCH null: %v", m)
	}
}

func TestSoftDeleteAndDeletedItems(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "doomed")
	spID, appID := sp["id"].(string), app["id"].(string)
	if status, body := env.Graph(t, "DELETE", "/applications/"+appID, nil); status != 204 {
		t.Fatalf("DELETE app: %d %s", status, body)
	}
	// Both the application and its service principal are gone...
	for _, p := range []string{"/applications/" + appID, "/servicePrincipals/" + spID} {
		if status, body := env.Graph(t, "GET", p, nil); status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
			t.Fatalf("GET %s after delete: %d %s", p, status, body)
		}
	}
	if status, _ := env.Graph(t, "DELETE", "/applications/"+appID, nil); status != 404 {
		t.Fatalf("second DELETE: %d", status)
	}
	// ...and in deleted items.
	status, body := env.Graph(t, "GET", "/directory/deletedItems/"+appID, nil)
	if m := obj(t, body); status != 200 || m["@odata.type"] != "#microsoft.graph.application" || m["deletedDateTime"] == nil {
		t.Fatalf("deleted item: %d %s", status, body)
	}
	status, body = env.Graph(t, "GET", "/directory/deletedItems/microsoft.graph.servicePrincipal", nil)
	if v := values(t, body); status != 200 || len(v) != 1 || v[0]["id"] != spID {
		t.Fatalf("deleted service principals: %s", body)
	}
	// Restore brings the application back without its service principal.
	if status, body := env.Graph(t, "POST", "/directory/deletedItems/"+appID+"/restore", nil); status != 200 {
		t.Fatalf("restore: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "GET", "/applications/"+appID, nil); status != 200 {
		t.Fatalf("restored app not readable: %d", status)
	}
	if status, _ := env.Graph(t, "GET", "/servicePrincipals/"+spID, nil); status != 404 {
		t.Fatalf("service principal came back with its application: %d", status)
	}
	// Permanent delete.
	if status, _ := env.Graph(t, "DELETE", "/directory/deletedItems/"+spID, nil); status != 204 {
		t.Fatalf("purge: %d", status)
	}
	if status, _ := env.Graph(t, "GET", "/directory/deletedItems/"+spID, nil); status != 404 {
		t.Fatalf("purged item still there: %d", status)
	}
	// Deleting only the service principal keeps the application.
	sp2, app2 := instantiate(t, env, graphsim.CustomAppTemplateID, "sp only")
	if status, _ := env.Graph(t, "DELETE", "/servicePrincipals/"+sp2["id"].(string), nil); status != 204 {
		t.Fatal("delete sp")
	}
	if status, _ := env.Graph(t, "GET", "/applications/"+app2["id"].(string), nil); status != 200 {
		t.Fatal("application deleted with its service principal")
	}
}

func TestAppIDAddressingAndFunctionSuffix(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "by appId")
	appID := sp["appId"].(string)
	for _, p := range []string{"/servicePrincipals(appId='" + appID + "')", "/servicePrincipals(appId=%27" + appID + "%27)"} {
		status, body := env.Graph(t, "GET", p, nil)
		if status != 200 || obj(t, body)["id"] != sp["id"] {
			t.Fatalf("GET %s: %d %s", p, status, body)
		}
	}
	status, body := env.Graph(t, "GET", "/servicePrincipals(appId='"+appID+"')/appRoleAssignedTo", nil)
	if status != 200 || len(values(t, body)) != 0 {
		t.Fatalf("nested path via appId: %d %s", status, body)
	}
	status, body = env.Graph(t, "GET", "/servicePrincipals(appId='00000000-1111-2222-3333-444444444444')", nil)
	if status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
		t.Fatalf("unknown appId: %d %s", status, body)
	}
	// /beta paths are served by the v1.0 routes (AzureAD provider compatibility).
	if status, body := env.Graph(t, "GET", env.Ready.GraphEndpoint+"/beta/servicePrincipals/"+sp["id"].(string), nil); status != 200 || obj(t, body)["appId"] != appID {
		t.Fatalf("beta alias: %d %s", status, body)
	}
	counts, _ := env.Admin.RequestCounts()
	if counts.Routes["GET /v1.0/servicePrincipals/{id}"] != 3 {
		t.Fatalf("appId addressing not counted under the id route: %v", counts.Routes)
	}
}

func TestAppRoleAssignments(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 5, Groups: 2})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "assign")
	spID := sp["id"].(string)
	_, body := env.Graph(t, "GET", "/users?$top=2", nil)
	users := values(t, body)
	_, body = env.Graph(t, "GET", "/groups?$top=1", nil)
	group := values(t, body)[0]
	path := "/servicePrincipals/" + spID + "/appRoleAssignedTo"
	assign := func(principal, role string) (int, []byte) {
		return env.Graph(t, "POST", path, map[string]string{"principalId": principal, "resourceId": spID, "appRoleId": role})
	}
	status, body := assign(users[0]["id"].(string), graphsim.UserRoleID)
	if status != 201 {
		t.Fatalf("assign user: %d %s", status, body)
	}
	a := obj(t, body)
	aid := a["id"].(string)
	if a["principalType"] != "User" || a["principalDisplayName"] != users[0]["displayName"] || a["resourceId"] != spID || len(aid) != 43 || strings.ContainsAny(aid, "/+=") {
		t.Fatalf("assignment = %v", a)
	}
	if status, body := assign(group["id"].(string), graphsim.UserRoleID); status != 201 || obj(t, body)["principalType"] != "Group" {
		t.Fatalf("assign group: %d %s", status, body)
	}
	for _, tc := range []struct {
		name, principal, role, msg string
	}{
		{"unknown role", users[1]["id"].(string), "11111111-1111-1111-1111-111111111111", "Permission being assigned was not found"},
		{"unknown principal", "22222222-2222-2222-2222-222222222222", graphsim.UserRoleID, "principalId"},
		{"duplicate", users[0]["id"].(string), graphsim.UserRoleID, "already exists"},
		{"default role on app with roles", users[1]["id"].(string), graphsim.DefaultAccessRoleID, "Permission being assigned was not found"},
	} {
		status, body := assign(tc.principal, tc.role)
		if status != 400 || errorCode(t, body) != "Request_BadRequest" || !strings.Contains(errorMessage(t, body), tc.msg) {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
	status, body = env.Graph(t, "POST", path, map[string]string{"principalId": users[1]["id"].(string), "resourceId": "33333333-3333-3333-3333-333333333333", "appRoleId": graphsim.UserRoleID})
	if status != 400 {
		t.Fatalf("mismatched resourceId: %d %s", status, body)
	}
	_, body = env.Graph(t, "GET", path, nil)
	if n := len(values(t, body)); n != 2 {
		t.Fatalf("list: %d assignments", n)
	}
	if status, body := env.Graph(t, "GET", path+"/"+aid, nil); status != 200 || obj(t, body)["id"] != aid {
		t.Fatalf("get one: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "DELETE", path+"/"+aid, nil); status != 204 {
		t.Fatalf("delete: %d", status)
	}
	if status, body := env.Graph(t, "GET", path+"/"+aid, nil); status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
		t.Fatalf("get deleted: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "DELETE", path+"/"+aid, nil); status != 404 {
		t.Fatalf("delete twice: %d", status)
	}
}

func TestUsersAndGroups(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 30, Groups: 3})
	status, body := env.Graph(t, "GET", "/users", nil)
	users := values(t, body)
	if status != 200 || len(users) != 30 {
		t.Fatalf("users: %d, %d", status, len(users))
	}
	if _, hasDept := users[0]["department"]; hasDept || users[0]["userPrincipalName"] == nil {
		t.Fatalf("default user view should be Graph's default property set: %v", users[0])
	}
	sel := "$select=id,userPrincipalName,mail,givenName,surname,department,country,city,jobTitle,employeeId,officeLocation"
	_, body = env.Graph(t, "GET", "/users?$top=30&"+sel, nil)
	for _, u := range values(t, body) {
		for _, k := range []string{"userPrincipalName", "mail", "givenName", "surname", "department", "country", "city", "jobTitle", "employeeId", "officeLocation"} {
			if s, _ := u[k].(string); s == "" {
				t.Fatalf("seeded user lacks %s: %v", k, u)
			}
		}
	}
	// Deterministic seed: a second simulator has the same users.
	env2 := startSim(t, graphsim.Options{Users: 30, Groups: 3})
	_, body2 := env2.Graph(t, "GET", "/users?$select=id,userPrincipalName&$top=30", nil)
	_, body1 := env.Graph(t, "GET", "/users?$select=id,userPrincipalName&$top=30", nil)
	if string(body1[strings.Index(string(body1), "\"value\""):]) != string(body2[strings.Index(string(body2), "\"value\""):]) {
		t.Fatal("seeded users differ between runs with the same seed")
	}
	// Filter, get by id and UPN, manager.
	status, body = env.Graph(t, "GET", "/users?$filter="+url.QueryEscape("department eq 'Sales'")+"&$select=department", nil)
	for _, u := range values(t, body) {
		if u["department"] != "Sales" {
			t.Fatalf("filter returned %v", u)
		}
	}
	u := users[9]
	if status, body := env.Graph(t, "GET", "/users/"+u["userPrincipalName"].(string), nil); status != 200 || obj(t, body)["id"] != u["id"] {
		t.Fatalf("get by UPN: %d %s", status, body)
	}
	if status, body := env.Graph(t, "GET", "/users/"+u["id"].(string)+"/manager", nil); status != 200 || obj(t, body)["id"] != users[8]["id"] {
		t.Fatalf("manager: %d %s", status, body)
	}
	if status, body := env.Graph(t, "GET", "/users/not-a-guid", nil); status != 400 || errorCode(t, body) != "Request_BadRequest" {
		t.Fatalf("bad id: %d %s", status, body)
	}
	// Groups and members.
	_, body = env.Graph(t, "GET", "/groups", nil)
	groups := values(t, body)
	if len(groups) != 3 {
		t.Fatalf("groups: %d", len(groups))
	}
	status, body = env.Graph(t, "GET", "/groups/"+groups[1]["id"].(string)+"/members?$top=5", nil)
	m := obj(t, body)
	if status != 200 || len(m["value"].([]any)) != 5 || m["@odata.nextLink"] == nil {
		t.Fatalf("members page: %d %s", status, body)
	}
	if m["value"].([]any)[0].(map[string]any)["@odata.type"] != "#microsoft.graph.user" {
		t.Fatalf("members lack @odata.type: %s", body)
	}
}
