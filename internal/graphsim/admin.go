package graphsim

import (
	"net/http"
	"sort"
	"sync"
	"time"
)

// requestCounter counts Graph requests per route ("METHOD pattern"); $batch
// items count under their own routes as well as the envelope under $batch.
type requestCounter struct {
	mu     sync.Mutex
	routes map[string]int
	total  int
	faults map[string]int // throttled, server_errors
}

func newRequestCounter() *requestCounter {
	return &requestCounter{routes: map[string]int{}, faults: map[string]int{}}
}

func (c *requestCounter) count(route string) {
	c.mu.Lock()
	c.routes[route]++
	c.total++
	c.mu.Unlock()
}

func (c *requestCounter) countFault(kind string) {
	c.mu.Lock()
	c.faults[kind]++
	c.mu.Unlock()
}

// RequestCounts is the body of GET /_sim/requests.
type RequestCounts struct {
	Total     int            `json:"total"`
	Routes    map[string]int `json:"routes"`
	Throttled int            `json:"throttled"`     // 429s injected by the throttle fault
	Errors    int            `json:"server_errors"` // 5xx injected by the error fault
}

func (c *requestCounter) snapshot() RequestCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	routes := make(map[string]int, len(c.routes))
	for k, v := range c.routes {
		routes[k] = v
	}
	return RequestCounts{Total: c.total, Routes: routes, Throttled: c.faults["throttled"], Errors: c.faults["server_errors"]}
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	c.routes = map[string]int{}
	c.faults = map[string]int{}
	c.total = 0
	c.mu.Unlock()
}

// RequestCounts returns the per-route Graph request counts (as GET /_sim/requests).
func (s *Sim) RequestCounts() RequestCounts { return s.requests.snapshot() }

// adminRoutes registers the /_sim admin API (JSON, no token: loopback only).
func (s *Sim) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/state", s.handleAdminState)
	mux.HandleFunc("GET /_sim/clock", s.handleAdminClock)
	mux.HandleFunc("POST /_sim/clock/advance", s.handleAdminAdvance)
	mux.HandleFunc("GET /_sim/faults", s.handleAdminGetFaults)
	mux.HandleFunc("PUT /_sim/faults", s.handleAdminPutFaults)
	mux.HandleFunc("GET /_sim/requests", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.requests.snapshot())
	})
	mux.HandleFunc("DELETE /_sim/requests", func(w http.ResponseWriter, r *http.Request) {
		s.requests.reset()
		w.WriteHeader(http.StatusNoContent)
	})
}

// adminState is the body of GET /_sim/state.
type adminState struct {
	Now               time.Time        `json:"now"`
	Speed             float64          `json:"speed"`
	Faults            string           `json:"faults"`
	TenantID          string           `json:"tenant_id"`
	Counts            map[string]int   `json:"counts"`
	Applications      []map[string]any `json:"applications"`
	ServicePrincipals []map[string]any `json:"servicePrincipals"`
	Assignments       []map[string]any `json:"appRoleAssignments"`
	DeletedItems      []map[string]any `json:"deletedItems"`
	Users             []map[string]any `json:"users,omitempty"`
	Groups            []map[string]any `json:"groups,omitempty"`
}

// handleAdminState returns counts and directory objects; users and groups
// are listed only with ?all=true (there may be thousands).
func (s *Sim) handleAdminState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	liveUsers := 0
	for _, u := range s.dir.users {
		if !u.SoftDeleted {
			liveUsers++
		}
	}
	st := adminState{
		Now:      s.clock.Now(),
		Speed:    s.clock.Speed(),
		Faults:   s.faults.spec().String(),
		TenantID: s.tenantID,
		Counts: map[string]int{
			"applicationTemplates": len(s.dir.templates),
			"applications":         len(s.dir.apps),
			"servicePrincipals":    len(s.dir.sps),
			"appRoleAssignments":   len(s.dir.assignmentIDs),
			"deletedItems":         len(s.dir.deleted),
			"users":                liveUsers, // soft-deleted users count under deletedItems
			"groups":               len(s.dir.groups),
		},
		Applications:      []map[string]any{},
		ServicePrincipals: []map[string]any{},
		Assignments:       []map[string]any{},
		DeletedItems:      []map[string]any{},
	}
	for _, id := range s.dir.appOrder {
		st.Applications = append(st.Applications, s.applicationJSON(s.dir.apps[id]))
	}
	for _, id := range s.dir.spOrder {
		st.ServicePrincipals = append(st.ServicePrincipals, s.servicePrincipalJSON(s.dir.sps[id]))
		for _, a := range s.dir.assignments[id] {
			st.Assignments = append(st.Assignments, assignmentJSON(a))
		}
	}
	for _, id := range s.dir.deletedOrder {
		st.DeletedItems = append(st.DeletedItems, s.deletedItemJSON(s.dir.deleted[id]))
	}
	if r.URL.Query().Get("all") == "true" {
		for _, u := range s.dir.users {
			if !u.SoftDeleted {
				st.Users = append(st.Users, userJSON(u))
			}
		}
		for _, g := range s.dir.groups {
			st.Groups = append(st.Groups, groupJSON(g))
		}
	}
	s.mu.Unlock()
	sort.SliceStable(st.Assignments, func(i, j int) bool {
		return st.Assignments[i]["createdDateTime"].(string) < st.Assignments[j]["createdDateTime"].(string)
	})
	writeJSON(w, http.StatusOK, st)
}

func (s *Sim) handleAdminClock(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"now": s.clock.Now(), "speed": s.clock.Speed()})
}

func (s *Sim) handleAdminAdvance(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Duration string `json:"duration"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	d, err := time.ParseDuration(body.Duration)
	if err != nil || d <= 0 {
		writeError(w, r, http.StatusBadRequest, "BadRequest", `"duration" must be a positive Go duration such as "40m" or "24h".`)
		return
	}
	s.clock.Advance(d)
	// Wake the engine so that cycles the jump made due start now rather
	// than at its next poll.
	s.mu.Lock()
	s.initSyncState()
	s.sync.engine.kick()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"now": s.clock.Now(), "advanced": d.String()})
}

// faultsBody is the body of GET/PUT /_sim/faults.
type faultsBody struct {
	Spec string `json:"spec"`
}

func (s *Sim) handleAdminGetFaults(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, faultsBody{Spec: s.faults.spec().String()})
}

func (s *Sim) handleAdminPutFaults(w http.ResponseWriter, r *http.Request) {
	var body faultsBody
	if !decodeBody(w, r, &body) {
		return
	}
	spec, err := parseFaults(body.Spec)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	s.faults.set(spec)
	s.log.Info("faults changed", "faults", spec.String())
	writeJSON(w, http.StatusOK, faultsBody{Spec: spec.String()})
}

// SetFaults replaces the fault spec (as PUT /_sim/faults).
func (s *Sim) SetFaults(spec string) error {
	f, err := parseFaults(spec)
	if err != nil {
		return err
	}
	s.faults.set(f)
	return nil
}
