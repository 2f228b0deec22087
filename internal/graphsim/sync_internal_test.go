package graphsim

import (
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

func TestEvaluator(t *testing.T) {
	attrs := map[string]any{
		"givenName": "Zoë", "surname": "Ørsted", "mail": "zoe@contoso.com", "department": "Sales",
		"userPrincipalName": "zoe.orsted@contoso.onmicrosoft.com", "accountEnabled": true, "IsSoftDeleted": false,
		"proxyAddresses": []any{"SMTP:a@x", "smtp:b@x", "SMTP:a@x"}, "employeeId": "42",
	}
	env := &evalEnv{attr: caseInsensitive(attrs), now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, tc := range []struct {
		expr string
		want any
	}{
		{`[givenName]`, "Zoë"},
		{`[GIVENNAME]`, "Zoë"},
		{`"constant"`, "constant"},
		{`Append([mail], ".test")`, "zoe@contoso.com.test"},
		{`Prepend("x-", [department])`, "x-Sales"},
		{`Join(".", [givenName], [missing], [surname])`, "Zoë.Ørsted"},
		{`NormalizeDiacritics(Join(" ", [givenName], [surname]))`, "Zoe Orsted"},
		{`Mid([userPrincipalName], 1, 3)`, "zoe"},
		{`Left([department], 2)`, "Sa"},
		{`Replace([mail], , "@.*$", , "@example.org", , )`, "zoe@example.org"},
		{`Replace([department], "Sa", , , "Ba", , )`, "Bales"},
		{`Switch([department], "Other", "Sales", "S", "IT", "I")`, "S"},
		{`Switch([department], "Other", "IT", "I")`, "Other"},
		{`Switch([IsSoftDeleted], , "False", "True", "True", "False")`, "True"},
		{`IIF([employeeId] > "10", "big", "small")`, "big"},
		{`IIF([missing] = "x", "yes", "no")`, "no"},
		{`Coalesce([missing], [mail])`, "zoe@contoso.com"},
		{`ToUpper([department])`, "SALES"},
		{`StripSpaces("a b c")`, "abc"},
		{`Not([accountEnabled])`, "False"},
		{`IsNullOrEmpty([missing])`, "True"},
		{`IsPresent([mail])`, "True"},
		{`Count([proxyAddresses])`, "3"},
		{`Item([proxyAddresses], 2)`, "smtp:b@x"},
		{`RemoveDuplicates([proxyAddresses])`, []string{"SMTP:a@x", "smtp:b@x"}},
		{`Word("a,b;c", 3, ",;")`, "c"},
		{`PCase("hello WORLD")`, "Hello World"},
		{`InStr("abcabc", "c", 4)`, "6"},
		{`BitAnd(&HF, 6)`, "6"},
		{`ConvertToBase64("Hello world!")`, "SABlAGwAbABvACAAdwBvAHIAbABkACEA"},
		{`ConvertToUTF8Hex("Hi")`, "4869"},
		{`FormatDateTime("20250102030405.0Z", , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`, "2025-01-02"},
		{`FormatDateTime("20250102030405.0Z", "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`, "2025-01-02"},
		{`DateAdd("d", 3, "2025-01-30T00:00:00Z")`, "2025-02-02T00:00:00Z"},
		{`DateFromNum(129699324000000000)`, "2012-01-01T23:00:00Z"},
		{`NumFromDate("2012-01-01T23:00:00Z")`, "129699324000000000"},
		{`Split("a,b", ",")`, []string{"a", "b"}},
		{`IgnoreFlowIfNullOrEmpty([missing])`, nil},
		{`Append([missing], "x")`, nil},
	} {
		n, err := expression.Parse(tc.expr)
		if err != nil {
			t.Errorf("%s: parse: %v", tc.expr, err)
			continue
		}
		got, err := evaluate(n, env)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.expr, got, tc.want)
		}
	}
	for _, bad := range []string{`Mid([mail], "x", 2)`, `Frobnicate([mail])`, `Replace([mail], , "(", , "x", , )`} {
		n, err := expression.Parse(bad)
		if err != nil {
			t.Fatalf("%s: parse: %v", bad, err)
		}
		if _, err := evaluate(n, env); err == nil {
			t.Errorf("%s: evaluation should fail", bad)
		}
	}
}

func TestSCIMPaths(t *testing.T) {
	doc := map[string]any{"schemas": []any{coreUserSchema}}
	sets := []struct {
		path  string
		value any
	}{
		{"userName", "ada"},
		{"name.givenName", "Ada"},
		{`emails[type eq "work"].value`, "ada@x"},
		{`addresses[type eq "work"].country`, "DK"},
		{`addresses[type eq "work"].locality`, "Aarhus"},
		{`roles[primary eq "True"].value`, "admin"},
		{enterpriseUserSchema + ":department", "R&D"},
		{enterpriseUserSchema + ":manager", map[string]any{"value": "m1"}},
		{coreUserSchema + ":displayName", "Ada L"},
	}
	for _, s := range sets {
		if err := scimSet(doc, s.path, s.value); err != nil {
			t.Fatalf("set %s: %v", s.path, err)
		}
	}
	for _, s := range sets {
		if got := scimGet(doc, s.path); !reflect.DeepEqual(got, s.value) {
			t.Errorf("get %s = %v, want %v", s.path, got, s.value)
		}
	}
	if addrs := doc["addresses"].([]any); len(addrs) != 1 {
		t.Errorf("two attributes of the same filtered element must share it: %v", addrs)
	}
	if doc["displayName"] != "Ada L" || !reflect.DeepEqual(doc["schemas"], []any{coreUserSchema, enterpriseUserSchema}) {
		t.Errorf("core URN prefix or extension schema registration: %v", doc)
	}
	if roles := doc["roles"].([]any); roles[0].(map[string]any)["primary"] != true {
		t.Errorf(`filter literal "True" must become a boolean: %v`, roles)
	}
	if err := applyPatchOp(doc, map[string]any{"op": "Remove", "path": `emails[type eq "work"]`}); err != nil || len(doc["emails"].([]any)) != 0 {
		t.Errorf("remove a filtered element: %v %v", err, doc["emails"])
	}
	for _, bad := range []string{"", "urn:x:", `emails[type "work"].value`} {
		if _, err := parseSCIMPath(bad); err == nil {
			t.Errorf("path %q should be rejected", bad)
		}
	}
}

func TestProvisioningLogIsBounded(t *testing.T) {
	l := newProvisioningLog(100)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 250; i++ {
		l.add(provisioningEvent{id: string(rune('a' + i%26)), at: base.Add(time.Duration(i) * time.Second)})
	}
	if l.len() != 100 || cap(l.buf) != 100 {
		t.Fatalf("ring holds %d (cap %d), want 100", l.len(), cap(l.buf))
	}
	var seqs []uint64
	l.each(func(e *provisioningEvent) { seqs = append(seqs, e.seq) })
	if seqs[0] != 151 || seqs[99] != 250 {
		t.Fatalf("oldest-first iteration should cover seq 151..250, got %d..%d", seqs[0], seqs[99])
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("iteration out of order at %d: %v", i, seqs[i-1:i+1])
		}
	}
}

func TestRateLimiterAndThrottleResponse(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(5, 10*time.Second)
	l.now = func() time.Time { return now }
	for i := 0; i < 5; i++ {
		if ok, _ := l.allow("app"); !ok {
			t.Fatalf("request %d refused", i+1)
		}
		now = now.Add(time.Second)
	}
	ok, wait := l.allow("app")
	if ok || wait != 5*time.Second {
		t.Fatalf("sixth request: ok=%v wait=%v, want refused with 5s", ok, wait)
	}
	if ok, _ := l.allow("other-app"); !ok {
		t.Fatalf("limits are per key")
	}
	now = now.Add(5 * time.Second)
	if ok, _ := l.allow("app"); !ok {
		t.Fatalf("the window should have slid")
	}
	rec := httptest.NewRecorder()
	writeThrottled(rec, httptest.NewRequest("GET", "/", nil), 1500*time.Millisecond, "x")
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("throttle response: %d Retry-After=%q", rec.Code, rec.Header().Get("Retry-After"))
	}
}

func TestJobModelHelpers(t *testing.T) {
	for d, want := range map[time.Duration]string{40 * time.Minute: "PT40M", 24 * time.Hour: "P1D", 90 * time.Minute: "PT1H30M", 26*time.Hour + 5*time.Second: "P1DT2H5S"} {
		if got := formatISODuration(d); got != want {
			t.Errorf("formatISODuration(%v) = %s, want %s", d, got, want)
		}
	}
	var delays []string
	for n := int64(1); n <= 7; n++ {
		delays = append(delays, quarantineBackoff(40*time.Minute, n).String())
	}
	if got := strings.Join(delays, " "); got != "1h20m0s 2h40m0s 5h20m0s 10h40m0s 21h20m0s 24h0m0s 24h0m0s" {
		t.Errorf("quarantine back-off: %s", got)
	}
	scope, err := parseResetScope(" Watermark ,Escrows")
	if err != nil || !scope["Watermark"] || !scope["Escrows"] || len(scope) != 2 {
		t.Errorf("parseResetScope: %v %v", scope, err)
	}
	j := &syncJob{exported: map[string]exportedEntry{"u": {targetID: "t", hash: 7}}, quarantine: &quarantineState{}, successiveFailures: 4}
	j.applyRestart(map[string]bool{"Watermark": true})
	if j.exported["u"].hash != 0 || j.exported["u"].targetID != "t" || !j.needsFull || j.quarantine == nil {
		t.Errorf("Watermark resets only the watermark: %+v", j)
	}
	j.applyRestart(map[string]bool{"QuarantineState": true})
	if j.quarantine != nil || j.successiveFailures != 0 {
		t.Errorf("QuarantineState clears quarantine and failures")
	}
	j.applyRestart(map[string]bool{"Full": true})
	if j.exported != nil {
		t.Errorf("Full clears the connector data store")
	}
}
