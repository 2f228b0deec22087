package graphsim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// rawGraph sends a Graph request with extra headers and returns the status,
// response headers and body. path is relative to the graph endpoint
// ("/v1.0/…" or "/beta/…").
func rawGraph(t *testing.T, env *simtest.Env, method, path string, headers map[string]string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, env.Ready.GraphEndpoint+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+env.Token(t))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, data
}

// Graph accepts trailing slashes and matches path segments, entity set
// names and synchronization template ids case-insensitively.
func TestRequestPathForms(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 3, Groups: 1})
	sp, _ := instantiate(t, env, graphsim.SlackTemplateID, "Path forms")
	spID := sp["id"].(string)
	jobID := createJob(t, env, spID, "slack")
	for _, path := range []string{
		"/serviceprincipals/" + spID,
		"/servicePrincipals/" + spID + "/",
		"/SERVICEPRINCIPALS/" + spID + "/Synchronization/Jobs/",
		"/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/",
		"/servicePrincipals/" + spID + "/synchronization/templates/Slack",
		"/servicePrincipals/" + spID + "/synchronization/templates/SLACK/schema",
		"/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/schema/FilterOperators()",
		"/servicePrincipals(appId='" + sp["appId"].(string) + "')/synchronization/jobs",
		"/serviceprincipals(appId='" + sp["appId"].(string) + "')",
		"/Users/",
		"/applicationtemplates",
	} {
		if status, body := env.Graph(t, "GET", path, nil); status != 200 {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	// A job created with a differently cased template id gets the canonical one.
	body := mustGraph(t, env, 201, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "Slack"})
	if got := obj(t, body)["templateId"]; got != "slack" {
		t.Fatalf("templateId of a job created as 'Slack': %v", got)
	}
	// Unknown segments and ids keep Graph's errors.
	if status, body := env.Graph(t, "GET", "/servicePrincipals/"+spID+"/synchronisation", nil); status != 400 || errorCode(t, body) != "BadRequest" {
		t.Fatalf("misspelt segment: %d %s", status, body)
	}
	if status, body := env.Graph(t, "GET", "/servicePrincipals/"+spID+"/synchronization/templates/nosuch", nil); status != 404 {
		t.Fatalf("unknown template: %d %s", status, body)
	}
}

// /{set}/$count needs ConsistencyLevel: eventual and answers text/plain.
func TestCountSegment(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 7, Groups: 2})
	instantiate(t, env, graphsim.CustomAppTemplateID, "Counted")
	eventual := map[string]string{"ConsistencyLevel": "eventual"}
	sps := fmt.Sprint(1 + graphsim.SeededServicePrincipals) // the instantiated one and Microsoft Graph's
	for path, want := range map[string]string{
		"/v1.0/users/$count":                                              "7",
		"/v1.0/groups/$count":                                             "2",
		"/v1.0/servicePrincipals/$count":                                  sps,
		"/v1.0/applications/$count":                                       "1",
		"/beta/serviceprincipals/$count/":                                 sps,
		"/v1.0/servicePrincipals/$count?$filter=displayName eq 'Counted'": "1",
		"/v1.0/servicePrincipals/$count?$filter=displayName eq 'nobody'":  "0",
	} {
		path = strings.ReplaceAll(path, " ", "%20")
		status, h, body := rawGraph(t, env, "GET", path, eventual, nil)
		if status != 200 || string(body) != want || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
			t.Errorf("GET %s: %d %q (%s), want 200 %q text/plain", path, status, body, h.Get("Content-Type"), want)
		}
	}
	status, _, body := rawGraph(t, env, "GET", "/v1.0/users/$count", nil, nil)
	if status != 400 || errorCode(t, body) != "Request_BadRequest" || !strings.Contains(errorMessage(t, body), "$count is not currently supported") {
		t.Fatalf("$count without ConsistencyLevel: %d %s", status, body)
	}
}

// Every @odata.context names Graph's public service root of the version the
// client called, with the $select list.
func TestODataContext(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 3, Groups: 1})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "Context")
	spID, appID := sp["id"].(string), app["id"].(string)
	jobID := createJob(t, env, spID, "scim")
	cases := map[string]string{
		"/v1.0/servicePrincipals?$select=id,appId":                           "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId)",
		"/beta/servicePrincipals/" + spID + "?$select=displayName":           "https://graph.microsoft.com/beta/$metadata#servicePrincipals(displayName)/$entity",
		"/v1.0/applications/" + appID:                                        "https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
		"/v1.0/users?$select=id":                                             "https://graph.microsoft.com/v1.0/$metadata#users(id)",
		"/beta/servicePrincipals/" + spID + "/synchronization/jobs":          "https://graph.microsoft.com/beta/$metadata#servicePrincipals('" + spID + "')/synchronization/jobs",
		"/v1.0/applications/" + appID + "/synchronization/templates":         "https://graph.microsoft.com/v1.0/$metadata#applications('" + appID + "')/synchronization/templates",
		"/v1.0/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID: "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('" + spID + "')/synchronization/jobs/$entity",
		"/beta/auditLogs/provisioning":                                       "https://graph.microsoft.com/beta/$metadata#auditLogs/provisioning",
	}
	for path, want := range cases {
		status, _, body := rawGraph(t, env, "GET", path, nil, nil)
		if status != 200 {
			t.Errorf("GET %s: %d %s", path, status, body)
			continue
		}
		if got := obj(t, body)["@odata.context"]; got != want {
			t.Errorf("GET %s: @odata.context %v, want %s", path, got, want)
		}
	}
}

// $select accepts every property the metadata declares (null or [] when the
// simulator holds no value) and rejects unknown ones even on empty results.
func TestSelectFollowsMetadata(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 2, Groups: 1})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "Select")
	spID := sp["id"].(string)
	body := mustGraph(t, env, 200, "GET", "/servicePrincipals/"+spID+"?$select=customSecurityAttributes,resourceSpecificApplicationPermissions,verifiedPublisher,id", nil)
	m := obj(t, body)
	if v, ok := m["customSecurityAttributes"]; !ok || v != nil {
		t.Fatalf("customSecurityAttributes should be selected as null: %s", body)
	}
	if v, ok := m["resourceSpecificApplicationPermissions"].([]any); !ok || len(v) != 0 {
		t.Fatalf("a selected collection without values is []: %s", body)
	}
	if _, extra := m["displayName"]; extra {
		t.Fatalf("$select must project: %s", body)
	}
	for _, path := range []string{
		"/servicePrincipals/" + spID + "?$select=noSuchProperty",
		"/servicePrincipals?$select=id,noSuchProperty",
		"/servicePrincipals?$filter=displayName eq 'nobody'&$select=noSuchProperty",
		"/groups?$filter=displayName eq 'nobody'&$select=samlMetadataUrl",
	} {
		status, body := env.Graph(t, "GET", path, nil)
		if status != 400 || errorCode(t, body) != "BadRequest" || !strings.Contains(errorMessage(t, body), "Could not find a property named") {
			t.Errorf("GET %s: %d %s, want 400 Could not find a property", path, status, body)
		}
	}
	// samlMetadataUrl is a beta property of service principals: selectable on /beta only.
	if status, _, body := rawGraph(t, env, "GET", "/beta/servicePrincipals/"+spID+"?$select=id,samlMetadataUrl", nil, nil); status != 200 || obj(t, body)["samlMetadataUrl"] != nil {
		t.Fatalf("beta $select of samlMetadataUrl: %d %s", status, body)
	}
	if status, _, body := rawGraph(t, env, "GET", "/v1.0/servicePrincipals/"+spID+"?$select=id,samlMetadataUrl", nil, nil); status != 400 {
		t.Fatalf("v1.0 $select of the beta-only samlMetadataUrl: %d %s", status, body)
	}
	if status, body := env.Graph(t, "GET", "/applications?$filter=displayName eq 'nobody'&$select=samlMetadataUrl,optionalClaims", nil); status != 200 || len(values(t, body)) != 0 {
		t.Fatalf("valid $select on an empty result: %d %s", status, body)
	}
}

// Error envelopes carry innerError.date, request-id and client-request-id —
// the client's own or a generated one — at the top level, in $batch items
// and in 424 items.
func TestErrorEnvelopeIDs(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1})
	inner := func(body []byte) map[string]any {
		t.Helper()
		return obj(t, body)["error"].(map[string]any)["innerError"].(map[string]any)
	}
	status, h, body := rawGraph(t, env, "GET", "/v1.0/servicePrincipals/00000000-0000-0000-0000-000000000001", nil, nil)
	in := inner(body)
	if status != 404 || in["client-request-id"] == "" || in["client-request-id"] != h.Get("client-request-id") || in["request-id"] != h.Get("request-id") || in["date"] == "" {
		t.Fatalf("generated client-request-id: %d %v %v", status, in, h)
	}
	_, h, body = rawGraph(t, env, "GET", "/v1.0/servicePrincipals/nope", map[string]string{"client-request-id": "mine-1"}, nil)
	if in := inner(body); in["client-request-id"] != "mine-1" || h.Get("client-request-id") != "mine-1" {
		t.Fatalf("client's own client-request-id: %v %v", in, h)
	}
	batch := map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/servicePrincipals/00000000-0000-0000-0000-000000000001"},
		map[string]any{"id": "2", "method": "GET", "url": "/users", "dependsOn": []string{"1"}},
		map[string]any{"id": "3", "method": "GET", "url": "/users", "headers": map[string]string{"client-request-id": "item-3"}},
	}}
	status, body = env.Graph(t, "POST", "/$batch", batch)
	if status != 200 {
		t.Fatalf("$batch: %d %s", status, body)
	}
	var resp batchResp
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range resp.Responses {
		switch it.ID {
		case "1", "2":
			want := map[string]int{"1": 404, "2": 424}[it.ID]
			in := inner(it.Body)
			cid, _ := in["client-request-id"].(string)
			if it.Status != want || cid == "" || in["request-id"] == "" || in["date"] == "" || seen[cid] {
				t.Errorf("item %s: %d %s", it.ID, it.Status, it.Body)
			}
			seen[cid] = true
		case "3":
			if it.Status != 200 || it.Headers["Client-Request-Id"] != "item-3" {
				t.Errorf("item 3 should echo its client-request-id: %d %v", it.Status, it.Headers)
			}
		}
	}
}

// PUT/PATCH …/templates/{id} replace the application's own copy (204) and
// never show in another application's templates.
func TestUpdateSynchronizationTemplate(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1})
	_, app := instantiate(t, env, graphsim.SlackTemplateID, "Mine")
	_, other := instantiate(t, env, graphsim.SlackTemplateID, "Theirs")
	path := "/applications/" + app["id"].(string) + "/synchronization/templates/Slack"
	update := map[string]any{"id": "slack", "description": "Our Slack", "discoverable": true, "factoryTag": "slack",
		"metadata": []map[string]string{{"key": "GalleryApplicationKey", "value": "slack"}}}
	mustGraph(t, env, 204, "PUT", path, update)
	got := obj(t, mustGraph(t, env, 200, "GET", path, nil))
	if got["description"] != "Our Slack" || len(got["metadata"].([]any)) != 1 || got["id"] != "slack" {
		t.Fatalf("after PUT: %v", got)
	}
	mustGraph(t, env, 204, "PATCH", path, map[string]any{"description": "Patched"})
	got = obj(t, mustGraph(t, env, 200, "GET", path, nil))
	if got["description"] != "Patched" || len(got["metadata"].([]any)) != 0 || got["discoverable"] != false {
		t.Fatalf("PATCH replaces the whole template (missing properties are erased): %v", got)
	}
	theirs := obj(t, mustGraph(t, env, 200, "GET", "/applications/"+other["id"].(string)+"/synchronization/templates/slack", nil))
	if theirs["description"] == "Patched" || len(theirs["metadata"].([]any)) == 0 {
		t.Fatalf("another application's template changed: %v", theirs)
	}
	for name, body := range map[string]any{
		"unknown property": map[string]any{"colour": "blue"},
		"wrong kind":       map[string]any{"discoverable": "yes"},
		"other id":         map[string]any{"id": "zoom"},
	} {
		if status, resp := env.Graph(t, "PUT", path, body); status != 400 || errorCode(t, resp) != "BadRequest" {
			t.Errorf("%s: %d %s", name, status, resp)
		}
	}
}

// acquireAccessToken validates the credentials and answers 204.
func TestAcquireAccessToken(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "OAuth app")
	creds := map[string]any{"credentials": []map[string]string{{"key": "ClientIdentifier", "value": "abc"}, {"key": "ClientSecret", "value": "s"}}}
	mustGraph(t, env, 204, "POST", "/servicePrincipals/"+sp["id"].(string)+"/synchronization/acquireAccessToken", creds)
	mustGraph(t, env, 204, "POST", "/applications/"+app["id"].(string)+"/synchronization/acquireAccessToken", creds)
	if status, body := env.Graph(t, "POST", "/servicePrincipals/"+sp["id"].(string)+"/synchronization/acquireAccessToken",
		map[string]any{"credentials": []map[string]string{{"key": "clientSecret", "value": "s"}}}); status != 500 || errorCode(t, body) != "InternalError" {
		t.Fatalf("wrongly cased key: %d %s", status, body)
	}
	if status, body := env.Graph(t, "POST", "/servicePrincipals/00000000-0000-0000-0000-000000000009/synchronization/acquireAccessToken", creds); status != 404 {
		t.Fatalf("unknown service principal: %d %s", status, body)
	}
}
