package graphsim

import (
	"time"
)

// Provisioning events are kept in one bounded ring buffer per simulated
// tenant: the oldest event is overwritten when it is full, so a simulator
// running for weeks holds at most defaultLogCapacity events (Entra keeps 30
// days; the simulator trades retention for bounded memory).
const defaultLogCapacity = 20_000

// provisioningEvent is one provisioningObjectSummary, stored compactly and
// rendered on demand.
type provisioningEvent struct {
	seq        uint64 // insertion order, the paging cursor's tie-breaker
	id         string
	at         time.Time
	jobID      string
	cycleID    string
	changeID   string
	spID       string
	spName     string
	action     string // other, create, delete, disable, update, stagedDelete
	status     string // success, failure, skipped, warning
	errorCode  string
	reason     string
	durationMs int64
	identity   string // User | Group
	sourceID   string
	sourceName string
	targetID   string
	targetName string
	targetDir  string
	modified   []modifiedProperty
	onDemand   bool
}

type modifiedProperty struct {
	name, oldValue, newValue string
}

// provisioningLog is the ring buffer. Guarded by Sim.mu.
type provisioningLog struct {
	buf  []provisioningEvent
	next int    // slot for the next event
	full bool   // buf has wrapped
	seq  uint64 // last assigned sequence number
}

func newProvisioningLog(capacity int) *provisioningLog {
	return &provisioningLog{buf: make([]provisioningEvent, 0, capacity)}
}

func (l *provisioningLog) capacity() int { return cap(l.buf) }

func (l *provisioningLog) len() int { return len(l.buf) }

// add appends an event, overwriting the oldest when full.
func (l *provisioningLog) add(e provisioningEvent) {
	l.seq++
	e.seq = l.seq
	if len(l.buf) < cap(l.buf) {
		l.buf = append(l.buf, e)
		return
	}
	l.buf[l.next] = e
	l.next = (l.next + 1) % len(l.buf)
	l.full = true
}

// each visits events oldest first.
func (l *provisioningLog) each(visit func(*provisioningEvent)) {
	n := len(l.buf)
	start := 0
	if n == cap(l.buf) {
		start = l.next
	}
	for i := 0; i < n; i++ {
		visit(&l.buf[(start+i)%n])
	}
}

// eventJSON renders a provisioningObjectSummary (reference §7 shapes).
func (e *provisioningEvent) eventJSON(tenantID string) map[string]any {
	var errInfo any
	if e.status == "failure" || e.errorCode != "" {
		errInfo = map[string]any{
			"errorCode": e.errorCode, "reason": e.reason, "additionalDetails": nil,
			"errorCategory": "nonServiceFailure", "recommendedAction": nil,
		}
	}
	modified := make([]map[string]any, 0, len(e.modified))
	for _, m := range e.modified {
		var old any
		if m.oldValue != "" {
			old = m.oldValue
		}
		modified = append(modified, map[string]any{"displayName": m.name, "oldValue": old, "newValue": m.newValue})
	}
	initiator := map[string]any{"id": "", "displayName": "Azure AD Provisioning Service", "initiatorType": "system"}
	if e.onDemand {
		initiator = map[string]any{"id": "", "displayName": "Provision on demand", "initiatorType": "application"}
	}
	return map[string]any{
		"id":                     e.id,
		"activityDateTime":       formatTime(e.at), // 7 fractional digits: a value echoed back in $filter is exact
		"tenantId":               tenantID,
		"jobId":                  e.jobID,
		"cycleId":                e.cycleID,
		"changeId":               e.changeID,
		"provisioningAction":     e.action,
		"durationInMilliseconds": e.durationMs,
		"servicePrincipal":       map[string]any{"id": e.spID, "displayName": e.spName},
		"sourceSystem":           map[string]any{"id": EntraDirectoryID, "displayName": "Azure Active Directory", "details": map[string]any{}},
		"targetSystem": map[string]any{"id": e.jobID, "displayName": e.targetDir, "details": map[string]any{
			"ApplicationId": "", "ServicePrincipalId": e.spID, "ServicePrincipalDisplayName": e.spName}},
		"initiatedBy":            initiator,
		"sourceIdentity":         map[string]any{"id": e.sourceID, "displayName": e.sourceName, "identityType": e.identity, "details": map[string]any{}},
		"targetIdentity":         map[string]any{"id": e.targetID, "displayName": e.targetName, "identityType": e.identity, "details": map[string]any{}},
		"modifiedProperties":     modified,
		"provisioningStatusInfo": map[string]any{"status": e.status, "errorInformation": errInfo},
		"provisioningSteps":      e.steps(),
	}
}

// steps are the provisioningSteps Entra reports for an export.
func (e *provisioningEvent) steps() []map[string]any {
	step := func(name, typ, status, desc string) map[string]any {
		return map[string]any{"name": name, "provisioningStepType": typ, "status": status, "description": desc, "details": map[string]any{}}
	}
	steps := []map[string]any{
		step("EntryImport", "import", "success", "Retrieved "+e.identity+" '"+e.sourceID+"' from Azure Active Directory"),
		step("EntrySynchronizationScoping", "scoping", "success", "Determined that the "+e.identity+" is in scope"),
	}
	exportStatus := e.status
	desc := e.action + " " + e.identity + " in " + e.targetDir
	if e.status == "failure" {
		desc = "Failed to " + e.action + " " + e.identity + " in " + e.targetDir + ": " + e.reason
	}
	return append(steps, step("EntryExport"+exportVerb(e.action), "export", exportStatus, desc))
}

func exportVerb(action string) string {
	switch action {
	case "create":
		return "Add"
	case "update":
		return "Update"
	case "delete":
		return "Delete"
	case "disable":
		return "Update"
	}
	return ""
}
