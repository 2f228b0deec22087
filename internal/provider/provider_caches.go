package provider

import (
	"sync"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// providerCaches is what one provider configuration remembers between the
// calls Terraform makes on it. Terraform configures a provider afresh for
// every walk (plan, apply), so nothing here outlives one command, and an
// aliased configuration has caches of its own. Entries are put by the code
// that read them — never as a side effect of a finder — and dropped by the
// writes that change them.
type providerCaches struct {
	// jobSchemas holds the schema a refresh read (ReadResource) for the
	// plan of the same resource that Terraform asks for right after it
	// (PlanResourceChange), so a plan costs one schema GET, not two.
	jobSchemas ttlCache[[]byte]
	// syncTemplates holds each service principal's synchronization
	// templates; the list is fixed by the application, so the plan-time
	// mapping check and Create share one read.
	syncTemplates ttlCache[[]entra.SyncTemplate]
}

// cacheTTL bounds every entry. It only has to bridge a refresh and the plan
// right after it; a long walk over many resources reads again.
const cacheTTL = 30 * time.Second

func newProviderCaches() *providerCaches {
	return &providerCaches{
		jobSchemas:    ttlCache[[]byte]{ttl: cacheTTL},
		syncTemplates: ttlCache[[]entra.SyncTemplate]{ttl: cacheTTL},
	}
}

func jobKey(spID, jobID string) string { return spID + "/" + jobID }

// ttlCache is a small map whose entries expire after ttl.
type ttlCache[V any] struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]ttlEntry[V]
}

type ttlEntry[V any] struct {
	value V
	at    time.Time
}

func (c *ttlCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Since(e.at) > c.ttl {
		var zero V
		return zero, false
	}
	return e.value, true
}

func (c *ttlCache[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]ttlEntry[V]{}
	}
	c.m[key] = ttlEntry[V]{value: v, at: time.Now()}
}

func (c *ttlCache[V]) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}
