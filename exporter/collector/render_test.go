package collector

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// Render must publish exactly what the Collector publishes; testutil
// compares the rendered text with a registry holding the Collector.
func TestRenderMatchesCollector(t *testing.T) {
	store := fillStore(t, 50)
	// Label values that need escaping must survive the hand-written renderer.
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp-esc", DisplayName: "Quote \" back\\slash\nnewline"},
		[]*jobstatus.Job{mustParse(t, fresh)}, time.Unix(1795000000, 0))
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(New(store))
	gathered, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	rendered, err := p.TextToMetricFamilies(bytes.NewReader(Render(store)))
	if err != nil {
		t.Fatalf("rendered text does not parse: %v", err)
	}
	if len(rendered) != len(gathered) {
		t.Errorf("rendered %d families, collector %d", len(rendered), len(gathered))
	}
	for _, want := range gathered {
		got := rendered[want.GetName()]
		if got == nil {
			t.Errorf("family %s missing from rendered text", want.GetName())
			continue
		}
		if got.GetHelp() != want.GetHelp() || got.GetType() != want.GetType() {
			t.Errorf("%s: help/type differ", want.GetName())
		}
		if a, b := sampleSet(got), sampleSet(want); a != b {
			t.Errorf("%s samples differ:\nrendered:  %s\ncollector: %s", want.GetName(), a, b)
		}
	}
}

// sampleSet is a canonical string of a family's samples (label order and
// series order normalised).
func sampleSet(mf *dto.MetricFamily) string {
	var lines []string
	for _, m := range mf.GetMetric() {
		var ls []string
		for _, l := range m.GetLabel() {
			ls = append(ls, l.GetName()+"="+strconv.Quote(l.GetValue()))
		}
		sort.Strings(ls)
		v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
		lines = append(lines, strings.Join(ls, ",")+" "+strconv.FormatFloat(v, 'g', -1, 64))
	}
	sort.Strings(lines)
	return strings.Join(lines, "; ")
}

func TestRenderIsValidExposition(t *testing.T) {
	store := fillStore(t, 20)
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(Render(store)))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(mfs["entra_provisioning_job_info"].GetMetric()); got != 20 {
		t.Errorf("job_info series = %d, want 20", got)
	}
}

func TestCacheHandlerServesSelfAndJobMetrics(t *testing.T) {
	store := snapshot.New()
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp1", DisplayName: "myPolicies"},
		[]*jobstatus.Job{mustParse(t, quarantined)}, time.Now())
	self := prometheus.NewRegistry()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "entra_provisioning_exporter_poll_success", Help: "x"})
	g.Set(1)
	self.MustRegister(g)
	cache := NewCache(store)
	cache.Refresh()
	srv := httptest.NewServer(cache.Handler(self, nil))
	defer srv.Close()

	for _, gz := range []bool{true, false} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		// A bare Transport so the test sees the raw encoding.
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body := resp.Body
		if gz {
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatal("gzip not used")
			}
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		text, _ := io.ReadAll(body)
		resp.Body.Close()
		p := expfmt.NewTextParser(model.UTF8Validation)
		mfs, err := p.TextToMetricFamilies(bytes.NewReader(text))
		if err != nil {
			t.Fatalf("gzip=%v: invalid exposition: %v\n%s", gz, err, text)
		}
		if mfs["entra_provisioning_exporter_poll_success"] == nil || mfs["entra_provisioning_job_quarantined"] == nil {
			t.Errorf("gzip=%v: self or job metrics missing; families: %d", gz, len(mfs))
		}
	}

	// After the store changes, Refresh publishes the change.
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp1"}, nil, time.Now())
	cache.Refresh()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(text), "entra_provisioning_job_quarantined") {
		t.Error("deleted job still served after Refresh")
	}
}
