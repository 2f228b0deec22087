package graphsim_test

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestEngineSuccessFailureQuarantineRecovery drives one job through the
// whole lifecycle on the simulated clock: initial cycle, incremental cycle,
// failures, quarantine with back-off, and recovery.
func TestEngineSuccessFailureQuarantineRecovery(t *testing.T) {
	a := newProvisioningApp(t, 6, 3, "lifecycle")
	env := a.env
	st := jobStatus(t, env, a.spID, a.jobID)
	if st["code"] != "Paused" || st["lastExecution"] != nil || str(st, "steadyStateFirstAchievedTime") != "0001-01-01T00:00:00Z" {
		t.Fatalf("before start: want code Paused (credentials saved), no execution, sentinel steady state; got %v", st)
	}
	a.start(t)
	if n := runEngine(t, env, 0); n > 1 {
		t.Fatalf("initial cycle ran %d times", n)
	}

	st = jobStatus(t, env, a.spID, a.jobID)
	if st["code"] != "Active" || str(st, "lastExecution.state") != "Succeeded" {
		t.Fatalf("after initial cycle: %v", st)
	}
	if num(st, "lastExecution.countExported") != 3 || num(st, "lastExecution.countEntitled") != 3 || num(st, "lastExecution.countImported") != 3 {
		t.Fatalf("initial cycle counts: %v", st["lastExecution"])
	}
	if str(st, "steadyStateFirstAchievedTime") == "0001-01-01T00:00:00Z" || st["lastSuccessfulExecutionWithExports"] == nil {
		t.Fatalf("steady state not reached: %v", st)
	}
	counts := st["synchronizedEntryCountByType"].([]any)
	if len(counts) != 1 || counts[0].(map[string]any)["key"] != "user to User" || counts[0].(map[string]any)["value"].(float64) != 3 {
		t.Fatalf("synchronizedEntryCountByType: %v", counts)
	}
	tgt := targetState(t, env, "lifecycle")
	users := tgt["users"].([]any)
	if len(users) != 3 {
		t.Fatalf("target holds %d users, want 3: %v", len(users), tgt)
	}
	u := users[0].(map[string]any)
	if u["active"] != true && u["active"] != false {
		t.Fatalf("active must be a SCIM boolean (Switch mapping converted to the Boolean target type): %v", u)
	}
	if !strings.HasSuffix(str(u, "userName"), "@contoso.onmicrosoft.com") || str(u, "name.familyName") == "" || u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == nil {
		t.Fatalf("exported user lacks mapped attributes: %v", u)
	}

	// Incremental cycle 40 minutes later: nothing changed, nothing exported,
	// but the target is still queried.
	before := tgt["requests"].(map[string]any)["GET Users"].(float64)
	if n := runEngine(t, env, 40*time.Minute); n != 1 {
		t.Fatalf("incremental cycle: %d cycles ran, want 1", n)
	}
	st = jobStatus(t, env, a.spID, a.jobID)
	if str(st, "lastExecution.state") != "Succeeded" || num(st, "lastExecution.countExported") != 0 {
		t.Fatalf("incremental cycle: %v", st["lastExecution"])
	}
	if after := targetState(t, env, "lifecycle")["requests"].(map[string]any)["GET Users"].(float64); after <= before {
		t.Fatalf("incremental cycle did not contact the target (GET Users %v → %v)", before, after)
	}

	// The target goes down: failures, then quarantine after 3.
	setTargetFailure(t, env, "lifecycle", "503")
	for i := 1; i <= 3; i++ {
		if n := runEngine(t, env, 40*time.Minute); n != 1 {
			t.Fatalf("failing cycle %d: %d cycles ran", i, n)
		}
		st = jobStatus(t, env, a.spID, a.jobID)
		if str(st, "lastExecution.state") != "Failed" || num(st, "countSuccessiveCompleteFailures") != float64(i) {
			t.Fatalf("failing cycle %d: %v", i, st)
		}
		if !strings.Contains(str(st, "lastExecution.error.code"), "SystemForCrossDomainIdentityManagement") ||
			!strings.Contains(str(st, "lastExecution.error.message"), "503") {
			t.Fatalf("failing cycle %d: error should name the SCIM failure and the 503: %v", i, st["lastExecution"])
		}
		if i < 3 && (st["quarantine"] != nil || st["code"] != "Active") {
			t.Fatalf("cycle %d: quarantined too early: %v", i, st)
		}
	}
	q, _ := st["quarantine"].(map[string]any)
	if st["code"] != "Quarantine" || q == nil || q["reason"] != "EncounteredQuarantineException" || num(q, "seriesCount") != 0 {
		t.Fatalf("after 3 failures the job must be quarantined: %v", st)
	}
	began, _ := time.Parse(time.RFC3339, q["currentBegan"].(string))
	next, _ := time.Parse(time.RFC3339, q["nextAttempt"].(string))
	if next.Sub(began) != 80*time.Minute {
		t.Fatalf("first quarantine retry after %v, want 80m", next.Sub(began))
	}
	// Not due yet after 40 minutes; due after 80.
	if n := runEngine(t, env, 40*time.Minute); n != 0 {
		t.Fatalf("quarantined job ran before nextAttempt")
	}
	if n := runEngine(t, env, 41*time.Minute); n != 1 {
		t.Fatalf("quarantine retry did not run at nextAttempt")
	}
	st = jobStatus(t, env, a.spID, a.jobID)
	q = st["quarantine"].(map[string]any)
	began, _ = time.Parse(time.RFC3339, q["currentBegan"].(string))
	next, _ = time.Parse(time.RFC3339, q["nextAttempt"].(string))
	if num(q, "seriesCount") != 1 || next.Sub(began) != 160*time.Minute || q["seriesBegan"] == q["currentBegan"] {
		t.Fatalf("second quarantine evaluation: want seriesCount 1 and a 160m back-off: %v", q)
	}

	// The target recovers: the next retry lifts the quarantine.
	setTargetFailure(t, env, "lifecycle", "none")
	if n := runEngine(t, env, 161*time.Minute); n != 1 {
		t.Fatalf("recovery cycle did not run")
	}
	st = jobStatus(t, env, a.spID, a.jobID)
	if st["quarantine"] != nil || st["code"] != "Active" || num(st, "countSuccessiveCompleteFailures") != 0 || str(st, "lastExecution.state") != "Succeeded" {
		t.Fatalf("after recovery: %v", st)
	}
	if str(st, "steadyStateLastAchievedTime") == str(st, "steadyStateFirstAchievedTime") {
		t.Fatalf("steadyStateLastAchievedTime did not move on recovery: %v", st)
	}
}

// TestEngineFailureKinds checks how each kind of target failure is reported.
func TestEngineFailureKinds(t *testing.T) {
	for _, tc := range []struct {
		mode, code, text string
	}{
		{"401", "SystemForCrossDomainIdentityManagementUnauthorized", "401"},
		{"500", "SystemForCrossDomainIdentityManagementBadResponse", "500"},
		{"down", "SystemForCrossDomainIdentityManagementServiceUnreachable", "could not be reached"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			a := newProvisioningApp(t, 3, 2, "kinds")
			setTargetFailure(t, a.env, "kinds", tc.mode)
			a.start(t)
			runEngine(t, a.env, 0)
			st := jobStatus(t, a.env, a.spID, a.jobID)
			if str(st, "lastExecution.state") != "Failed" || str(st, "lastExecution.error.code") != tc.code ||
				!strings.Contains(str(st, "lastExecution.error.message"), tc.text) {
				t.Fatalf("mode %s: %v", tc.mode, st["lastExecution"])
			}
			if strings.Contains(str(st, "lastExecution.error.message"), "sim-token-") {
				t.Fatalf("the error message leaks the token: %v", st["lastExecution"])
			}
			if st["code"] != "NotRun" || st["lastSuccessfulExecution"] != nil {
				t.Fatalf("a job that never succeeded keeps code NotRun: %v", st)
			}
		})
	}
}

// TestEngineDisablesUnassignedUsersAndAppliesSchema covers out-of-scope
// deprovisioning, schema changes and scoping filters in later cycles.
func TestEngineDisablesUnassignedUsersAndAppliesSchema(t *testing.T) {
	a := newProvisioningApp(t, 6, 0, "scope")
	env := a.env
	ids := userIDs(t, env, 3)
	assignments := map[string]string{}
	for _, id := range ids {
		assignments[id] = assign(t, env, a.spID, id)
	}
	a.start(t)
	runEngine(t, env, 0)
	if n := len(targetState(t, env, "scope")["users"].([]any)); n != 3 {
		t.Fatalf("initial cycle exported %d users, want 3", n)
	}

	// Unassigning a user disables it in the target.
	mustGraph(t, env, 204, "DELETE", "/servicePrincipals/"+a.spID+"/appRoleAssignedTo/"+assignments[ids[0]], nil)
	runEngine(t, env, 40*time.Minute)
	disabled := 0
	for _, u := range targetState(t, env, "scope")["users"].([]any) {
		if u.(map[string]any)["active"] == false {
			disabled++
		}
	}
	if disabled < 1 {
		t.Fatalf("the unassigned user was not disabled in the target")
	}
	st := jobStatus(t, env, a.spID, a.jobID)
	if num(st, "lastExecution.countExported") != 1 {
		t.Fatalf("disable cycle: %v", st["lastExecution"])
	}

	// A schema change (a constant title) updates every in-scope user.
	schema := obj(t, mustGraph(t, env, 200, "GET", a.jobPath()+"/schema", nil))
	rule := schema["synchronizationRules"].([]any)[0].(map[string]any)
	userMapping := rule["objectMappings"].([]any)[0].(map[string]any)
	for _, am := range userMapping["attributeMappings"].([]any) {
		m := am.(map[string]any)
		if m["targetAttributeName"] == "title" {
			m["source"] = map[string]any{"expression": `"Employee"`, "name": "Employee", "parameters": []any{}, "type": "Constant"}
		}
	}
	mustGraph(t, env, 204, "PUT", a.jobPath()+"/schema", schema)
	runEngine(t, env, 40*time.Minute)
	titles := 0
	for _, u := range targetState(t, env, "scope")["users"].([]any) {
		if u.(map[string]any)["title"] == "Employee" {
			titles++
		}
	}
	if titles != 2 {
		t.Fatalf("after the schema change %d users carry the constant title, want the 2 in scope", titles)
	}
	logs := values(t, mustGraph(t, env, 200, "GET", "/auditLogs/provisioning?$filter=provisioningAction eq 'update'", nil))
	if len(logs) != 2 {
		t.Fatalf("want 2 update events, got %d", len(logs))
	}
	if mp := logs[0]["modifiedProperties"].([]any); len(mp) != 1 || mp[0].(map[string]any)["newValue"] != "Employee" {
		t.Fatalf("update event should list the changed title: %v", logs[0]["modifiedProperties"])
	}
}

// TestEngineScopingFilterAndSyncAll checks SyncAll with a scoping filter.
func TestEngineScopingFilterAndSyncAll(t *testing.T) {
	a := newProvisioningApp(t, 12, 0, "filtered")
	env := a.env
	putSecrets(t, env, a.spID, "BaseAddress", targetURL(env, "filtered"), "SecretToken", "sim-token-filtered", "SyncAll", "True")
	users := values(t, mustGraph(t, env, 200, "GET", "/users?$top=999&$select=id,department", nil))
	dept := users[0]["department"].(string)
	want := 0
	for _, u := range users {
		if u["department"] == dept {
			want++
		}
	}
	schema := obj(t, mustGraph(t, env, 200, "GET", a.jobPath()+"/schema", nil))
	userMapping := schema["synchronizationRules"].([]any)[0].(map[string]any)["objectMappings"].([]any)[0].(map[string]any)
	userMapping["scope"] = map[string]any{"categoryFilterGroups": []any{}, "inputFilterGroups": []any{}, "groups": []any{
		map[string]any{"name": "dept", "clauses": []any{map[string]any{
			"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": map[string]any{"values": []any{dept}}}}},
	}}
	mustGraph(t, env, 204, "PUT", a.jobPath()+"/schema", schema)
	a.start(t)
	runEngine(t, env, 0)
	got := targetState(t, env, "filtered")["users"].([]any)
	if len(got) != want {
		t.Fatalf("SyncAll with a department filter exported %d users, want %d", len(got), want)
	}
	for _, u := range got {
		ext, _ := u.(map[string]any)["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
		if ext["department"] != dept {
			t.Fatalf("a user outside the filter was exported: %v", u)
		}
	}
}

// TestEnginePauseAndDelete: a paused or deleted job runs no cycles.
func TestEnginePauseAndDelete(t *testing.T) {
	a := newProvisioningApp(t, 3, 1, "paused")
	a.start(t)
	runEngine(t, a.env, 0)
	mustGraph(t, a.env, 204, "POST", a.jobPath()+"/pause", nil)
	if n := runEngine(t, a.env, 2*time.Hour); n != 0 {
		t.Fatalf("a paused job ran %d cycles", n)
	}
	job := getJob(t, a.env, a.spID, a.jobID)
	if str(job, "schedule.state") != "Paused" || str(job, "status.code") != "Paused" {
		t.Fatalf("after pause: %v", job)
	}
	// Start queues a cycle at once (the background loop may run it before
	// runEngine does, so compare executions rather than counting).
	prev := str(job, "status.lastExecution.activityIdentifier")
	a.start(t)
	runEngine(t, a.env, 0)
	if now := str(jobStatus(t, a.env, a.spID, a.jobID), "lastExecution.activityIdentifier"); now == prev || now == "" {
		t.Fatalf("start after pause did not run a cycle")
	}
	mustGraph(t, a.env, 204, "DELETE", a.jobPath(), nil)
	if n := runEngine(t, a.env, 2*time.Hour); n != 0 {
		t.Fatalf("a deleted job ran %d cycles", n)
	}
}

// TestEngineAccidentalDeletionThreshold: removals at or above the threshold
// are held back and quarantine the job until a ForceDeletes restart.
func TestEngineAccidentalDeletionThreshold(t *testing.T) {
	a := newProvisioningApp(t, 4, 0, "threshold")
	env := a.env
	putSecrets(t, env, a.spID, "BaseAddress", targetURL(env, "threshold"), "SecretToken", "sim-token-threshold",
		"SyncNotificationSettings", `{"Enabled":false,"DeleteThresholdEnabled":true,"DeleteThresholdValue":2}`)
	ids := userIDs(t, env, 3)
	var assignments []string
	for _, id := range ids {
		assignments = append(assignments, assign(t, env, a.spID, id))
	}
	a.start(t)
	runEngine(t, env, 0)
	for _, as := range assignments[:2] {
		mustGraph(t, env, 204, "DELETE", "/servicePrincipals/"+a.spID+"/appRoleAssignedTo/"+as, nil)
	}
	runEngine(t, env, 40*time.Minute)
	active := func() int {
		n := 0
		for _, u := range targetState(t, env, "threshold")["users"].([]any) {
			if u.(map[string]any)["active"] == true {
				n++
			}
		}
		return n
	}
	st := jobStatus(t, env, a.spID, a.jobID)
	if q, _ := st["quarantine"].(map[string]any); q == nil || q["reason"] != "TooManyDeletes" || st["code"] != "Quarantine" {
		t.Fatalf("2 disables with threshold 2 must quarantine the job: %v", st)
	}
	if n := active(); n != 3 {
		t.Fatalf("held disables were exported: %d active users remain, want 3", n)
	}
	mustGraph(t, env, 204, "POST", a.jobPath()+"/restart", map[string]any{"criteria": map[string]any{"resetScope": "ForceDeletes"}})
	runEngine(t, env, 0)
	st = jobStatus(t, env, a.spID, a.jobID)
	if n := active(); n != 1 || st["quarantine"] != nil || st["code"] != "Active" {
		t.Fatalf("after ForceDeletes: %d active users (want 1), status %v", n, st)
	}
}

// TestEngineDisablesAfterFourWeeksOfQuarantine: quarantine retries slow to
// once a day, and after 28 days the service disables the schedule.
func TestEngineDisablesAfterFourWeeksOfQuarantine(t *testing.T) {
	a := newProvisioningApp(t, 2, 1, "weeks")
	setTargetFailure(t, a.env, "weeks", "503")
	a.start(t)
	runEngine(t, a.env, 0)
	runEngine(t, a.env, 40*time.Minute)
	runEngine(t, a.env, 40*time.Minute)
	job := getJob(t, a.env, a.spID, a.jobID)
	if str(job, "status.code") != "Quarantine" {
		t.Fatalf("not quarantined after 3 failures: %v", job["status"])
	}
	var last map[string]any
	for day := 0; day < 30; day++ {
		runEngine(t, a.env, 24*time.Hour)
		last = getJob(t, a.env, a.spID, a.jobID)
		if str(last, "schedule.state") == "Disabled" {
			break
		}
		q := last["status"].(map[string]any)["quarantine"].(map[string]any)
		began, _ := time.Parse(time.RFC3339, q["currentBegan"].(string))
		next, _ := time.Parse(time.RFC3339, q["nextAttempt"].(string))
		if d := next.Sub(began); d > 24*time.Hour {
			t.Fatalf("quarantine retries must be at least daily, got %v", d)
		}
	}
	if str(last, "schedule.state") != "Disabled" || str(last, "schedule.interval") != "P10675199DT2H48M5.4775807S" {
		t.Fatalf("after four weeks in quarantine the schedule must be disabled: %v", last["schedule"])
	}
	if n := runEngine(t, a.env, 72*time.Hour); n != 0 {
		t.Fatalf("a disabled job ran %d cycles", n)
	}
	setTargetFailure(t, a.env, "weeks", "none")
	a.start(t)
	runEngine(t, a.env, 0)
	job = getJob(t, a.env, a.spID, a.jobID)
	if str(job, "schedule.interval") != "PT40M" || str(job, "status.code") != "Active" || job["status"].(map[string]any)["quarantine"] != nil {
		t.Fatalf("start after the service disabled the job: %v", job)
	}
}

// TestClockAdvanceWakesEngine: advancing the clock through the admin API
// (not /_sim/engine/run) runs the cycles it made due promptly, as someone
// driving the simulator by hand expects.
func TestClockAdvanceWakesEngine(t *testing.T) {
	a := newProvisioningApp(t, 2, 1, "wake")
	a.start(t)
	runEngine(t, a.env, 0)
	first := str(jobStatus(t, a.env, a.spID, a.jobID), "lastExecution.timeBegan")
	if first == "" {
		t.Fatal("initial cycle did not run")
	}
	if err := a.env.Admin.Advance(41 * time.Minute); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for str(jobStatus(t, a.env, a.spID, a.jobID), "lastExecution.timeBegan") == first {
		if time.Now().After(deadline) {
			t.Fatal("no incremental cycle within 3 s of advancing the clock past the schedule interval")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEngineTransportFailures: a tenant URL that refuses connections or
// presents a certificate the service does not trust fails the cycle with
// an unreachable error (and counts towards quarantine like any failure).
func TestEngineTransportFailures(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "https://" + closed.Addr().String() + "/scim"
	closed.Close() // nothing listens there any more: connection refused
	untrusted := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the engine completed a request to a server whose certificate it must not trust: %s", r.URL)
	}))
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // the expected handshake failure
	untrusted.StartTLS()
	defer untrusted.Close()
	for _, tc := range []struct{ name, base, text string }{
		{"connection refused", refusedURL, "refused"},
		{"untrusted certificate", untrusted.URL + "/scim", "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newProvisioningApp(t, 2, 1, "transport")
			putSecrets(t, a.env, a.spID, "BaseAddress", tc.base, "SecretToken", "sim-token-transport")
			a.start(t)
			runEngine(t, a.env, 0)
			st := jobStatus(t, a.env, a.spID, a.jobID)
			if str(st, "lastExecution.state") != "Failed" || str(st, "lastExecution.error.code") != "SystemForCrossDomainIdentityManagementServiceUnreachable" ||
				!strings.Contains(str(st, "lastExecution.error.message"), tc.text) || num(st, "countSuccessiveCompleteFailures") != 1 {
				t.Fatalf("%s: %v", tc.name, st)
			}
		})
	}
}
