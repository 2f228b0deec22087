package graphsim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

func TestThrottleAndErrorFaults(t *testing.T) {
	env := startSim(t, graphsim.Options{Faults: "throttle=1,retry-after=2s"})
	status, body := env.Graph(t, "GET", "/users", nil)
	if status != 429 || errorCode(t, body) != "TooManyRequests" {
		t.Fatalf("throttle=1: %d %s", status, body)
	}
	if hdr := getHeaders(t, env, "/users"); hdr.Get("Retry-After") != "2" {
		t.Fatalf("a throttled answer must carry Retry-After: 2 (retry-after=2s): %v", hdr)
	}
	if err := env.Admin.SetFaults("error=1,retry-after=3s"); err != nil {
		t.Fatal(err)
	}
	if hdr := getHeaders(t, env, "/users"); hdr.Get("Retry-After") != "3" {
		t.Fatalf("a 503 must carry Retry-After: %v", hdr)
	}
	if err := env.Admin.SetFaults("error=1,error-status=504"); err != nil {
		t.Fatal(err)
	}
	if status, body := env.Graph(t, "GET", "/users", nil); status != 504 {
		t.Fatalf("error=1: %d %s", status, body)
	}
	if err := env.Admin.SetFaults("error=1,only=/applicationTemplates"); err != nil {
		t.Fatal(err)
	}
	if status, _ := env.Graph(t, "GET", "/users", nil); status != 200 {
		t.Fatalf("only= did not spare /users: %d", status)
	}
	if status, body := env.Graph(t, "GET", "/applicationTemplates", nil); status != 503 || errorCode(t, body) != "ServiceUnavailable" {
		t.Fatalf("only= did not hit templates: %d %s", status, body)
	}
	counts, _ := env.Admin.RequestCounts()
	if counts.Throttled != 2 || counts.Errors != 3 {
		t.Fatalf("fault counters: %+v", counts)
	}
	// Probabilities are honoured roughly.
	if err := env.Admin.SetFaults("throttle=0.3"); err != nil {
		t.Fatal(err)
	}
	throttled := 0
	for i := 0; i < 200; i++ {
		if status, _ := env.Graph(t, "GET", "/applicationTemplates", nil); status == 429 {
			throttled++
		}
	}
	if throttled < 30 || throttled > 90 {
		t.Fatalf("throttle=0.3 throttled %d of 200", throttled)
	}
	if err := env.Admin.SetFaults(""); err != nil {
		t.Fatal(err)
	}
	if status, _ := env.Graph(t, "GET", "/users", nil); status != 200 {
		t.Fatal("clearing faults did not stop them")
	}
	if err := env.Admin.SetFaults("throttle=2"); err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("invalid spec accepted: %v", err)
	}
}

func TestLatencyFault(t *testing.T) {
	env := startSim(t, graphsim.Options{Faults: "latency=150ms"})
	env.Graph(t, "GET", "/users", nil) // warm the token and connection
	start := time.Now()
	env.Graph(t, "GET", "/users", nil)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("request took %v despite latency=150ms", d)
	}
}

func TestReplicationLagFault(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 2, Faults: "lag=1h"})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "laggy")
	spID := sp["id"].(string)
	if status, body := env.Graph(t, "GET", "/servicePrincipals/"+spID, nil); status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
		t.Fatalf("lagging SP GET: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "GET", "/applications/"+app["id"].(string), nil); status != 404 {
		t.Fatalf("lagging app GET: %d", status)
	}
	_, body := env.Graph(t, "GET", "/servicePrincipals?$filter="+url.QueryEscape("appId eq '"+sp["appId"].(string)+"'"), nil)
	if n := len(values(t, body)); n != 0 {
		t.Fatalf("lagging SP listed %d times", n)
	}
	_, body = env.Graph(t, "GET", "/users?$top=1", nil)
	user := values(t, body)[0]["id"].(string)
	status, body := env.Graph(t, "POST", "/servicePrincipals/"+spID+"/appRoleAssignedTo", map[string]string{"principalId": user, "resourceId": spID, "appRoleId": graphsim.UserRoleID})
	if status != 400 || errorMessage(t, body) != "Not a valid reference update." {
		t.Fatalf("assignment on lagging SP: %d %s", status, body)
	}
	// Advancing the simulated clock past the lag makes the objects appear.
	if err := env.Admin.Advance(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if status, _ := env.Graph(t, "GET", "/servicePrincipals/"+spID, nil); status != 200 {
		t.Fatalf("after the lag: %d", status)
	}
}

func TestInstantiate404Fault(t *testing.T) {
	env := startSim(t, graphsim.Options{Faults: "instantiate404=1"})
	status, body := env.Graph(t, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": "TERRAFORM_INSTANTIATE_x"})
	if status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
		t.Fatalf("instantiate404: %d %s", status, body)
	}
	// ...but the objects exist, findable the way the azuread provider polls.
	filter := "applicationTemplateId eq '" + graphsim.CustomAppTemplateID + "' and displayName eq 'TERRAFORM_INSTANTIATE_x'"
	_, body = env.Graph(t, "GET", "/applications?$filter="+url.QueryEscape(filter), nil)
	apps := values(t, body)
	if len(apps) != 1 {
		t.Fatalf("application not created: %v", apps)
	}
	_, body = env.Graph(t, "GET", "/servicePrincipals?$filter="+url.QueryEscape("appId eq '"+apps[0]["appId"].(string)+"'"), nil)
	if len(values(t, body)) != 1 {
		t.Fatal("service principal not created")
	}
}

func TestAdminAPI(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 3, Groups: 1, Speed: 1})
	instantiate(t, env, graphsim.CustomAppTemplateID, "state")
	st, err := env.Admin.State()
	if err != nil {
		t.Fatal(err)
	}
	counts := st["counts"].(map[string]any)
	// Microsoft Graph's service principal is in every tenant.
	sps := 1 + graphsim.SeededServicePrincipals
	if counts["applications"] != float64(1) || counts["servicePrincipals"] != float64(sps) || counts["users"] != float64(3) || len(st["servicePrincipals"].([]any)) != sps {
		t.Fatalf("state: %v", st)
	}
	before := env.Sim.Clock().Now()
	if err := env.Admin.Advance(40 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if d := env.Sim.Clock().Now().Sub(before); d < 40*time.Minute || d > 41*time.Minute {
		t.Fatalf("advance moved the clock by %v", d)
	}
	if err := env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	env.Graph(t, "GET", "/users", nil)
	env.Graph(t, "GET", "/users", nil)
	env.Graph(t, "GET", "/groups/00000000-0000-0000-0000-000000000001", nil)
	c, err := env.Admin.RequestCounts()
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 3 || c.Routes["GET /v1.0/users"] != 2 || c.Routes["GET /v1.0/groups/{id}"] != 1 {
		t.Fatalf("counts: %+v", c)
	}
	// A deleted user leaves the live count (it is a deleted item now).
	_, body := env.Graph(t, "GET", "/users?$top=1&$select=id", nil)
	if status, body := env.Graph(t, "DELETE", "/users/"+values(t, body)[0]["id"].(string), nil); status != 204 {
		t.Fatalf("delete user: %d %s", status, body)
	}
	st, _ = env.Admin.State()
	if counts := st["counts"].(map[string]any); counts["users"] != float64(2) || counts["deletedItems"] != float64(1) {
		t.Fatalf("after deleting a user: counts %v", counts)
	}
	client := env.HTTPClient()
	// curl -d sends JSON as application/x-www-form-urlencoded; the admin
	// API reads it as JSON.
	req, _ := newRequest("POST", env.Ready.AdminEndpoint+"/clock/advance", "application/x-www-form-urlencoded", `{"duration":"1m"}`)
	if resp, err := client.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("advance with curl's default content type: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	// Bad admin input.
	for _, tc := range []struct{ method, path, ct, body string }{
		{"POST", "/clock/advance", "application/json", `{"duration":"-5m"}`},
		{"POST", "/clock/advance", "application/json", `{"duration":`},
		{"POST", "/clock/advance", "text/plain", `{"duration":"5m"}`},
		{"PUT", "/faults", "application/json", `{"spec":"bogus=1"}`},
	} {
		req, _ := newRequest(tc.method, env.Ready.AdminEndpoint+tc.path, tc.ct, tc.body)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 && resp.StatusCode != 415 {
			t.Errorf("%s %s %s: %d", tc.method, tc.path, tc.body, resp.StatusCode)
		}
	}
}

// getHeaders sends an authenticated GET and returns the response headers.
func getHeaders(t *testing.T, env *simtest.Env, path string) http.Header {
	t.Helper()
	req, _ := http.NewRequest("GET", env.Ready.GraphEndpoint+"/v1.0"+path, nil)
	req.Header.Set("Authorization", "Bearer "+env.Token(t))
	resp, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header
}
