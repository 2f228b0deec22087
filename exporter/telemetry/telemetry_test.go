package telemetry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Every self-metric must carry the fixed prefix and be documented.
func TestEverySelfMetricIsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "exporter", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	m := New(reg)
	// Touch the vectors so that they have a series to gather.
	m.OperationErrors.WithLabelValues(OpJobs, "throttled")
	m.GraphRequests.WithLabelValues("200")
	m.MalformedValues.WithLabelValues("job")
	m.OperationSuccess.WithLabelValues(OpJobs)
	m.OperationLastOK.WithLabelValues(OpJobs)
	m.TenantInfo.WithLabelValues("t", "global")
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(mfs) < 21 {
		t.Fatalf("gathered %d self-metric families, want all 21", len(mfs))
	}
	for _, mf := range mfs {
		name := mf.GetName()
		if !strings.HasPrefix(name, "entra_provisioning_exporter_") {
			t.Errorf("%s lacks the prefix entra_provisioning_exporter_", name)
		}
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("%s is not documented in docs/exporter/metrics.md", name)
		}
	}
}

// Whole-request 429s and $batch item 429s both count as throttled; only
// whole requests count as requests.
func TestThrottledCountsRequestsAndBatchItems(t *testing.T) {
	m := New(prometheus.NewRegistry())
	m.ObserveResponse(200)
	m.ObserveResponse(429)
	m.ObserveResponse(0)
	m.ObserveBatchItem(429)
	m.ObserveBatchItem(429)
	m.ObserveBatchItem(200)
	if v := testutil.ToFloat64(m.GraphThrottled); v != 3 {
		t.Errorf("throttled = %v, want 3 (one request, two items)", v)
	}
	if v := testutil.ToFloat64(m.GraphRequests.WithLabelValues("none")); v != 1 {
		t.Errorf("requests{code=none} = %v, want 1", v)
	}
	if n := testutil.CollectAndCount(m.GraphRequests); n != 3 {
		t.Errorf("request status series = %d, want 3 (200, 429, none); items are not requests", n)
	}
}

// The self-metrics the product interface promises, with their labels.
func TestInterfaceSelfMetricsExist(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := New(reg)
	m.ObserveResponse(200)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, mf := range mfs {
		var labels []string
		if len(mf.GetMetric()) > 0 {
			for _, l := range mf.GetMetric()[0].GetLabel() {
				labels = append(labels, l.GetName())
			}
		}
		got[mf.GetName()] = strings.Join(labels, ",")
	}
	for name, labels := range map[string]string{
		"entra_provisioning_exporter_poll_success":                   "",
		"entra_provisioning_exporter_last_poll_timestamp_seconds":    "",
		"entra_provisioning_exporter_poll_duration_seconds":          "",
		"entra_provisioning_exporter_graph_requests_total":           "code",
		"entra_provisioning_exporter_graph_throttled_requests_total": "",
	} {
		if l, ok := got[name]; !ok || l != labels {
			t.Errorf("%s: present %v with labels %q, want labels %q", name, ok, l, labels)
		}
	}
}
