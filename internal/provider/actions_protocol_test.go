package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestActions_protocol invokes the four actions through the provider's
// protocol server (what `terraform apply -invoke` and action_trigger call)
// against a simulator and checks what Graph did.
func TestActions_protocol(t *testing.T) {
	p := newProtoSim(t)
	spID := p.app("actions app")
	jobID := p.job(spID)
	target := map[string]tftypes.Value{"service_principal_id": tfString(spID), "job_id": tfString(jobID)}
	state := func() string {
		var job struct {
			Schedule struct {
				State string `json:"state"`
			} `json:"schedule"`
		}
		p.graph(http.MethodGet, "/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID, nil, &job)
		return job.Schedule.State
	}
	with := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for k, v := range target {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}

	t.Run("start and pause", func(t *testing.T) {
		progress, diags := p.invoke("entra_provisioning_start", target)
		protoFailOnErrors(t, "start", diags)
		if s := state(); s != "Active" {
			t.Errorf("after start the job is %q, want Active (progress %q)", s, progress)
		}
		_, diags = p.invoke("entra_provisioning_pause", target)
		protoFailOnErrors(t, "pause", diags)
		if s := state(); s != "Disabled" && s != "Paused" {
			t.Errorf("after pause the job is %q, want it paused", s)
		}
	})
	t.Run("restart with a scope", func(t *testing.T) {
		if err := p.env.Admin.ResetRequests(); err != nil {
			t.Fatal(err)
		}
		progress, diags := p.invoke("entra_provisioning_restart", with(map[string]tftypes.Value{"scope": tfStringSet("full", "force_deletes")}))
		protoFailOnErrors(t, "restart", diags)
		if len(progress) == 0 || !strings.Contains(progress[0], "force_deletes, full") {
			t.Errorf("progress %q does not name the scope", progress)
		}
		counts, err := p.env.Admin.RequestCounts()
		if err != nil {
			t.Fatal(err)
		}
		restarts := 0
		for route, n := range counts.Routes {
			if strings.HasSuffix(route, "/restart") {
				restarts += n
			}
		}
		if restarts != 1 {
			t.Errorf("%d restart requests, want 1: %v", restarts, counts.Routes)
		}
	})
	t.Run("restart rejects an unknown scope at validation", func(t *testing.T) {
		diags := p.validateAction("entra_provisioning_restart", with(map[string]tftypes.Value{"scope": tfStringSet("everything")}))
		if !strings.Contains(protoDiagText(diags), "connector_data_store") {
			t.Errorf("want an error listing the valid scopes, got:\n%s", protoDiagText(diags))
		}
	})
	t.Run("restart of a job that does not exist", func(t *testing.T) {
		_, diags := p.invoke("entra_provisioning_restart", map[string]tftypes.Value{
			"service_principal_id": tfString(spID), "job_id": tfString("scim.doesnotexist"),
		})
		if text := protoDiagText(diags); !strings.Contains(text, "Provisioning job not found") {
			t.Errorf("want a not-found error naming job_id, got:\n%s", text)
		}
	})
	t.Run("provision on demand reports each subject", func(t *testing.T) {
		var users struct {
			Value []struct {
				ID string `json:"id"`
			} `json:"value"`
		}
		p.graph(http.MethodGet, "/users?$top=2", nil, &users)
		// Graph refuses provisionOnDemand (400 CredentialsMissing) until the
		// job's admin credentials are saved, as the portal's Test Connection
		// step does first.
		tenantURL := fmt.Sprintf("%s/_sim/scim/actions-app/", p.env.Ready.GraphEndpoint)
		p.graph(http.MethodPut, "/servicePrincipals/"+spID+"/synchronization/secrets", map[string]any{"value": []map[string]string{
			{"key": "BaseAddress", "value": tenantURL}, {"key": "SecretToken", "value": "sim-token-actions-app"},
		}}, nil)
		subject := func(id string) tftypes.Value {
			typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"object_id": tftypes.String, "object_type": tftypes.String}}
			return tftypes.NewValue(typ, map[string]tftypes.Value{"object_id": tfString(id), "object_type": tfString("User")})
		}
		subjectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"object_id": tftypes.String, "object_type": tftypes.String}}
		progress, diags := p.invoke("entra_provisioning_on_demand", with(map[string]tftypes.Value{
			"subjects": tftypes.NewValue(tftypes.List{ElementType: subjectType}, []tftypes.Value{subject(users.Value[0].ID), subject(users.Value[1].ID)}),
		}))
		for _, d := range diags {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				t.Fatalf("on demand: %s: %s", d.Summary, d.Detail)
			}
		}
		if len(progress) != 2 {
			t.Fatalf("progress %q: want one message per subject", progress)
		}
		for i, u := range users.Value {
			if !strings.HasPrefix(progress[i], "[") || !strings.Contains(progress[i], "User "+u.ID+": ") {
				t.Errorf("progress[%d] = %q, want the subject and its status", i, progress[i])
			}
		}
	})
}
