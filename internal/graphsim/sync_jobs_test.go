package graphsim_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

func TestSyncTemplates(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 2})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "Templates app")
	spID, appObjID := sp["id"].(string), app["id"].(string)

	list := values(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+spID+"/synchronization/templates", nil))
	if len(list) != 1 || list[0]["id"] != "scim" || list[0]["default"] != true || list[0]["factoryTag"] != "CustomSCIM" || list[0]["applicationId"] != sp["appId"] {
		t.Fatalf("custom app templates: %v", list)
	}
	byApp := values(t, mustGraph(t, env, 200, "GET", "/applications/"+appObjID+"/synchronization/templates", nil))
	if len(byApp) != 1 || byApp[0]["id"] != "scim" {
		t.Fatalf("templates by application object id: %v", byApp)
	}
	byAppID := values(t, mustGraph(t, env, 200, "GET", "/servicePrincipals(appId='"+sp["appId"].(string)+"')/synchronization/templates", nil))
	if len(byAppID) != 1 || byAppID[0]["id"] != "scim" {
		t.Fatalf("templates by appId addressing: %v", byAppID)
	}
	schema := obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+spID+"/synchronization/templates/scim/schema", nil))
	rules := schema["synchronizationRules"].([]any)
	om := rules[0].(map[string]any)["objectMappings"].([]any)[0].(map[string]any)
	if schema["id"] != "scim" || len(schema["directories"].([]any)) != 2 || om["flowTypes"] != "Add,Update,Delete" {
		t.Fatalf("template schema: id=%v dirs=%d flowTypes=%v", schema["id"], len(schema["directories"].([]any)), om["flowTypes"])
	}

	gallery, _ := instantiate(t, env, graphsim.MyPoliciesTemplateID, "myPolicies")
	gl := values(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+gallery["id"].(string)+"/synchronization/templates", nil))
	if len(gl) != 1 || gl[0]["id"] != "mypolicies" || gl[0]["factoryTag"] != "mypolicies" {
		t.Fatalf("gallery templates: %v", gl)
	}
	gs := obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+gallery["id"].(string)+"/synchronization/templates/mypolicies/schema", nil))
	grule := gs["synchronizationRules"].([]any)[0].(map[string]any)
	if grule["id"] == rules[0].(map[string]any)["id"] || grule["targetDirectoryName"] != "myPolicies" {
		t.Fatalf("gallery template needs its own rule id and target directory: %v", grule)
	}

	// Every SCIM gallery app offers its own synchronization template (own id
	// and rule id) whose objects keep the scim schema's names.
	scimTarget := func(s map[string]any) string {
		om := s["synchronizationRules"].([]any)[0].(map[string]any)["objectMappings"].([]any)[0].(map[string]any)
		return om["sourceObjectName"].(string) + "→" + om["targetObjectName"].(string)
	}
	ruleIDs := map[string]bool{rules[0].(map[string]any)["id"].(string): true}
	for _, tc := range []struct{ templateID, syncID string }{
		{graphsim.MyPoliciesTemplateID, "mypolicies"}, {graphsim.SlackTemplateID, "slack"}, {graphsim.AtlassianCloudTemplateID, "atlassianCloud"},
	} {
		gsp, _ := instantiate(t, env, tc.templateID, "gallery "+tc.syncID)
		tl := values(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+gsp["id"].(string)+"/synchronization/templates", nil))
		if len(tl) != 1 || tl[0]["id"] != tc.syncID || tl[0]["default"] != true {
			t.Fatalf("%s: synchronization templates %v", tc.syncID, tl)
		}
		ts := obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+gsp["id"].(string)+"/synchronization/templates/"+tc.syncID+"/schema", nil))
		rid := ts["synchronizationRules"].([]any)[0].(map[string]any)["id"].(string)
		if ruleIDs[rid] || scimTarget(ts) != scimTarget(schema) {
			t.Fatalf("%s: rule id %s (seen: %v), object mapping %s, want the scim names %s", tc.syncID, rid, ruleIDs, scimTarget(ts), scimTarget(schema))
		}
		ruleIDs[rid] = true
	}

	for _, tc := range []struct{ path, code string }{
		{"/servicePrincipals/00000000-0000-0000-0000-000000000001/synchronization/templates", "Request_ResourceNotFound"},
		{"/servicePrincipals/" + spID + "/synchronization/templates/slack", "Request_ResourceNotFound"},
		{"/applications/00000000-0000-0000-0000-000000000001/synchronization/templates", "Request_ResourceNotFound"},
	} {
		status, body := env.Graph(t, "GET", tc.path, nil)
		if status != 404 || errorCode(t, body) != tc.code {
			t.Errorf("GET %s: %d %s", tc.path, status, body)
		}
	}
}

func TestSyncJobLifecycle(t *testing.T) {
	env, spID := newCustomApp(t, 2)
	base := "/servicePrincipals/" + spID + "/synchronization/jobs"

	status, body := env.Graph(t, "POST", base, map[string]string{"templateId": "slack"})
	if status != 400 || errorCode(t, body) != "BadRequest" {
		t.Fatalf("a template the SP does not offer: %d %s", status, body)
	}
	status, body = env.Graph(t, "POST", base, "{not json")
	if status != 400 {
		t.Fatalf("malformed JSON: %d %s", status, body)
	}

	job := obj(t, mustGraph(t, env, 201, "POST", base, map[string]string{"templateId": "scim"}))
	jobID := job["id"].(string)
	if !regexp.MustCompile(`^scim\.[0-9a-f]{32}\.[0-9a-f-]{36}$`).MatchString(jobID) {
		t.Fatalf("job id %q is not {templateId}.{tenantIdNoDashes}.{guid}", jobID)
	}
	if !strings.Contains(jobID, strings.ReplaceAll(env.Ready.TenantID, "-", "")) {
		t.Fatalf("job id %q lacks the tenant id", jobID)
	}
	sched := job["schedule"].(map[string]any)
	if sched["interval"] != "PT40M" || sched["state"] != "Disabled" || sched["expiration"] != nil {
		t.Fatalf("schedule: %v", sched)
	}
	st := job["status"].(map[string]any)
	if st["code"] != "NotConfigured" || st["quarantine"] != nil || st["steadyStateFirstAchievedTime"] != "0001-01-01T00:00:00Z" ||
		st["steadyStateLastAchievedTime"] != "0001-01-01T00:00:00Z" || num(st, "countSuccessiveCompleteFailures") != 0 {
		t.Fatalf("new job status: %v", st)
	}

	list := values(t, mustGraph(t, env, 200, "GET", base, nil))
	if len(list) != 1 || list[0]["id"] != jobID {
		t.Fatalf("job list: %v", list)
	}
	if l := values(t, mustGraph(t, env, 200, "GET", base+"?$filter=templateId eq 'scim'", nil)); len(l) != 1 {
		t.Fatalf("templateId filter: %v", l)
	}
	if l := values(t, mustGraph(t, env, 200, "GET", base+"?$filter=templateId eq 'other'", nil)); len(l) != 0 {
		t.Fatalf("templateId filter: %v", l)
	}

	putSecrets(t, env, spID, "BaseAddress", "https://127.0.0.1:1/scim", "SecretToken", "x")
	if code := jobStatus(t, env, spID, jobID)["code"]; code != "Paused" {
		t.Fatalf("with credentials a never-started job is Paused, got %v", code)
	}
	mustGraph(t, env, 204, "POST", base+"/"+jobID+"/start", nil)
	if s := getJob(t, env, spID, jobID)["schedule"].(map[string]any)["state"]; s != "Active" {
		t.Fatalf("after start schedule.state=%v", s)
	}
	mustGraph(t, env, 204, "POST", base+"/"+jobID+"/pause", nil)
	mustGraph(t, env, 204, "DELETE", base+"/"+jobID, nil)
	for _, tc := range []struct{ method, path string }{
		{"GET", base + "/" + jobID},
		{"DELETE", base + "/" + jobID},
		{"POST", base + "/" + jobID + "/start"},
		{"GET", base + "/" + jobID + "/schema"},
		{"GET", "/servicePrincipals/00000000-0000-0000-0000-000000000001/synchronization/jobs"},
	} {
		status, body := env.Graph(t, tc.method, tc.path, nil)
		if status != 404 || errorCode(t, body) != "Request_ResourceNotFound" {
			t.Errorf("%s %s after delete: %d %s", tc.method, tc.path, status, body)
		}
	}
}

func TestRestartScopeValidation(t *testing.T) {
	env, spID := newCustomApp(t, 1)
	jobID := createJob(t, env, spID, "scim")
	path := "/servicePrincipals/" + spID + "/synchronization/jobs/" + jobID + "/restart"
	for _, tc := range []struct {
		name string
		body any
		want int
	}{
		{"portal restart (no body)", nil, 204},
		{"empty criteria", map[string]any{"criteria": map[string]any{}}, 204},
		{"documented example with spaces", map[string]any{"criteria": map[string]any{"resetScope": "Watermark, Escrows, QuarantineState"}}, 204},
		{"sdk form without spaces", map[string]any{"criteria": map[string]any{"resetScope": "Full,ForceDeletes"}}, 204},
		{"empty string", map[string]any{"criteria": map[string]any{"resetScope": ""}}, 204},
		{"unknown flag", map[string]any{"criteria": map[string]any{"resetScope": "Watermark,Everything"}}, 400},
		{"wrong case", map[string]any{"criteria": map[string]any{"resetScope": "watermark"}}, 400},
		{"empty token", map[string]any{"criteria": map[string]any{"resetScope": "Watermark,,Escrows"}}, 400},
		{"criteria not an object", map[string]any{"criteria": "Full"}, 400},
		{"resetScope not a string", map[string]any{"criteria": map[string]any{"resetScope": 3}}, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.Graph(t, "POST", path, tc.body)
			if status != tc.want {
				t.Fatalf("got %d, want %d: %s", status, tc.want, body)
			}
			if tc.want == 400 && errorCode(t, body) != "BadRequest" {
				t.Fatalf("error code: %s", body)
			}
		})
	}
	if s := getJob(t, env, spID, jobID)["schedule"].(map[string]any)["state"]; s != "Active" {
		t.Fatalf("restart must (re)start the job; schedule.state=%v", s)
	}
}

// TestReplicationLag: with the lag fault a brand-new SP rejects
// synchronization writes with 409 and a brand-new job answers 404.
func TestReplicationLag(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1})
	sp, _ := instantiate(t, env, graphsim.CustomAppTemplateID, "Lagging app")
	spID := sp["id"].(string)
	job := obj(t, mustGraph(t, env, 201, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "scim"}))
	// Lag applies to objects younger than 1 s: both the SP and the job.
	if err := env.Admin.SetFaults("lag=1s"); err != nil {
		t.Fatal(err)
	}
	status, body := env.Graph(t, "PUT", "/servicePrincipals/"+spID+"/synchronization/secrets", map[string]any{"value": []any{}})
	if status != 409 || errorCode(t, body) != "Conflict" {
		t.Fatalf("secrets on a brand-new SP: %d %s", status, body)
	}
	if status, _ := env.Graph(t, "GET", "/servicePrincipals/"+spID+"/synchronization/jobs/"+job["id"].(string), nil); status != 404 {
		t.Fatalf("a brand-new job should not be readable yet: %d", status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, _ := env.Graph(t, "GET", "/servicePrincipals/"+spID+"/synchronization/jobs/"+job["id"].(string), nil)
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job never became readable")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
