package graphsim

import (
	"fmt"
	"net/http"
	"sort"
)

// Admin knobs of the SCIM targets (unauthenticated /_sim paths): inspect a
// target, make it fail and recover, or empty it.

// handleSCIMState is the admin view of a target: its resources, failure
// mode and request counts.
func (s *Sim) handleSCIMState(w http.ResponseWriter, r *http.Request) {
	store := s.scimStore()
	store.mu.Lock()
	defer store.mu.Unlock()
	tg, ok := store.target(r.PathValue("name"))
	if !ok {
		writeError(w, r, http.StatusInsufficientStorage, "TooManyTargets", "too many SCIM targets")
		return
	}
	list := func(m map[string]map[string]any) []map[string]any {
		out := make([]map[string]any, 0, len(m))
		for _, d := range m {
			out = append(out, d)
		}
		sort.Slice(out, func(i, j int) bool { return asString(out[i]["id"]) < asString(out[j]["id"]) })
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": tg.name, "failMode": tg.failMode, "requests": tg.requests,
		"users": list(tg.users), "groups": list(tg.groups),
	})
}

// handleSCIMFail sets the failure mode: {"mode":"503"|"500"|"401"|"down"|"none"}.
func (s *Sim) handleSCIMFail(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	mode := asString(body["mode"])
	switch mode {
	case "none", "503", "500", "401", "down":
	default:
		writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("mode %q is not one of none, 503, 500, 401, down.", mode))
		return
	}
	store := s.scimStore()
	store.mu.Lock()
	defer store.mu.Unlock()
	tg, ok := store.target(r.PathValue("name"))
	if !ok {
		writeError(w, r, http.StatusInsufficientStorage, "TooManyTargets", "too many SCIM targets")
		return
	}
	tg.failMode = mode
	w.WriteHeader(http.StatusNoContent)
}

// handleSCIMReset empties a target and clears its failure mode.
func (s *Sim) handleSCIMReset(w http.ResponseWriter, r *http.Request) {
	store := s.scimStore()
	store.mu.Lock()
	defer store.mu.Unlock()
	delete(store.targets, r.PathValue("name"))
	w.WriteHeader(http.StatusNoContent)
}
