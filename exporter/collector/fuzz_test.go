package collector

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// FuzzJobToExposition feeds arbitrary job JSON through the parser and the
// renderer: whatever Graph sends, the exporter must not panic, must emit
// valid exposition text, and must never publish a sentinel
// (DateTime.MinValue, TimeSpan.MaxValue), NaN or infinity.
// `go test` runs the seeds; `go test -fuzz FuzzJobToExposition` explores.
func FuzzJobToExposition(f *testing.F) {
	for _, seed := range []string{
		quarantined, fresh,
		`{"id":"j","status":{"code":"Active","lastExecution":{"timeBegan":"0001-01-01T00:00:00Z","timeEnded":"0001-01-01T00:00:00.0000000Z","countEscrowed":1e400}}}`,
		`{"id":"j","schedule":{"interval":"P10675199DT2H48M5.4775807S"},"status":{"quarantine":{"seriesBegan":"","nextAttempt":null}}}`,
		`{"id":"j\n\"x","templateId":{"a":1},"status":{"code":["Active"],"synchronizedEntryCountByType":[{"key":"user to User","value":"NaN"}]}}`,
		`{"id":"j","schedule":{"interval":"P99999999999999D"},"status":{"countSuccessiveCompleteFailures":-1}}`,
		`[]`, `null`, `"garbage"`, `{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		j, err := jobstatus.Parse(raw)
		if err != nil || j == nil {
			return
		}
		store := snapshot.New()
		store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp", DisplayName: "fuzz"}, []*jobstatus.Job{j}, time.Unix(1795000000, 0))
		text := Render(store)
		p := expfmt.NewTextParser(model.UTF8Validation)
		mfs, err := p.TextToMetricFamilies(bytes.NewReader(text))
		if err != nil {
			t.Fatalf("invalid exposition for %q: %v\n%s", raw, err, text)
		}
		for name, mf := range mfs {
			for _, m := range mf.GetMetric() {
				v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
				// Year 1 (DateTime.MinValue) is -62135596800 s; TimeSpan.MaxValue 922337203685.48 s.
				sentinel := strings.HasSuffix(name, "_seconds") && (v <= -62135596800 || v >= 922337203684)
				if math.IsNaN(v) || math.IsInf(v, 0) || sentinel {
					t.Errorf("%s = %g for input %q: sentinel, NaN or infinity exported", name, v, raw)
				}
			}
		}
	})
}
