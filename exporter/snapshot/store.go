// Package snapshot holds the exporter's cached view of Graph: the last known
// status of every monitored job and the counters accumulated from
// provisioning logs. The poller writes it in the background; the collector
// reads it on every scrape, so a scrape never waits for Graph.
package snapshot

import (
	"sort"
	"sync"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// ServicePrincipal identifies the enterprise application a job belongs to.
type ServicePrincipal struct {
	ID                    string
	AppID                 string
	DisplayName           string
	ApplicationTemplateID string
}

// JobEntry is one job with its service principal and when it was observed.
type JobEntry struct {
	ServicePrincipal ServicePrincipal
	Job              *jobstatus.Job
	ObservedAt       time.Time
}

// JobKey identifies a job.
type JobKey struct {
	ServicePrincipalID string
	JobID              string
}

// EventKey labels a provisioning-log event counter.
type EventKey struct {
	JobKey
	Action string
	Status string
}

// ErrorKey labels a provisioning-log error counter.
type ErrorKey struct {
	JobKey
	Code string
}

// Store is safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	jobs   map[string]map[string]*JobEntry // service principal id → job id → entry
	events map[EventKey]float64
	errors map[ErrorKey]float64
	// version counts changes, so readers can tell whether to re-render.
	version uint64
}

// New returns an empty store.
func New() *Store {
	return &Store{
		jobs:   map[string]map[string]*JobEntry{},
		events: map[EventKey]float64{},
		errors: map[ErrorKey]float64{},
	}
}

// SetServicePrincipalJobs replaces every job of one service principal with
// the given set: jobs that Graph no longer lists disappear from the metrics.
func (s *Store) SetServicePrincipalJobs(sp ServicePrincipal, jobs []*jobstatus.Job, observed time.Time) {
	m := make(map[string]*JobEntry, len(jobs))
	for _, j := range jobs {
		m[j.ID] = &JobEntry{ServicePrincipal: sp, Job: j, ObservedAt: observed}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	if len(m) == 0 {
		delete(s.jobs, sp.ID)
		return
	}
	s.jobs[sp.ID] = m
}

// Retain drops every service principal not in keep, with its log counters
// (used when discovery no longer finds it or a filter now excludes it).
func (s *Store) Retain(keep map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	for id := range s.jobs {
		if !keep[id] {
			delete(s.jobs, id)
		}
	}
	for k := range s.events {
		if !keep[k.ServicePrincipalID] {
			delete(s.events, k)
		}
	}
	for k := range s.errors {
		if !keep[k.ServicePrincipalID] {
			delete(s.errors, k)
		}
	}
}

// HasJob reports whether the job is monitored.
func (s *Store) HasJob(k JobKey) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.jobs[k.ServicePrincipalID][k.JobID]
	return ok
}

// AddCounts adds provisioning-log counts in one step.
func (s *Store) AddCounts(events map[EventKey]float64, errors map[ErrorKey]float64) {
	if len(events) == 0 && len(errors) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	for k, v := range events {
		s.events[k] += v
	}
	for k, v := range errors {
		s.errors[k] += v
	}
}

// JobCount returns the number of monitored jobs.
func (s *Store) JobCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, m := range s.jobs {
		n += len(m)
	}
	return n
}

// ServicePrincipalIDs returns the ids of service principals that have jobs, sorted.
func (s *Store) ServicePrincipalIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]string, 0, len(s.jobs))
	for id := range s.jobs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// View calls fn with the current contents under a read lock. fn must not
// keep or modify what it is given.
func (s *Store) View(fn func(jobs map[string]map[string]*JobEntry, events map[EventKey]float64, errors map[ErrorKey]float64)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn(s.jobs, s.events, s.errors)
}

// Version changes whenever the contents change.
func (s *Store) Version() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.version
}
