package jobstatus

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const quarantinedJob = `{
 "id":"scim.0c1b2a.5b1f", "templateId":"scim",
 "schedule":{"expiration":null,"interval":"PT40M","state":"Active"},
 "status":{"code":"Quarantine","countSuccessiveCompleteFailures":"7","escrowsPruned":false,
  "lastExecution":{"state":"Failed","timeBegan":"2026-11-20T10:00:00Z","timeEnded":"2026-11-20T10:00:42.5Z",
    "countEscrowed":12,"countExported":0,"countImported":30,"error":{"code":"SystemForCrossDomainIdentityManagementServiceIncompatible","message":"x","tenantActionable":true}},
  "lastSuccessfulExecution":{"state":"Succeeded","timeBegan":"2026-11-19T09:00:00Z","timeEnded":"2026-11-19T09:01:00Z"},
  "quarantine":{"currentBegan":"2026-11-20T10:00:43Z","nextAttempt":"2026-11-21T10:00:43Z","reason":"EncounteredQuarantineException",
    "seriesBegan":"2026-11-19T12:00:00Z","seriesCount":3,"error":{"code":"HttpUnauthorized"}},
  "steadyStateFirstAchievedTime":"0001-01-01T00:00:00Z","steadyStateLastAchievedTime":"2026-11-19T09:01:00Z",
  "synchronizedEntryCountByType":[{"key":"user to User","value":2},{"key":"group to Group","value":1}]}}`

func unix(s string) float64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return float64(t.UnixNano()) / 1e9
}

func TestParseQuarantinedJob(t *testing.T) {
	j, err := Parse([]byte(quarantinedJob))
	if err != nil {
		t.Fatal(err)
	}
	if j.ID != "scim.0c1b2a.5b1f" || j.TemplateID != "scim" || j.Code != "Quarantine" || j.ScheduleState != "Active" {
		t.Fatalf("identity/status fields wrong: %+v", j)
	}
	if j.ScheduleInterval != some(2400) {
		t.Errorf("interval = %+v, want 2400s", j.ScheduleInterval)
	}
	if j.ConsecutiveFailures != some(7) {
		t.Errorf("string-encoded int64 not accepted: %+v", j.ConsecutiveFailures)
	}
	le := j.LastExecution
	if le == nil || le.State != "Failed" || le.Escrowed != some(12) || le.Imported != some(30) || le.ErrorCode != "SystemForCrossDomainIdentityManagementServiceIncompatible" {
		t.Fatalf("lastExecution = %+v", le)
	}
	if d := le.Duration(); d != some(42.5) {
		t.Errorf("duration = %+v, want 42.5", d)
	}
	q := j.Quarantine
	if q == nil || q.Reason != "EncounteredQuarantineException" || q.ErrorCode != "HttpUnauthorized" {
		t.Fatalf("quarantine = %+v", q)
	}
	if q.Since() != some(unix("2026-11-19T12:00:00Z")) || q.NextAttempt != some(unix("2026-11-21T10:00:43Z")) {
		t.Errorf("quarantine times = %+v", q)
	}
	if j.SteadyStateFirstAchieved.Valid {
		t.Errorf("sentinel 0001-01-01 exported as %v", j.SteadyStateFirstAchieved.Value)
	}
	if j.SteadyStateLastAchieved != some(unix("2026-11-19T09:01:00Z")) {
		t.Errorf("steady state last = %+v", j.SteadyStateLastAchieved)
	}
	if !reflect.DeepEqual(j.SynchronizedEntries, map[string]float64{"user to User": 2, "group to Group": 1}) {
		t.Errorf("entries = %v", j.SynchronizedEntries)
	}
	if len(j.Problems) != 0 {
		t.Errorf("unexpected problems %v", j.Problems)
	}
}

func TestParseNewJobSentinels(t *testing.T) {
	// A freshly created job as the docs show it: TimeSpan.MaxValue interval,
	// DateTime.MinValue times, an execution placeholder that never ran.
	raw := `{"id":"scim.a.b","templateId":"scim","schedule":{"interval":"P10675199DT2H48M5.4775807S","state":"Disabled"},
	 "status":{"code":"NotConfigured","countSuccessiveCompleteFailures":0,"quarantine":null,
	  "lastExecution":{"state":null,"timeBegan":"0001-01-01T00:00:00Z","timeEnded":"0001-01-01T00:00:00Z"},
	  "lastSuccessfulExecution":null,"steadyStateLastAchievedTime":"0001-01-01T00:00:00Z"}}`
	j, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if j.ScheduleInterval.Valid {
		t.Errorf("TimeSpan.MaxValue exported as %v", j.ScheduleInterval.Value)
	}
	if j.LastExecution != nil || j.LastSuccessfulExecution != nil || j.Quarantine != nil {
		t.Errorf("placeholders should be absent: %+v %+v %+v", j.LastExecution, j.LastSuccessfulExecution, j.Quarantine)
	}
	if j.SteadyStateLastAchieved.Valid {
		t.Error("sentinel steady state exported")
	}
	if j.ConsecutiveFailures != some(0) {
		t.Errorf("zero failures must be a real value, got %+v", j.ConsecutiveFailures)
	}
}

func TestParseMalformedFieldsAreDroppedNotFatal(t *testing.T) {
	raw := `{"id":"j1","schedule":{"interval":"forty minutes","state":7},
	 "status":{"code":"Active","countSuccessiveCompleteFailures":{"x":1},
	  "lastExecution":{"state":"Succeeded","timeBegan":"yesterday","timeEnded":"2026-11-20T10:00:00Z","countExported":"many"},
	  "synchronizedEntryCountByType":"oops"}}`
	j, err := Parse([]byte(raw))
	if err != nil {
		t.Fatalf("malformed fields must not reject the job: %v", err)
	}
	if j.Code != "Active" || j.LastExecution == nil || j.LastExecution.Ended != some(unix("2026-11-20T10:00:00Z")) {
		t.Errorf("good fields lost: %+v %+v", j, j.LastExecution)
	}
	if j.ScheduleInterval.Valid || j.ConsecutiveFailures.Valid || j.LastExecution.Began.Valid || j.LastExecution.Exported.Valid {
		t.Errorf("malformed values leaked: %+v %+v", j, j.LastExecution)
	}
	want := []string{
		"schedule.interval", "schedule.state", "status.countSuccessiveCompleteFailures",
		"status.lastExecution.countExported", "status.lastExecution.timeBegan", "status.synchronizedEntryCountByType",
	}
	if !reflect.DeepEqual(j.Problems, want) {
		t.Errorf("problems = %v, want %v", j.Problems, want)
	}
}

func TestParseRejectsNonObjects(t *testing.T) {
	for _, raw := range []string{`[]`, `"job"`, `42`, `{"id":`, `<html>`} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%s) accepted garbage", raw)
		}
	}
	if _, err := Parse([]byte(`[1]`)); !errors.Is(err, ErrNotAnObject) {
		t.Errorf("array: want ErrNotAnObject, got %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
		err  bool
	}{
		{"PT40M", 2400, true, false},
		{"PT20M", 1200, true, false},
		{"P1DT2H3M4.5S", 93784.5, true, false},
		{"P2W", 1209600, true, false},
		{"PT0S", 0, true, false},
		{MaxTimeSpan, 0, false, false},
		{"P10675199DT2H48M5S", 0, false, false},
		{"", 0, false, false},
		{"40m", 0, false, true},
		{"PT", 0, true, false},
		{"P1H", 0, false, true},
		{"PT5", 0, false, true},
	}
	for _, c := range cases {
		got, ok, err := ParseDuration(c.in)
		if (err != nil) != c.err || ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseDuration(%q) = %v, %v, %v; want %v, %v, err=%v", c.in, got, ok, err, c.want, c.ok, c.err)
		}
	}
}

func TestParseTimestampForms(t *testing.T) {
	for _, s := range []string{"2026-11-20T10:00:00Z", "2026-11-20T10:00:00.1234567Z", "2026-11-20T10:00:00", "2026-11-20T11:00:00+01:00"} {
		ts, ok, err := ParseTimestamp(s)
		if err != nil || !ok || ts.Truncate(time.Second) != time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) {
			t.Errorf("ParseTimestamp(%q) = %v %v %v", s, ts, ok, err)
		}
	}
	for _, s := range []string{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00", ""} {
		if _, ok, err := ParseTimestamp(s); ok || err != nil {
			t.Errorf("sentinel %q: ok=%v err=%v", s, ok, err)
		}
	}
}

func TestStrictRejectsWhatLenientDrops(t *testing.T) {
	raw := []byte(`{"id":"j","schedule":{"interval":"PT40M","state":"Active"},"status":{"code":"Active","countSuccessiveCompleteFailures":"many"}}`)
	j, err := Parse(raw)
	if err != nil || j.ConsecutiveFailures.Valid || j.ScheduleIntervalText != "PT40M" {
		t.Fatalf("lenient: %+v, %v; want the bad count dropped and the interval kept as PT40M", j, err)
	}
	if _, err := Parse(raw, Strict()); err == nil || !strings.Contains(err.Error(), "status.countSuccessiveCompleteFailures") {
		t.Errorf("strict: error %v, want one naming the malformed field", err)
	}
	never := []byte(`{"id":"j","schedule":{"interval":"` + MaxTimeSpan + `"},"status":{"lastExecution":{"state":"Failed","timeBegan":"2026-01-02T03:04:05Z","error":{"code":"None","message":""}}}}`)
	j, err = Parse(never, Strict())
	if err != nil || j.ScheduleInterval.Valid || j.ScheduleIntervalText != "" || HasError(j.LastExecution.ErrorCode) {
		t.Errorf("sentinels: %+v, %v; want no interval and no error", j, err)
	}
}
