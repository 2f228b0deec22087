package poller

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
)

func TestLogEventParsingToleratesGarbage(t *testing.T) {
	r := newLogReader(nil, LogConfig{MaxErrorCodes: 5}, time.Now())
	monitored := func(k snapshot.JobKey) bool { return k.ServicePrincipalID == "sp" }
	c := logCounts{events: map[snapshot.EventKey]float64{}, errors: map[snapshot.ErrorKey]float64{}}
	raws := []string{
		`"not an object"`,
		`{"id":"1","activityDateTime":"yesterday","jobId":"j","servicePrincipal":{"id":"sp"}}`,
		`{"id":"2","activityDateTime":"2026-11-20T10:00:00Z","jobId":"j","servicePrincipal":"sp"}`,
		`{"activityDateTime":"2026-11-20T10:00:00Z","jobId":"j","servicePrincipal":{"id":"sp"}}`,
		`{"id":"3","activityDateTime":"2026-11-20T10:00:01Z","jobId":"j","servicePrincipal":{"id":"sp"},"provisioningAction":"StagedDelete",
		  "provisioningStatusInfo":{"status":"FAILURE","errorInformation":{"errorCode":"  "}}}`,
		`{"id":"4","activityDateTime":"2026-11-20T10:00:02Z","jobId":"j","servicePrincipal":{"id":"sp"},"provisioningAction":"create","provisioningStatusInfo":null}`,
		// The same event again (it is inside the overlap on the next read): counted once.
		`{"id":"4","activityDateTime":"2026-11-20T10:00:02Z","jobId":"j","servicePrincipal":{"id":"sp"},"provisioningAction":"create","provisioningStatusInfo":null}`,
	}
	var newest time.Time
	for _, raw := range raws {
		if at, ok := r.count(json.RawMessage(raw), monitored, &c); ok && at.After(newest) {
			newest = at
		}
	}
	if c.malformed != 4 {
		t.Errorf("malformed = %d, want 4 (non-object, bad time, wrong servicePrincipal type, no id)", c.malformed)
	}
	key := snapshot.JobKey{ServicePrincipalID: "sp", JobID: "j"}
	want := map[snapshot.EventKey]float64{
		{JobKey: key, Action: "stagedDelete", Status: "failure"}: 1,
		{JobKey: key, Action: "create", Status: "unrecognized"}:  1,
	}
	if len(c.events) != len(want) {
		t.Fatalf("events = %v", c.events)
	}
	for k, v := range want {
		if c.events[k] != v {
			t.Errorf("events[%v] = %v, want %v", k, c.events[k], v)
		}
	}
	if c.errors[snapshot.ErrorKey{JobKey: key, Code: "unknown"}] != 1 {
		t.Errorf("a failure without an error code must count as unknown: %v", c.errors)
	}
	if !newest.Equal(time.Date(2026, 11, 20, 10, 0, 2, 0, time.UTC)) {
		t.Errorf("newest usable event time = %v", newest)
	}
}

// The error-code cap is per job: one job with many distinct codes folds its
// own extra codes into "other" without taking label values from other jobs.
func TestErrorCodeCapIsPerJob(t *testing.T) {
	r := newLogReader(nil, LogConfig{MaxErrorCodes: 2}, time.Now())
	noisy := snapshot.JobKey{ServicePrincipalID: "sp", JobID: "noisy"}
	quiet := snapshot.JobKey{ServicePrincipalID: "sp", JobID: "quiet"}
	for _, code := range []string{"A", "B", "C", "D"} {
		if _, folded := r.errorLabel(noisy, code); folded != (code == "C" || code == "D") {
			t.Errorf("noisy job, code %s: folded = %v", code, folded)
		}
	}
	for _, code := range []string{"C", "D"} {
		if label, folded := r.errorLabel(quiet, code); folded || label != code {
			t.Errorf("quiet job, code %s: label %q folded %v; the noisy job used up its own slots only", code, label, folded)
		}
	}
	if label, _ := r.errorLabel(noisy, "A"); label != "A" {
		t.Errorf("a code the job already has keeps its label, got %q", label)
	}
}
