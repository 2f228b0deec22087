package graphsim_test

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// logsApp provisions `assigned` users so that the log holds one create
// event per user.
func logsApp(t *testing.T, assigned int) *provisioningApp {
	t.Helper()
	a := newProvisioningApp(t, assigned, assigned, "logs")
	a.start(t)
	runEngine(t, a.env, 0)
	return a
}

func TestProvisioningLogsShapePagingAndOrder(t *testing.T) {
	a := logsApp(t, 12)
	env := a.env
	first := obj(t, mustGraph(t, env, 200, "GET", "/auditLogs/provisioning?$top=5", nil))
	page := first["value"].([]any)
	if len(page) != 5 || first["@odata.nextLink"] == nil {
		t.Fatalf("first page: %d events, nextLink %v", len(page), first["@odata.nextLink"])
	}
	ev := page[0].(map[string]any)
	for _, field := range []string{"id", "activityDateTime", "tenantId", "jobId", "cycleId", "changeId", "provisioningAction",
		"servicePrincipal", "sourceSystem", "targetSystem", "initiatedBy", "sourceIdentity", "targetIdentity",
		"modifiedProperties", "provisioningStatusInfo", "provisioningSteps", "durationInMilliseconds"} {
		if _, ok := ev[field]; !ok {
			t.Errorf("event lacks %s", field)
		}
	}
	if ev["provisioningAction"] != "create" || str(ev, "provisioningStatusInfo.status") != "success" || str(ev, "servicePrincipal.id") != a.spID ||
		ev["jobId"] != a.jobID || str(ev, "initiatedBy.initiatorType") != "system" || str(ev, "sourceIdentity.identityType") != "User" {
		t.Fatalf("event: %v", ev)
	}
	if _, err := time.Parse(time.RFC3339, ev["activityDateTime"].(string)); err != nil {
		t.Fatalf("activityDateTime: %v", err)
	}

	seen := map[string]bool{}
	var times []string
	next := first
	for pages := 0; ; pages++ {
		for _, e := range next["value"].([]any) {
			m := e.(map[string]any)
			if seen[m["id"].(string)] {
				t.Fatalf("event %s returned twice while paging", m["id"])
			}
			seen[m["id"].(string)] = true
			times = append(times, m["activityDateTime"].(string))
		}
		link, _ := next["@odata.nextLink"].(string)
		if link == "" {
			break
		}
		if !strings.Contains(link, "$skiptoken=") || !strings.Contains(link, "top=5") {
			t.Fatalf("nextLink must carry $skiptoken and keep $top: %s", link)
		}
		next = obj(t, mustGraph(t, env, 200, "GET", link, nil))
	}
	if len(seen) != 12 {
		t.Fatalf("paging returned %d distinct events, want 12", len(seen))
	}
	for i := 1; i < len(times); i++ {
		if times[i] > times[i-1] {
			t.Fatalf("default order must be activityDateTime desc: %v", times)
		}
	}
}

func TestProvisioningLogsFilterAndErrors(t *testing.T) {
	a := logsApp(t, 3)
	env := a.env
	// Read-only client: its own rate-limit bucket, and the API is a read.
	get := func(query string) (int, []byte) {
		return env.GraphReadOnly(t, "GET", "/auditLogs/provisioning?"+query, nil)
	}
	past := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	future := time.Now().Add(365 * 24 * time.Hour).UTC().Format("2006-01-02")
	for _, tc := range []struct {
		filter string
		want   int
	}{
		{"servicePrincipal/id eq '" + a.spID + "' and activityDateTime gt " + past, 3},
		{"activityDateTime ge " + future, 0},
		{"(servicePrincipal/id eq 'nope' or jobId eq '" + a.jobID + "') and provisioningStatusInfo/status eq 'success'", 3},
		{"contains(tolower(servicePrincipal/displayName), 'sync test')", 3},
	} {
		status, body := get("$filter=" + url.QueryEscape(tc.filter))
		if status != 200 || len(values(t, body)) != tc.want {
			t.Errorf("$filter=%s: %d, %d events, want %d: %s", tc.filter, status, len(values(t, body)), tc.want, body)
		}
	}
}

func TestProvisioningLogsBadQueriesAndThrottling(t *testing.T) {
	env := logsApp(t, 1).env
	for _, q := range []string{"$top=1001", "$top=0", "$filter=" + url.QueryEscape("color eq 'red'"), "$skiptoken=garbage!", "$orderby=id"} {
		if status, body := env.GraphReadOnly(t, "GET", "/auditLogs/provisioning?"+q, nil); status != 400 || errorCode(t, body) != "BadRequest" {
			t.Errorf("%s: %d %s", q, status, body)
		}
	}
	// The default client has made no log request yet: 5 pass, the 6th is
	// throttled (the limit is per app: the read-only client's requests above
	// do not count).
	for i := 1; i <= 6; i++ {
		status, body := env.Graph(t, "GET", "/auditLogs/provisioning?$top=1", nil)
		if (i <= 5 && status != 200) || (i == 6 && status != 429) {
			t.Fatalf("request %d: %d %s", i, status, body)
		}
	}
}
