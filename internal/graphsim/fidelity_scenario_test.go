package graphsim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/csdl"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// Response kinds a scenario step expects besides an EDM type name.
const (
	noBody    = "" // 204 and the like: the body must be empty
	errorBody = "error"
	textBody  = "text/plain" // $count
	batchBody = "$batch"     // a JSON batch envelope; its items are validated one by one
)

// serviceExtras are the undeclared properties the service itself is known
// to send where the metadata declares none: the filterOperators and
// functions responses captured from Graph carry each entry's "name"
// (graphsim writes the metadata's "id" too). Nothing else is exempt.
var serviceExtras = map[string]bool{
	"microsoft.graph.filterOperatorSchema.name":           true,
	"microsoft.graph.attributeMappingFunctionSchema.name": true,
}

// metadataJudge sends Graph requests and validates every response body
// against Graph's published metadata (the CSDL digest graphsim embeds):
// entity and complex bodies against their type, collections' "value"
// against Collection(type), error bodies against Graph's envelope, and each
// "@odata.context" against the public service root.
type metadataJudge struct {
	t         *testing.T
	env       *simtest.Env
	schema    *csdl.Schema
	validated atomic.Int64 // bodies (and $batch item bodies) validated
	problems  int
}

func newMetadataJudge(t *testing.T, env *simtest.Env) *metadataJudge {
	return &metadataJudge{t: t, env: env, schema: graphsim.Metadata()}
}

// call sends a request, checks the status and validates the body as typ:
// an EDM type name ("microsoft.graph.user"), "Collection(…)" for a
// collection response, errorBody, textBody or noBody. It returns the
// decoded body (nil for empty or text bodies).
func (j *metadataJudge) call(method, path string, body any, status int, typ string) map[string]any {
	j.t.Helper()
	return j.callWith(method, path, nil, body, status, typ)
}

func (j *metadataJudge) callWith(method, path string, headers map[string]string, body any, status int, typ string) map[string]any {
	j.t.Helper()
	if !strings.HasPrefix(path, "/beta/") {
		path = "/v1.0" + path
	}
	got, h, data := rawGraph(j.t, j.env, method, path, headers, body)
	if got != status {
		j.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, status, data)
	}
	if h.Get("request-id") == "" || h.Get("client-request-id") == "" {
		j.t.Errorf("%s %s: response lacks request-id or client-request-id headers: %v", method, path, h)
	}
	where := method + " " + path
	switch typ {
	case noBody:
		if len(strings.TrimSpace(string(data))) != 0 {
			j.fail(where, "want an empty body, got %s", data)
		}
		j.validated.Add(1)
		return nil
	case textBody:
		j.validated.Add(1)
		return nil
	}
	if typ == batchBody {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil || m["responses"] == nil {
			j.fail(where, "not a $batch response: %s", data)
		}
		return m
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		j.fail(where, "body is not JSON: %v: %s", err, data)
		return nil
	}
	j.validate(where, typ, v)
	m, _ := v.(map[string]any)
	return m
}

// validate checks one decoded body.
func (j *metadataJudge) validate(where, typ string, v any) {
	j.t.Helper()
	j.validated.Add(1)
	if typ == errorBody {
		for _, p := range csdl.ValidateError(v) {
			j.fail(where, "%s", p)
		}
		return
	}
	m, isObject := v.(map[string]any)
	if isObject {
		if c, ok := m["@odata.context"].(string); ok && !strings.HasPrefix(c, "https://graph.microsoft.com/v1.0/$metadata#") && !strings.HasPrefix(c, "https://graph.microsoft.com/beta/$metadata#") {
			j.fail(where, "@odata.context %q does not name Graph's service root", c)
		}
	}
	if strings.HasPrefix(typ, "Collection(") {
		if !isObject {
			j.fail(where, "a collection response must be an object with \"value\"")
			return
		}
		for k := range m {
			if k != "value" && !strings.HasPrefix(k, "@odata.") {
				j.fail(where, "collection response has unexpected member %q", k)
			}
		}
		v = m["value"]
	}
	for _, p := range j.schema.Validate(typ, v) {
		if serviceExtras[p.Undeclared] {
			continue
		}
		j.fail(where, "%s", p)
	}
}

func (j *metadataJudge) fail(where, format string, args ...any) {
	j.t.Helper()
	j.problems++
	j.t.Errorf("%s: %s", where, fmt.Sprintf(format, args...))
}

// TestScenarioResponsesFollowMetadata walks a realistic provisioning
// scenario end to end — templates, instantiate, applications, service
// principals, assignments, groups, users, jobs with a successful and a
// quarantined cycle, secrets, schema, functions, filterOperators,
// parseExpression, on-demand provisioning, provisioning logs, $batch and
// errors — and validates every response body against Graph's metadata.
func TestScenarioResponsesFollowMetadata(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 12, Groups: 3})
	j := newMetadataJudge(t, env)
	const (
		sp   = "microsoft.graph.servicePrincipal"
		app  = "microsoft.graph.application"
		job  = "microsoft.graph.synchronizationJob"
		user = "microsoft.graph.user"
	)

	// Gallery and templates.
	j.call("GET", "/applicationTemplates", nil, 200, "Collection(microsoft.graph.applicationTemplate)")
	j.call("GET", "/applicationTemplates?$filter=displayName eq 'Slack'", nil, 200, "Collection(microsoft.graph.applicationTemplate)")
	j.call("GET", "/applicationTemplates/"+graphsim.CustomAppTemplateID, nil, 200, "microsoft.graph.applicationTemplate")
	created := j.call("POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate",
		map[string]string{"displayName": "Scenario SCIM app"}, 201, "microsoft.graph.applicationServicePrincipal")
	spID := created["servicePrincipal"].(map[string]any)["id"].(string)
	appObjID := created["application"].(map[string]any)["id"].(string)
	appID := created["application"].(map[string]any)["appId"].(string)
	j.call("POST", "/applicationTemplates/"+graphsim.SlackTemplateID+"/instantiate",
		map[string]string{"displayName": "Scenario Slack"}, 201, "microsoft.graph.applicationServicePrincipal")

	// Applications and service principals, default and $select views.
	j.call("GET", "/applications/"+appObjID, nil, 200, app)
	j.call("GET", "/applications?$select=id,appId,api,optionalClaims,samlMetadataUrl", nil, 200, "Collection("+app+")")
	j.call("GET", "/applications?$filter=appId eq '"+appID+"'", nil, 200, "Collection("+app+")")
	j.call("PATCH", "/applications/"+appObjID, map[string]any{"notes": "owned by the platform team"}, 204, noBody)
	j.call("GET", "/servicePrincipals/"+spID, nil, 200, sp)
	j.call("GET", "/servicePrincipals(appId='"+appID+"')", nil, 200, sp)
	j.call("GET", "/servicePrincipals/"+spID+"?$select=customSecurityAttributes,resourceSpecificApplicationPermissions,samlSingleSignOnSettings,verifiedPublisher", nil, 200, sp)
	j.call("GET", "/servicePrincipals?$top=1&$count=true", nil, 200, "Collection("+sp+")")
	j.call("PATCH", "/servicePrincipals/"+spID, map[string]any{"notificationEmailAddresses": []string{"ops@contoso.com"}}, 204, noBody)
	j.callWith("GET", "/servicePrincipals/$count", map[string]string{"ConsistencyLevel": "eventual"}, nil, 200, textBody)

	// Directory: users and groups, assignments.
	users := j.call("GET", "/users?$top=5", nil, 200, "Collection("+user+")")["value"].([]any)
	u0 := users[0].(map[string]any)["id"].(string)
	u1 := users[1].(map[string]any)["id"].(string)
	j.call("GET", "/users/"+u0, nil, 200, user)
	j.call("GET", "/users/"+u0+"?$select=id,employeeId,department,hireDate,identities,onPremisesExtensionAttributes", nil, 200, user)
	j.call("GET", "/users/"+u1+"/manager", nil, 200, "microsoft.graph.directoryObject")
	newUser := j.call("POST", "/users", map[string]any{"accountEnabled": true, "displayName": "Scenario User",
		"mailNickname": "scenario", "userPrincipalName": "scenario@contoso.onmicrosoft.com",
		"passwordProfile": map[string]any{"password": "xWwvJ]6NMw+bWH-d", "forceChangePasswordNextSignIn": true}}, 201, user)
	groups := j.call("GET", "/groups", nil, 200, "Collection(microsoft.graph.group)")["value"].([]any)
	g0 := groups[0].(map[string]any)["id"].(string)
	j.call("GET", "/groups/"+g0, nil, 200, "microsoft.graph.group")
	j.call("GET", "/groups/"+g0+"/members", nil, 200, "Collection(microsoft.graph.directoryObject)")
	j.call("POST", "/groups/"+g0+"/members/$ref", map[string]string{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + newUser["id"].(string)}, 204, noBody)
	for _, principal := range []string{u0, u1, g0} {
		j.call("POST", "/servicePrincipals/"+spID+"/appRoleAssignedTo", map[string]string{
			"principalId": principal, "resourceId": spID, "appRoleId": graphsim.UserRoleID}, 201, "microsoft.graph.appRoleAssignment")
	}
	j.call("GET", "/servicePrincipals/"+spID+"/appRoleAssignedTo", nil, 200, "Collection(microsoft.graph.appRoleAssignment)")

	// Synchronization: templates, job, secrets, schema.
	sync := "/servicePrincipals/" + spID + "/synchronization"
	j.call("GET", sync+"/templates", nil, 200, "Collection(microsoft.graph.synchronizationTemplate)")
	j.call("GET", "/applications/"+appObjID+"/synchronization/templates/scim", nil, 200, "microsoft.graph.synchronizationTemplate")
	j.call("GET", sync+"/templates/scim/schema", nil, 200, "microsoft.graph.synchronizationSchema")
	j.call("PUT", "/applications/"+appObjID+"/synchronization/templates/scim", map[string]any{"id": "scim", "description": "Ours",
		"discoverable": true, "factoryTag": "CustomSCIM", "metadata": []any{}}, 204, noBody)
	created = j.call("POST", sync+"/jobs", map[string]string{"templateId": "scim"}, 201, job)
	jobID := created["id"].(string)
	jobPath := sync + "/jobs/" + jobID
	j.call("GET", sync+"/jobs", nil, 200, "Collection("+job+")")
	j.call("GET", jobPath, nil, 200, job)
	j.call("PUT", sync+"/secrets", map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": targetURL(env, "scenario")}, {"key": "SecretToken", "value": "sim-token-scenario"},
		{"key": "NotificationEmail", "value": "ops@contoso.com"}}}, 500, errorBody) // not a synchronizationSecret member
	j.call("PUT", sync+"/secrets", map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": targetURL(env, "scenario")}, {"key": "SecretToken", "value": "sim-token-scenario"}}}, 204, noBody)
	j.call("GET", sync+"/secrets", nil, 200, "Collection(microsoft.graph.synchronizationSecretKeyStringValuePair)")
	j.call("GET", sync, nil, 200, "microsoft.graph.synchronization")
	j.call("POST", jobPath+"/validateCredentials", map[string]any{"useSavedCredentials": true}, 204, noBody)
	schema := j.call("GET", jobPath+"/schema", nil, 200, "microsoft.graph.synchronizationSchema")
	ruleID := schema["synchronizationRules"].([]any)[0].(map[string]any)["id"].(string)
	delete(schema, "@odata.context")
	j.call("PUT", jobPath+"/schema", schema, 204, noBody)
	j.call("GET", jobPath+"/schema/functions", nil, 200, "Collection(microsoft.graph.attributeMappingFunctionSchema)")
	j.call("GET", jobPath+"/schema/filterOperators()", nil, 200, "Collection(microsoft.graph.filterOperatorSchema)")
	j.call("POST", jobPath+"/schema/parseExpression", map[string]any{"expression": `Join(" ", [givenName], [surname])`,
		"testInputObject": map[string]any{"definition": nil, "properties": []map[string]any{
			{"key": "givenName", "value": "Ada"}, {"key": "surname", "value": "Lovelace"}}}}, 200, "microsoft.graph.parseExpressionResponse")
	j.call("POST", jobPath+"/schema/parseExpression", map[string]any{"expression": `Join(" ", [givenName]`}, 200, "microsoft.graph.parseExpressionResponse")
	j.call("POST", jobPath+"/schema/parseExpression", map[string]any{"expression": `[mail]`}, 200, "microsoft.graph.parseExpressionResponse")

	// A successful cycle, then a quarantined one.
	j.call("POST", jobPath+"/start", nil, 204, noBody)
	runEngine(t, env, 0)
	st := j.call("GET", jobPath, nil, 200, job)["status"].(map[string]any)
	if st["code"] != "Active" || str(st, "lastExecution.state") != "Succeeded" {
		t.Fatalf("the first cycle should succeed: %v", st)
	}
	setTargetFailure(t, env, "scenario", "503")
	for range 3 {
		runEngine(t, env, 40*time.Minute)
	}
	st = j.call("GET", jobPath, nil, 200, job)["status"].(map[string]any)
	if st["code"] != "Quarantine" {
		t.Fatalf("three failed cycles should quarantine the job: %v", st)
	}
	j.call("GET", sync+"/jobs?$filter=templateId eq 'scim'", nil, 200, "Collection("+job+")")
	setTargetFailure(t, env, "scenario", "none")

	// On demand and the provisioning log.
	onDemand := func(objectID string) {
		j.call("POST", jobPath+"/provisionOnDemand", map[string]any{"parameters": []any{map[string]any{"ruleId": ruleID,
			"subjects": []any{map[string]any{"objectId": objectID, "objectTypeName": "User"}}}}}, 200, "microsoft.graph.stringKeyStringValuePair")
	}
	onDemand(u0)
	onDemand(newUser["id"].(string))
	j.call("GET", "/auditLogs/provisioning", nil, 200, "Collection(microsoft.graph.provisioningObjectSummary)")
	j.call("GET", "/auditLogs/provisioning?$filter=jobId eq '"+jobID+"'&$top=5", nil, 200, "Collection(microsoft.graph.provisioningObjectSummary)")
	j.call("POST", jobPath+"/restart", map[string]any{"criteria": map[string]any{"resetScope": "Watermark, Escrows, QuarantineState"}}, 204, noBody)
	j.call("POST", jobPath+"/pause", nil, 204, noBody)

	// $batch: each item body is validated as its own response.
	batch := j.call("POST", "/$batch", map[string]any{"requests": []any{
		map[string]any{"id": "sp", "method": "GET", "url": "/servicePrincipals/" + spID},
		map[string]any{"id": "job", "method": "GET", "url": jobPath},
		map[string]any{"id": "missing", "method": "GET", "url": "/servicePrincipals/00000000-0000-0000-0000-000000000001"},
		map[string]any{"id": "after", "method": "GET", "url": "/users", "dependsOn": []string{"missing"}},
	}}, 200, batchBody)
	itemTypes := map[string]string{"sp": sp, "job": job, "missing": errorBody, "after": errorBody}
	for _, it := range batch["responses"].([]any) {
		item := it.(map[string]any)
		j.validate("$batch item "+item["id"].(string), itemTypes[item["id"].(string)], item["body"])
	}

	// Errors keep Graph's envelope.
	for _, e := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", "/servicePrincipals/not-a-guid", nil, 400},
		{"GET", "/servicePrincipals/00000000-0000-0000-0000-000000000001", nil, 404},
		{"GET", "/servicePrincipals?$select=noSuchProperty", nil, 400},
		{"GET", "/servicePrincipals?$frobnicate=1", nil, 400},
		{"GET", sync + "/jobs/nosuchjob", nil, 404},
		{"POST", sync + "/jobs", map[string]string{"templateId": "nosuch"}, 400},
		{"PATCH", jobPath + "/schema", map[string]any{}, 404},
		{"DELETE", "/applicationTemplates/" + graphsim.CustomAppTemplateID, nil, 405},
		{"GET", "/users/$count", nil, 400},
	} {
		j.call(e.method, e.path, e.body, e.status, errorBody)
	}

	// Clean-up paths: delete and the deleted-items container.
	j.call("DELETE", jobPath, nil, 204, noBody)
	j.call("DELETE", "/applications/"+appObjID, nil, 204, noBody)
	j.call("GET", "/directory/deletedItems/microsoft.graph.application", nil, 200, "Collection("+app+")")
	j.call("GET", "/directory/deletedItems/"+appObjID, nil, 200, "microsoft.graph.directoryObject")
	j.call("POST", "/directory/deletedItems/"+appObjID+"/restore", nil, 200, "microsoft.graph.directoryObject")

	t.Logf("validated %d response bodies against the metadata digest; %d problems", j.validated.Load(), j.problems)
}
