package poller

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/internal/simfixture"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/telemetry"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// recordingClient notes what the poller asks of the real Graph client.
type recordingClient struct {
	graphapi.Client
	mu      sync.Mutex
	gets    []string
	batched []string
}

func (r *recordingClient) Get(ctx context.Context, path string, out any) error {
	r.mu.Lock()
	r.gets = append(r.gets, path)
	r.mu.Unlock()
	return r.Client.Get(ctx, path, out)
}

func (r *recordingClient) Batch(ctx context.Context, reqs []graphapi.BatchRequest) ([]graphapi.BatchResponse, error) {
	r.mu.Lock()
	for _, q := range reqs {
		r.batched = append(r.batched, q.URL)
	}
	r.mu.Unlock()
	return r.Client.Batch(ctx, reqs)
}

// TestSimulatorDiscoveryShapeAndRequestsPerPoll checks, against the
// simulator's own request counts, that discovery lists service principals
// with $select and reads their jobs through $batch, and that a poll with
// discovery cached costs ⌈N/20⌉ $batch calls plus one provisioning-log page.
func TestSimulatorDiscoveryShapeAndRequestsPerPoll(t *testing.T) {
	const jobs = 45
	env := simtest.Start(t, graphsim.Options{Users: 2, Groups: 1})
	for i := range jobs {
		simfixture.NewApp(t, env, fmt.Sprintf("App %02d", i), "shape", 0, true)
	}
	rec := &recordingClient{Client: simfixture.Client(t, simfixture.GraphConfig(env))}
	store := snapshot.New()
	p := New(rec, store, telemetry.New(prometheus.NewRegistry()), nil, Config{
		PollInterval: time.Minute, DiscoveryInterval: time.Hour,
	})
	ctx := context.Background()
	if err := p.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	if store.JobCount() != jobs {
		t.Fatalf("discovered %d jobs, want %d", store.JobCount(), jobs)
	}
	if len(rec.gets) == 0 || !strings.HasPrefix(rec.gets[0], "/servicePrincipals?$select=id,appId,displayName,applicationTemplateId") {
		t.Errorf("discovery did not list service principals with $select: %v", rec.gets)
	}
	for _, u := range rec.batched {
		if !strings.HasSuffix(u, "/synchronization/jobs") {
			t.Errorf("discovery batched %q, want only job lists", u)
		}
	}

	if err := env.Admin.ResetRequests(); err != nil {
		t.Fatal(err)
	}
	if err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	rc, err := env.Admin.RequestCounts()
	if err != nil {
		t.Fatal(err)
	}
	// The simulator counts $batch items under their own routes too; HTTP
	// requests are the envelopes plus what was not batched.
	batches := rc.Routes["POST /v1.0/$batch"]
	logs := rc.Routes["GET /v1.0/auditLogs/provisioning"]
	want := int(math.Ceil(jobs / 20.0))
	if batches != want || logs != 1 {
		t.Errorf("one poll of %d jobs: %d $batch calls and %d log pages, want %d and 1; routes: %v", jobs, batches, logs, want, rc.Routes)
	}
	t.Logf("routes: %v", rc.Routes)
	for route, n := range rc.Routes {
		if strings.Contains(route, "/servicePrincipals") && !strings.HasSuffix(route, "/synchronization/jobs") && n > 0 {
			t.Errorf("poll with discovery cached sent %d × %s", n, route)
		}
	}
}
