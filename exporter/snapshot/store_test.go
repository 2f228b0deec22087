package snapshot

import (
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

func TestStoreReplaceRetainAndVersion(t *testing.T) {
	s := New()
	v0 := s.Version()
	now := time.Now()
	s.SetServicePrincipalJobs(ServicePrincipal{ID: "a"}, []*jobstatus.Job{{ID: "j1"}, {ID: "j2"}}, now)
	s.SetServicePrincipalJobs(ServicePrincipal{ID: "b"}, []*jobstatus.Job{{ID: "j3"}}, now)
	s.AddCounts(map[EventKey]float64{{JobKey: JobKey{"a", "j1"}, Action: "create", Status: "success"}: 2},
		map[ErrorKey]float64{{JobKey: JobKey{"b", "j3"}, Code: "E"}: 1})
	if s.JobCount() != 3 || !s.HasJob(JobKey{"a", "j2"}) || s.Version() == v0 {
		t.Fatalf("after adds: jobs=%d version=%d", s.JobCount(), s.Version())
	}
	// Replacing a service principal's jobs drops the ones Graph no longer lists.
	s.SetServicePrincipalJobs(ServicePrincipal{ID: "a"}, []*jobstatus.Job{{ID: "j1"}}, now)
	if s.HasJob(JobKey{"a", "j2"}) || s.JobCount() != 2 {
		t.Error("j2 survived replacement")
	}
	v := s.Version()
	s.AddCounts(nil, nil)
	if s.Version() != v {
		t.Error("an empty update must not invalidate rendered output")
	}
	// Retain drops service principals and their counters.
	s.Retain(map[string]bool{"a": true})
	var events, errs int
	s.View(func(_ map[string]map[string]*JobEntry, e map[EventKey]float64, r map[ErrorKey]float64) {
		events, errs = len(e), len(r)
	})
	if s.JobCount() != 1 || events != 1 || errs != 0 {
		t.Errorf("after Retain: jobs=%d events=%d errors=%d", s.JobCount(), events, errs)
	}
	if ids := s.ServicePrincipalIDs(); len(ids) != 1 || ids[0] != "a" {
		t.Errorf("ids = %v", ids)
	}
}
