package graphsim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

type batchResp struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

func batch(t *testing.T, status int, body []byte) map[string]int {
	t.Helper()
	if status != 200 {
		t.Fatalf("$batch: %d %s", status, body)
	}
	var r batchResp
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, it := range r.Responses {
		out[it.ID] = it.Status
	}
	return out
}

func TestBatchDispatchesThroughGraphRoutes(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 3})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "batched")
	spID := sp["id"].(string)
	_, body := env.Graph(t, "GET", "/users?$top=1", nil)
	user := values(t, body)[0]["id"].(string)
	if err := env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	status, body := env.Graph(t, "POST", "/$batch", map[string]any{"requests": []map[string]any{
		{"id": "1", "method": "GET", "url": "/servicePrincipals/" + spID + "?$select=displayName"},
		{"id": "2", "method": "POST", "url": "/servicePrincipals/" + spID + "/appRoleAssignedTo",
			"headers": map[string]string{"Content-Type": "application/json"},
			"body":    map[string]string{"principalId": user, "resourceId": spID, "appRoleId": graphsim.UserRoleID}},
		{"id": "3", "method": "GET", "url": "/servicePrincipals/" + spID + "/appRoleAssignedTo", "dependsOn": []string{"2"}},
		{"id": "4", "method": "GET", "url": "/servicePrincipals/00000000-0000-0000-0000-00000000dead"},
		{"id": "5", "method": "DELETE", "url": "/servicePrincipals/" + spID, "dependsOn": []string{"4"}},
		{"id": "6", "method": "GET", "url": "servicePrincipals(appId='" + sp["appId"].(string) + "')"},
		{"id": "7", "method": "GET", "url": "/servicePrincipals?$filter=displayName eq 'batched'&$select=id"},
	}})
	got := batch(t, status, body)
	want := map[string]int{"1": 200, "2": 201, "3": 200, "4": 404, "5": 424, "6": 200, "7": 200}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("statuses %v, want %v\n%s", got, want, body)
	}
	var r batchResp
	_ = json.Unmarshal(body, &r)
	var listed map[string]any
	_ = json.Unmarshal(r.Responses[2].Body, &listed)
	if n := len(listed["value"].([]any)); n != 1 {
		t.Fatalf("item 3 saw %d assignments, want the one item 2 created", n)
	}
	if !strings.Contains(string(r.Responses[6].Body), spID) {
		t.Fatalf("filter with spaces in a batch url: %s", r.Responses[6].Body)
	}
	if !strings.Contains(string(r.Responses[4].Body), "FailedDependency") {
		t.Fatalf("424 body: %s", r.Responses[4].Body)
	}
	counts, _ := env.Admin.RequestCounts()
	if counts.Routes["POST /v1.0/$batch"] != 1 || counts.Routes["GET /v1.0/servicePrincipals/{id}"] != 3 || counts.Routes["POST /v1.0/servicePrincipals/{id}/appRoleAssignedTo"] != 1 {
		t.Fatalf("batch items not counted per route: %v", counts.Routes)
	}
	// The service principal was not deleted by the skipped item.
	if status, _ := env.Graph(t, "GET", "/servicePrincipals/"+spID, nil); status != 200 {
		t.Fatal("424 item was executed")
	}
}

func TestBatchRejectsBadPayloads(t *testing.T) {
	env := startSim(t, graphsim.Options{})
	item := func(id string) map[string]any {
		return map[string]any{"id": id, "method": "GET", "url": "/applicationTemplates"}
	}
	var tooMany []map[string]any
	for i := 0; i < 21; i++ {
		tooMany = append(tooMany, item(fmt.Sprint(i)))
	}
	var twenty []map[string]any
	for i := 0; i < 20; i++ {
		twenty = append(twenty, item(fmt.Sprint(i)))
	}
	cases := []struct {
		name string
		body any
		want int
	}{
		{"twenty is fine", map[string]any{"requests": twenty}, 200},
		{"21 requests", map[string]any{"requests": tooMany}, 400},
		{"empty", map[string]any{"requests": []any{}}, 400},
		{"duplicate ids differing in case", map[string]any{"requests": []any{item("a"), item("A")}}, 400},
		{"missing id", map[string]any{"requests": []any{map[string]any{"method": "GET", "url": "/users"}}}, 400},
		{"bad method", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "FETCH", "url": "/users"}}}, 400},
		{"absolute url", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/users"}}}, 400},
		{"body without content type", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "POST", "url": "/servicePrincipals", "body": map[string]any{"appId": "x"}}}}, 400},
		{"unknown dependency", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "GET", "url": "/users", "dependsOn": []string{"9"}}}}, 400},
		{"self dependency", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "GET", "url": "/users", "dependsOn": []string{"1"}}}}, 400},
		{"dependency cycle", map[string]any{"requests": []any{
			map[string]any{"id": "a", "method": "GET", "url": "/users", "dependsOn": []string{"b"}},
			map[string]any{"id": "b", "method": "GET", "url": "/users", "dependsOn": []string{"A"}}}}, 400},
		{"malformed", `{"requests": [`, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.Graph(t, "POST", "/$batch", tc.body)
			if status != tc.want {
				t.Fatalf("status %d, want %d: %s", status, tc.want, body)
			}
			if tc.want == 400 {
				errorCode(t, body)
			}
		})
	}
}

func TestBatchPerItemThrottling(t *testing.T) {
	env := startSim(t, graphsim.Options{Faults: "throttle=1,retry-after=3s"})
	status, body := env.Graph(t, "POST", "/$batch", map[string]any{"requests": []map[string]any{
		{"id": "1", "method": "GET", "url": "/applicationTemplates"},
		{"id": "2", "method": "GET", "url": "/users", "dependsOn": []string{"1"}},
	}})
	got := batch(t, status, body) // the envelope itself is never throttled
	if got["1"] != 429 || got["2"] != 424 {
		t.Fatalf("per-item statuses %v: %s", got, body)
	}
	var r batchResp
	_ = json.Unmarshal(body, &r)
	if r.Responses[0].Headers["Retry-After"] != "3" {
		t.Fatalf("throttled item lacks Retry-After: %v", r.Responses[0].Headers)
	}
}

// TestBatchDependsOnLaterItem: Graph accepts dependsOn on an item listed
// later; the dependency runs first and responses keep the list order.
func TestBatchDependsOnLaterItem(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 2})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "batch order")
	spID := sp["id"].(string)
	_, body := env.Graph(t, "GET", "/users?$top=1", nil)
	user := values(t, body)[0]["id"].(string)
	status, body := env.Graph(t, "POST", "/$batch", map[string]any{"requests": []map[string]any{
		{"id": "list", "method": "GET", "url": "/servicePrincipals/" + spID + "/appRoleAssignedTo", "dependsOn": []string{"Assign"}},
		{"id": "missing", "method": "GET", "url": "/servicePrincipals/00000000-0000-0000-0000-00000000dead"},
		{"id": "skipped", "method": "GET", "url": "/users", "dependsOn": []string{"missing", "assign"}},
		{"id": "assign", "method": "POST", "url": "/servicePrincipals/" + spID + "/appRoleAssignedTo",
			"headers": map[string]string{"Content-Type": "application/json"},
			"body":    map[string]string{"principalId": user, "resourceId": spID, "appRoleId": graphsim.UserRoleID}},
	}})
	if status != 200 {
		t.Fatalf("$batch: %d %s", status, body)
	}
	var r batchResp
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range r.Responses {
		ids = append(ids, fmt.Sprintf("%s=%d", it.ID, it.Status))
	}
	if got := strings.Join(ids, " "); got != "list=200 missing=404 skipped=424 assign=201" {
		t.Fatalf("responses %s, want list order with the dependency run first", got)
	}
	var listed map[string]any
	_ = json.Unmarshal(r.Responses[0].Body, &listed)
	if n := len(listed["value"].([]any)); n != 1 {
		t.Fatalf("the item listed first saw %d assignments; it must run after the later item it depends on", n)
	}
}
