// Package simfixture sets up provisioning scenarios on the Graph simulator
// for the exporter's tests: an enterprise app with assigned users, a job
// whose SCIM target is one of the simulator's, and knobs to run the engine
// on the simulated clock and to break or heal the target.
package simfixture

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// App is an enterprise application with a provisioning job.
type App struct {
	SPID   string
	JobID  string
	Name   string
	Target string
}

// NewApp instantiates the custom template as name, assigns `assigned`
// seeded users, saves credentials for SCIM target `target`, creates the
// job and, if start, starts it.
func NewApp(tb testing.TB, env *simtest.Env, name, target string, assigned int, start bool) App {
	tb.Helper()
	body := must(tb, env, 201, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": name})
	var inst struct {
		ServicePrincipal struct {
			ID string `json:"id"`
		} `json:"servicePrincipal"`
	}
	decode(tb, body, &inst)
	a := App{SPID: inst.ServicePrincipal.ID, Name: name, Target: target}
	if assigned > 0 {
		var users struct {
			Value []struct {
				ID string `json:"id"`
			} `json:"value"`
		}
		decode(tb, must(tb, env, 200, "GET", fmt.Sprintf("/users?$top=%d", assigned), nil), &users)
		for i, u := range users.Value {
			if i >= assigned {
				break
			}
			must(tb, env, 201, "POST", "/servicePrincipals/"+a.SPID+"/appRoleAssignedTo", map[string]string{
				"principalId": u.ID, "resourceId": a.SPID, "appRoleId": graphsim.UserRoleID})
		}
	}
	must(tb, env, 204, "PUT", "/servicePrincipals/"+a.SPID+"/synchronization/secrets", map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": env.Ready.GraphEndpoint + "/_sim/scim/" + target},
		{"key": "SecretToken", "value": "sim-token-" + target},
	}})
	var job struct {
		ID string `json:"id"`
	}
	decode(tb, must(tb, env, 201, "POST", "/servicePrincipals/"+a.SPID+"/synchronization/jobs", map[string]string{"templateId": "scim"}), &job)
	a.JobID = job.ID
	if start {
		must(tb, env, 204, "POST", "/servicePrincipals/"+a.SPID+"/synchronization/jobs/"+a.JobID+"/start", nil)
	}
	return a
}

// RunEngine advances the simulated clock by d, runs every due cycle and
// returns how many ran.
func RunEngine(tb testing.TB, env *simtest.Env, d time.Duration) int {
	tb.Helper()
	var out struct {
		CyclesRun int `json:"cyclesRun"`
	}
	decode(tb, Admin(tb, env, "POST", "/_sim/engine/run?advance="+d.String(), nil, 200), &out)
	return out.CyclesRun
}

// SetTarget sets a SCIM target's failure mode: none, 503, 500, 401 or down.
func SetTarget(tb testing.TB, env *simtest.Env, target, mode string) {
	tb.Helper()
	Admin(tb, env, "POST", "/_sim/scim/"+target+"/_fail", map[string]string{"mode": mode}, 204)
}

// Admin calls an unauthenticated /_sim route and checks the status.
func Admin(tb testing.TB, env *simtest.Env, method, path string, body any, want int) []byte {
	tb.Helper()
	status, data, err := env.Do("", method, env.Ready.GraphEndpoint+path, body)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	if status != want {
		tb.Fatalf("%s %s: got %d, want %d: %s", method, path, status, want, data)
	}
	return data
}

// GraphConfig is a graph.Config for the simulator's default client.
func GraphConfig(env *simtest.Env) graph.Config {
	r := env.Ready
	return graph.Config{
		TenantID: r.TenantID, ClientID: r.ClientID, ClientSecret: r.ClientSecret,
		GraphEndpoint: r.GraphEndpoint, AuthorityHost: r.AuthorityHost, CAFile: r.CAFile,
	}
}

// Client is the exporter's Graph client for cfg.
func Client(tb testing.TB, cfg graph.Config) graphapi.Client {
	tb.Helper()
	c, err := graph.New(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return graphapi.NewGraphClient(c)
}

func must(tb testing.TB, env *simtest.Env, want int, method, path string, body any) []byte {
	tb.Helper()
	status, resp := env.Graph(tb, method, path, body)
	if status != want {
		tb.Fatalf("%s %s: got %d, want %d: %s", method, path, status, want, resp)
	}
	return resp
}

func decode(tb testing.TB, data []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("decoding %s: %v", data, err)
	}
}

// PauseJob pauses the app's job (as "Stop provisioning" in the portal does).
func PauseJob(tb testing.TB, env *simtest.Env, a App) {
	tb.Helper()
	must(tb, env, 204, "POST", "/servicePrincipals/"+a.SPID+"/synchronization/jobs/"+a.JobID+"/pause", nil)
}

// Unassign removes the app's first user assignment: at its next cycle the
// job deprovisions that user (disables or deletes it in the target).
func Unassign(tb testing.TB, env *simtest.Env, a App) {
	tb.Helper()
	var list struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	decode(tb, must(tb, env, 200, "GET", "/servicePrincipals/"+a.SPID+"/appRoleAssignedTo", nil), &list)
	if len(list.Value) == 0 {
		tb.Fatalf("%s has no assignment to remove", a.Name)
	}
	must(tb, env, 204, "DELETE", "/servicePrincipals/"+a.SPID+"/appRoleAssignedTo/"+list.Value[0].ID, nil)
}

// DeleteServicePrincipal deletes the app's enterprise application (and with
// it the provisioning job).
func DeleteServicePrincipal(tb testing.TB, env *simtest.Env, a App) {
	tb.Helper()
	must(tb, env, 204, "DELETE", "/servicePrincipals/"+a.SPID, nil)
}
