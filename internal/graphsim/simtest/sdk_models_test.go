package simtest_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// parseWithSDK decodes a response with msgraph-sdk-go's own model factory,
// as the provider and the exporter do.
func parseWithSDK(t *testing.T, body []byte, factory serialization.ParsableFactory) serialization.Parsable {
	t.Helper()
	pn, err := jsonserialization.NewJsonParseNode(body)
	if err != nil {
		t.Fatalf("parse node: %v", err)
	}
	v, err := pn.GetObjectValue(factory)
	if err != nil {
		t.Fatalf("msgraph-sdk-go cannot parse the response: %v: %s", err, body)
	}
	return v
}

// graphOK sends a Graph request and decodes the JSON answer into out (when
// not nil), failing unless the status is want.
func graphOK(t *testing.T, env *simtest.Env, want int, method, path string, body, out any) []byte {
	t.Helper()
	status, resp := env.Graph(t, method, path, body)
	if status != want {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, status, want, resp)
	}
	if out != nil {
		if err := json.Unmarshal(resp, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, resp)
		}
	}
	return resp
}

// TestSDKParsesSyncResponses checks that job status (through quarantine),
// the schema's flags enums and provisioning events survive msgraph-sdk-go's
// typed models: enum values it does not know, or flags written with
// spaces, would silently become nil.
func TestSDKParsesSyncResponses(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3, Groups: 1})
	var created struct {
		ServicePrincipal struct{ ID string } `json:"servicePrincipal"`
	}
	graphOK(t, env, 201, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": "SDK models"}, &created)
	spID := created.ServicePrincipal.ID
	var users struct {
		Value []struct{ ID string } `json:"value"`
	}
	graphOK(t, env, 200, "GET", "/users?$top=2&$select=id", nil, &users)
	for _, u := range users.Value {
		graphOK(t, env, 201, "POST", "/servicePrincipals/"+spID+"/appRoleAssignedTo",
			map[string]string{"principalId": u.ID, "resourceId": spID, "appRoleId": graphsim.UserRoleID}, nil)
	}
	graphOK(t, env, 204, "PUT", "/servicePrincipals/"+spID+"/synchronization/secrets", map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": env.Ready.GraphEndpoint + "/_sim/scim/sdk"}, {"key": "SecretToken", "value": "sim-token-sdk"}}}, nil)
	var job struct{ ID string }
	graphOK(t, env, 201, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "scim"}, &job)
	jobPath := "/servicePrincipals/" + spID + "/synchronization/jobs/" + job.ID
	graphOK(t, env, 204, "POST", jobPath+"/start", nil, nil)
	run := func(d time.Duration) {
		t.Helper()
		if n, err := env.Admin.RunEngine(d); err != nil || n != 1 {
			t.Fatalf("engine run after %v: %d cycles, %v", d, n, err)
		}
	}
	run(0)
	if err := env.Admin.SetTargetFailure("sdk", "503"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		run(40 * time.Minute)
	}

	sj := parseWithSDK(t, graphOK(t, env, 200, "GET", jobPath, nil, nil), models.CreateSynchronizationJobFromDiscriminatorValue).(models.SynchronizationJobable)
	st := sj.GetStatus()
	if st.GetCode() == nil || *st.GetCode() != models.QUARANTINE_SYNCHRONIZATIONSTATUSCODE ||
		st.GetQuarantine() == nil || st.GetQuarantine().GetReason() == nil || *st.GetQuarantine().GetReason() != models.ENCOUNTEREDQUARANTINEEXCEPTION_QUARANTINEREASON ||
		st.GetQuarantine().GetNextAttempt() == nil || *st.GetCountSuccessiveCompleteFailures() != 3 {
		t.Fatalf("status as the SDK sees it: code=%v quarantine=%v", st.GetCode(), st.GetQuarantine())
	}
	last := st.GetLastExecution()
	if last.GetState() == nil || *last.GetState() != models.FAILED_SYNCHRONIZATIONTASKEXECUTIONRESULT || last.GetTimeBegan() == nil || last.GetError() == nil {
		t.Fatalf("lastExecution as the SDK sees it: %v", last)
	}
	if st.GetSteadyStateFirstAchievedTime() == nil || st.GetSteadyStateFirstAchievedTime().Year() < 2000 ||
		len(st.GetSynchronizedEntryCountByType()) != 1 || *st.GetSynchronizedEntryCountByType()[0].GetValue() != 2 {
		t.Fatalf("steady state / entry counts as the SDK sees them")
	}
	if sj.GetSchedule().GetInterval().String() != "PT40M" || *sj.GetSchedule().GetState() != models.ACTIVE_SYNCHRONIZATIONSCHEDULESTATE {
		t.Fatalf("schedule as the SDK sees it")
	}

	schema := parseWithSDK(t, graphOK(t, env, 200, "GET", jobPath+"/schema", nil, nil), models.CreateSynchronizationSchemaFromDiscriminatorValue).(models.SynchronizationSchemaable)
	om := schema.GetSynchronizationRules()[0].GetObjectMappings()[0]
	if om.GetFlowTypes() == nil || len(om.GetAttributeMappings()) != 22 || len(schema.GetDirectories()) != 2 {
		t.Fatalf("schema as the SDK sees it: flowTypes=%v mappings=%d", om.GetFlowTypes(), len(om.GetAttributeMappings()))
	}

	logs := parseWithSDK(t, graphOK(t, env, 200, "GET", "/auditLogs/provisioning", nil, nil),
		models.CreateProvisioningObjectSummaryCollectionResponseFromDiscriminatorValue).(models.ProvisioningObjectSummaryCollectionResponseable)
	events := logs.GetValue()
	if len(events) != 2 {
		t.Fatalf("want 2 events, got %d", len(events))
	}
	e := events[0]
	if e.GetProvisioningAction() == nil || *e.GetProvisioningAction() != models.CREATE_PROVISIONINGACTION ||
		e.GetProvisioningStatusInfo().GetStatus() == nil || *e.GetProvisioningStatusInfo().GetStatus() != models.SUCCESS_PROVISIONINGRESULT ||
		*e.GetServicePrincipal().GetId() != spID || e.GetActivityDateTime() == nil || len(e.GetProvisioningSteps()) != 3 ||
		e.GetInitiatedBy().GetInitiatorType() == nil || e.GetSourceIdentity() == nil {
		t.Fatalf("provisioning event as the SDK sees it: %s", fmt.Sprint(e.GetId()))
	}
}
