package graphsim

import (
	"crypto/x509"
	"net/http"
	"sync"
	"time"
)

// syncState holds synchronization jobs, secrets, schemas, the engine's
// bookkeeping and provisioning logs. Owned by the synchronization half; every
// field is guarded by Sim.mu except scim (own lock), which SCIM target
// requests use so that the engine can call targets without holding Sim.mu.
type syncState struct {
	// sps is the synchronization side of each service principal, by SP id.
	sps map[string]*spSync
	// templates are the synchronization templates, by template id; built once
	// from the embedded scim schema and shared read-only by every job that
	// keeps its template's default schema.
	templates map[string]*syncTemplate
	// engine schedules cycles for every active job (one heap, no goroutine
	// per job).
	engine *engine
	// logs are the tenant's provisioning events (bounded ring buffer).
	logs *provisioningLog
	// scim holds the simulator's SCIM targets under /_sim/scim/{name}/; use
	// s.scimStore(), which creates it without Sim.mu.
	scim     *scimTargets
	scimOnce sync.Once
	// onDemand and auditLog implement Graph's 5-requests-per-10-s limits.
	onDemand *rateLimiter
	auditLog *rateLimiter
	// targetCAs are the certificates the engine trusts when it calls a
	// tenant URL (the simulator's own CA, so that its SCIM targets work).
	targetCAs *x509.CertPool
	// client is the engine's HTTP client, built lazily from targetCAs.
	client *http.Client
}

// spSync is the synchronization state of one service principal.
type spSync struct {
	spID                string
	applicationObjectID string
	templateIDs         []string // offered synchronization templates, default first
	// templateOverrides are this application's replacements of template
	// properties (PUT/PATCH …/templates/{id}), by template id.
	templateOverrides map[string]map[string]any
	secrets           []secretPair
	jobs              map[string]*syncJob
	jobOrder          []string // creation order, for stable listing
}

// secretPair is one synchronizationSecretKeyStringValuePair.
type secretPair struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// secret returns the stored value of key ("" when absent).
func (p *spSync) secret(key string) string {
	for _, s := range p.secrets {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// hasCredentials reports whether a tenant URL and token are stored, which is
// what separates a NotConfigured job from a Paused one.
func (p *spSync) hasCredentials() bool {
	return p.secret("BaseAddress") != "" && p.secret("SecretToken") != ""
}

// sentinelTime is .NET's DateTime.MinValue, which Graph emits for "never".
const sentinelTime = "0001-01-01T00:00:00Z"

// formatTime renders a simulated time the way Graph does; the zero time is
// the sentinel.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return sentinelTime
	}
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// initSyncState prepares the synchronization half; safe to call repeatedly.
// Caller holds s.mu.
func (s *Sim) initSyncState() {
	if s.sync.sps != nil {
		return
	}
	s.sync.sps = map[string]*spSync{}
	s.sync.templates = builtinSyncTemplates()
	s.sync.engine = newEngine(&s.mu)
	s.sync.logs = newProvisioningLog(defaultLogCapacity)
	s.sync.onDemand = newRateLimiter(5, 10*time.Second)
	s.sync.auditLog = newRateLimiter(5, 10*time.Second)
}

// spSyncFor returns the synchronization state of a live service principal,
// creating it when the directory half created the SP without the hook (for
// example while seeding). nil when the SP is unknown or deleted. Caller holds
// s.mu.
func (s *Sim) spSyncFor(spID string) *spSync {
	s.initSyncState()
	sp := s.servicePrincipal(spID)
	if sp == nil {
		return nil
	}
	if p := s.sync.sps[spID]; p != nil {
		return p
	}
	s.onServicePrincipalCreated(sp)
	return s.sync.sps[spID]
}
