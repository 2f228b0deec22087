//go:build !race

// Excluded from -race builds: linking msgraph-sdk-go makes them too heavy
// for this project's CI machines, and this test checks JSON shapes, not
// concurrency.

package graphsim_test

import (
	"testing"
	"time"

	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
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

// TestSDKParsesSyncResponses checks that job status (through quarantine),
// the schema's flags enums and provisioning events survive msgraph-sdk-go's
// typed models: enum values it does not know, or flags written with
// spaces, would silently become nil.
func TestSDKParsesSyncResponses(t *testing.T) {
	a := newProvisioningApp(t, 3, 2, "sdk")
	a.start(t)
	runEngine(t, a.env, 0)
	setTargetFailure(t, a.env, "sdk", "503")
	for i := 0; i < 3; i++ {
		runEngine(t, a.env, 40*time.Minute)
	}
	job := parseWithSDK(t, mustGraph(t, a.env, 200, "GET", a.jobPath(), nil), models.CreateSynchronizationJobFromDiscriminatorValue).(models.SynchronizationJobable)
	st := job.GetStatus()
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
	if job.GetSchedule().GetInterval().String() != "PT40M" || *job.GetSchedule().GetState() != models.ACTIVE_SYNCHRONIZATIONSCHEDULESTATE {
		t.Fatalf("schedule as the SDK sees it")
	}

	schema := parseWithSDK(t, mustGraph(t, a.env, 200, "GET", a.jobPath()+"/schema", nil), models.CreateSynchronizationSchemaFromDiscriminatorValue).(models.SynchronizationSchemaable)
	om := schema.GetSynchronizationRules()[0].GetObjectMappings()[0]
	if om.GetFlowTypes() == nil || len(om.GetAttributeMappings()) != 22 || len(schema.GetDirectories()) != 2 {
		t.Fatalf("schema as the SDK sees it: flowTypes=%v mappings=%d", om.GetFlowTypes(), len(om.GetAttributeMappings()))
	}

	logs := parseWithSDK(t, mustGraph(t, a.env, 200, "GET", "/auditLogs/provisioning", nil),
		models.CreateProvisioningObjectSummaryCollectionResponseFromDiscriminatorValue).(models.ProvisioningObjectSummaryCollectionResponseable)
	events := logs.GetValue()
	if len(events) != 2 {
		t.Fatalf("want 2 events, got %d", len(events))
	}
	e := events[0]
	if e.GetProvisioningAction() == nil || *e.GetProvisioningAction() != models.CREATE_PROVISIONINGACTION ||
		e.GetProvisioningStatusInfo().GetStatus() == nil || *e.GetProvisioningStatusInfo().GetStatus() != models.SUCCESS_PROVISIONINGRESULT ||
		*e.GetServicePrincipal().GetId() != a.spID || e.GetActivityDateTime() == nil || len(e.GetProvisioningSteps()) != 3 ||
		e.GetInitiatedBy().GetInitiatorType() == nil || e.GetSourceIdentity() == nil {
		t.Fatalf("provisioning event as the SDK sees it: %+v", e)
	}
}
