package graphsim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// Helpers for the synchronization half's HTTP tests.

// newCustomApp starts a simulator with the given seeded users and returns it
// with the service principal id of a new non-gallery app.
func newCustomApp(t *testing.T, users int) (*simtest.Env, string) {
	t.Helper()
	env := startSim(t, graphsim.Options{Users: users, Groups: 2})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "Sync test app")
	return env, sp["id"].(string)
}

// mustGraph sends a Graph request and fails unless the status matches.
func mustGraph(t testing.TB, env *simtest.Env, want int, method, path string, body any) []byte {
	t.Helper()
	status, resp := env.Graph(t, method, path, body)
	if status != want {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, status, want, resp)
	}
	return resp
}

// createJob creates a job from templateID and returns its id.
func createJob(t *testing.T, env *simtest.Env, spID, templateID string) string {
	t.Helper()
	body := mustGraph(t, env, 201, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": templateID})
	return obj(t, body)["id"].(string)
}

// getJob reads a job.
func getJob(t *testing.T, env *simtest.Env, spID, jobID string) map[string]any {
	t.Helper()
	return obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID, nil))
}

// jobStatus returns job.status.
func jobStatus(t *testing.T, env *simtest.Env, spID, jobID string) map[string]any {
	t.Helper()
	return getJob(t, env, spID, jobID)["status"].(map[string]any)
}

// putSecrets saves key/value pairs (alternating arguments).
func putSecrets(t *testing.T, env *simtest.Env, spID string, kv ...string) {
	t.Helper()
	var pairs []map[string]string
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, map[string]string{"key": kv[i], "value": kv[i+1]})
	}
	mustGraph(t, env, 204, "PUT", "/servicePrincipals/"+spID+"/synchronization/secrets", map[string]any{"value": pairs})
}

// targetURL is the tenant URL of the simulator's SCIM target name.
func targetURL(env *simtest.Env, name string) string {
	return env.Ready.GraphEndpoint + "/_sim/scim/" + name
}

// adminCall calls an unauthenticated /_sim route.
func adminCall(t testing.TB, env *simtest.Env, method, path string, body any) (int, []byte) {
	t.Helper()
	status, data, err := env.Do("", method, env.Ready.GraphEndpoint+path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, data
}

// scimCall calls a SCIM target with an explicit Authorization header.
func scimCall(t *testing.T, env *simtest.Env, auth, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, env.Ready.GraphEndpoint+path, rd)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := env.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// runEngine advances the simulated clock by d, runs every due cycle and
// waits until the engine is idle; it returns how many cycles ran.
func runEngine(t testing.TB, env *simtest.Env, d time.Duration) int {
	t.Helper()
	status, body := adminCall(t, env, "POST", "/_sim/engine/run?advance="+d.String(), nil)
	if status != 200 {
		t.Fatalf("engine run: %d %s", status, body)
	}
	var out struct {
		CyclesRun int `json:"cyclesRun"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("engine run: %v: %s", err, body)
	}
	return out.CyclesRun
}

// targetState returns a SCIM target's admin view.
func targetState(t *testing.T, env *simtest.Env, name string) map[string]any {
	t.Helper()
	status, body := adminCall(t, env, "GET", "/_sim/scim/"+name+"/_state", nil)
	if status != 200 {
		t.Fatalf("target state: %d %s", status, body)
	}
	return obj(t, body)
}

// setTargetFailure sets a SCIM target's failure mode.
func setTargetFailure(t *testing.T, env *simtest.Env, name, mode string) {
	t.Helper()
	if status, body := adminCall(t, env, "POST", "/_sim/scim/"+name+"/_fail", map[string]string{"mode": mode}); status != 204 {
		t.Fatalf("set failure mode %s: %d %s", mode, status, body)
	}
}

// userIDs returns the ids of the first n seeded users.
func userIDs(t *testing.T, env *simtest.Env, n int) []string {
	t.Helper()
	var ids []string
	for _, u := range values(t, mustGraph(t, env, 200, "GET", "/users?$top=999", nil)) {
		if len(ids) < n {
			ids = append(ids, u["id"].(string))
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d users seeded, need %d", len(ids), n)
	}
	return ids
}

// assign gives a principal the app's User role and returns the assignment id.
func assign(t *testing.T, env *simtest.Env, spID, principalID string) string {
	t.Helper()
	body := mustGraph(t, env, 201, "POST", "/servicePrincipals/"+spID+"/appRoleAssignedTo", map[string]string{
		"principalId": principalID, "resourceId": spID, "appRoleId": graphsim.UserRoleID})
	return obj(t, body)["id"].(string)
}

// provisioningApp is a custom app with assigned users, credentials for the
// SCIM target `target`, and a started job after one initial cycle.
type provisioningApp struct {
	env    *simtest.Env
	spID   string
	jobID  string
	users  []string
	target string
}

func newProvisioningApp(t *testing.T, seeded, assigned int, target string) *provisioningApp {
	t.Helper()
	env, spID := newCustomApp(t, seeded)
	a := &provisioningApp{env: env, spID: spID, users: userIDs(t, env, assigned), target: target}
	for _, u := range a.users {
		assign(t, env, spID, u)
	}
	putSecrets(t, env, spID, "BaseAddress", targetURL(env, target), "SecretToken", "sim-token-"+target)
	a.jobID = createJob(t, env, spID, "scim")
	return a
}

func (a *provisioningApp) jobPath() string {
	return "/servicePrincipals/" + a.spID + "/synchronization/jobs/" + a.jobID
}

func (a *provisioningApp) start(t *testing.T) {
	t.Helper()
	mustGraph(t, a.env, 204, "POST", a.jobPath()+"/start", nil)
}

// str reads a nested string field ("a.b.c") of a decoded JSON object.
func str(m map[string]any, path string) string {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	s, _ := cur.(string)
	return s
}

// num reads a nested number field.
func num(m map[string]any, path string) float64 {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return -1
		}
		cur = mm[k]
	}
	f, ok := cur.(float64)
	if !ok {
		return -1
	}
	return f
}
