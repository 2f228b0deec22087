package poller

import (
	"context"
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi/graphapitest"
)

// The job lists are read one $batch worth at a time; when a whole call fails
// the poll stops there (no storm of failing calls), keeps what it read
// already and serves the last known values for the rest.
func TestPollReadsJobListsOneBatchAtATime(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, Config{})
	const sps = 45 // three $batch calls: 20 + 20 + 5
	for i := range sps {
		id := fmt.Sprintf("sp%02d", i)
		h.fake.PutSP(graphapitest.SP{ID: id, DisplayName: "App " + id, Jobs: []string{job("scim."+id, "Active", 0)}})
	}
	if err := h.poller.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	h.fake.ResetCounts()
	if err := h.poller.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if h.fake.Batches != 3 || h.fake.BatchItems != sps {
		t.Fatalf("one poll of %d service principals: %d $batch calls with %d items, want 3 with %d", sps, h.fake.Batches, h.fake.BatchItems, sps)
	}

	// Every job turns Quarantine; Graph fails the second $batch call.
	for i := range sps {
		id := fmt.Sprintf("sp%02d", i)
		h.fake.SetJobs(id, job("scim."+id, "Quarantine", 1))
	}
	calls := 0
	h.fake.BatchFail = func() error {
		calls++
		if calls == 2 {
			return &graphapi.Error{StatusCode: 503, Code: "ServiceUnavailable"}
		}
		return nil
	}
	h.fake.ResetCounts()
	if err := h.poller.Poll(ctx); err == nil {
		t.Fatal("a poll whose $batch call failed must report an error")
	}
	if calls != 2 {
		t.Errorf("$batch calls after a whole-call failure: %d, want 2 (stop at the failure)", calls)
	}
	if got := h.code(t, "sp00", "scim.sp00"); got != "Quarantine" {
		t.Errorf("first chunk, read before the failure: code=%q, want the fresh Quarantine", got)
	}
	if got := h.code(t, "sp44", "scim.sp44"); got != "Active" {
		t.Errorf("last chunk, never read: code=%q, want the last known Active", got)
	}
	if testutil.ToFloat64(h.metrics.PollSuccess) != 0 {
		t.Error("poll_success should be 0 after a failed $batch call")
	}
	if v := testutil.ToFloat64(h.metrics.OperationErrors.WithLabelValues("jobs", "server_error")); v != 1 {
		t.Errorf("jobs server_error count = %v, want 1 per failed poll", v)
	}
}
