package graph

import (
	"maps"
	"net/http"
	"sync"
)

// Counter counts HTTP attempts sent to Graph, per normalised route
// ("GET /servicePrincipals/{id}/synchronization/jobs/{id}") and per status
// code. Retries count as separate requests: they cost Graph quota too.
// Token requests to the authority are not counted. Safe for concurrent use.
type Counter struct {
	mu        sync.Mutex
	routes    map[string]int64
	statuses  map[int]int64
	throttled int64
}

// NewCounter returns an empty counter.
func NewCounter() *Counter {
	return &Counter{routes: map[string]int64{}, statuses: map[int]int64{}}
}

// Add records one attempt; status 0 means no answer (network error).
func (c *Counter) Add(route string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.routes[route]++
	c.statuses[status]++
	if status == http.StatusTooManyRequests {
		c.throttled++
	}
}

// Snapshot returns a copy of the per-route counts.
func (c *Counter) Snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.routes)
}

// ByStatus returns a copy of the per-status counts (0 = no answer).
func (c *Counter) ByStatus() map[int]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.statuses)
}

// Total returns the number of attempts recorded.
func (c *Counter) Total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, v := range c.routes {
		n += v
	}
	return n
}

// Throttled returns the number of 429 answers seen.
func (c *Counter) Throttled() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.throttled
}

// Reset clears all counts (benchmarks reset between phases).
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.routes)
	clear(c.statuses)
	c.throttled = 0
}
