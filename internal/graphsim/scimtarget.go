package graphsim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// SCIM targets are small in-memory SCIM 2.0 services at /_sim/scim/{name}/
// (Users and Groups) for demos and tests. Each accepts only
// "Authorization: Bearer sim-token-{name}" and keeps what it receives. An
// admin knob makes a target fail (503, 500, 401, or "down": the connection
// is closed without an answer) so that tests can drive a job from Active to
// Failed to Quarantine and back.
//
// Targets have their own lock: the engine calls them over HTTP while it does
// not hold Sim.mu.

// Limits that keep a long-running simulator bounded.
const (
	maxSCIMTargets            = 10_000
	maxSCIMResourcesPerTarget = 200_000
)

type scimTargets struct {
	mu      sync.Mutex
	targets map[string]*scimTarget
}

type scimTarget struct {
	name   string
	users  map[string]map[string]any // by id
	groups map[string]map[string]any
	// byKey indexes each resource type by its unique attribute (userName,
	// displayName; lowercased) so that Entra's per-object queries stay O(1)
	// on targets holding tens of thousands of users.
	byKey    map[string]map[string]string
	failMode string // none | 503 | 500 | 401 | down
	requests map[string]int64
}

func newSCIMTargets() *scimTargets {
	return &scimTargets{targets: map[string]*scimTarget{}}
}

// scimStore returns the SCIM targets (created on first use, without Sim.mu).
func (s *Sim) scimStore() *scimTargets {
	s.sync.scimOnce.Do(func() { s.sync.scim = newSCIMTargets() })
	return s.sync.scim
}

// target returns the named target, creating it on first use. Caller holds t.mu.
func (t *scimTargets) target(name string) (*scimTarget, bool) {
	if tg := t.targets[name]; tg != nil {
		return tg, true
	}
	if len(t.targets) >= maxSCIMTargets {
		return nil, false
	}
	tg := &scimTarget{name: name, users: map[string]map[string]any{}, groups: map[string]map[string]any{},
		byKey:    map[string]map[string]string{"Users": {}, "Groups": {}},
		failMode: "none", requests: map[string]int64{}}
	t.targets[name] = tg
	return tg, true
}

func (s *Sim) scimRoutes(mux *http.ServeMux) {
	const base = "/_sim/scim/{name}"
	for _, res := range []string{"Users", "Groups"} {
		mux.HandleFunc("GET "+base+"/"+res, s.scimHandler(res, scimList))
		mux.HandleFunc("POST "+base+"/"+res, s.scimHandler(res, scimCreate))
		mux.HandleFunc("GET "+base+"/"+res+"/{rid}", s.scimHandler(res, scimGetOne))
		mux.HandleFunc("PUT "+base+"/"+res+"/{rid}", s.scimHandler(res, scimReplace))
		mux.HandleFunc("PATCH "+base+"/"+res+"/{rid}", s.scimHandler(res, scimPatch))
		mux.HandleFunc("DELETE "+base+"/"+res+"/{rid}", s.scimHandler(res, scimDelete))
	}
	mux.HandleFunc("GET "+base+"/_state", s.handleSCIMState)
	mux.HandleFunc("POST "+base+"/_fail", s.handleSCIMFail)
	mux.HandleFunc("POST "+base+"/_reset", s.handleSCIMReset)
}

type scimOp func(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, body map[string]any)

// scimHandler applies the failure mode, authentication and body decoding
// common to every SCIM request.
func (s *Sim) scimHandler(res string, op scimOp) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		var body map[string]any
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err == nil {
				body, err = decodeJSONObject(data)
			}
			if err != nil {
				writeSCIMError(w, http.StatusBadRequest, "invalidSyntax", "The request body is not a JSON object: "+errString(err))
				return
			}
		}
		store := s.scimStore()
		store.mu.Lock()
		defer store.mu.Unlock()
		tg, ok := store.target(name)
		if !ok {
			writeSCIMError(w, http.StatusInsufficientStorage, "", fmt.Sprintf("The simulator holds at most %d SCIM targets.", maxSCIMTargets))
			return
		}
		tg.requests[r.Method+" "+res]++
		switch tg.failMode {
		case "down":
			// Close the connection without an answer, as an unreachable
			// service would look to the engine.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case "503":
			w.Header().Set("Retry-After", "30")
			writeSCIMError(w, http.StatusServiceUnavailable, "", "The SCIM target "+name+" is unavailable (simulated).")
			return
		case "500":
			writeSCIMError(w, http.StatusInternalServerError, "", "The SCIM target "+name+" failed (simulated).")
			return
		case "401":
			writeSCIMError(w, http.StatusUnauthorized, "", "The SCIM target "+name+" rejects every token (simulated).")
			return
		}
		if r.Header.Get("Authorization") != "Bearer sim-token-"+name {
			writeSCIMError(w, http.StatusUnauthorized, "", "Authorization failed: send \"Authorization: Bearer sim-token-"+name+"\".")
			return
		}
		op(tg, res, w, r, body)
	}
}

func errString(err error) string {
	if err == nil {
		return "empty body"
	}
	return err.Error()
}

func (tg *scimTarget) collection(res string) map[string]map[string]any {
	if res == "Groups" {
		return tg.groups
	}
	return tg.users
}

func writeSCIMError(w http.ResponseWriter, status int, scimType, detail string) {
	body := map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":  fmt.Sprint(status),
		"detail":  detail,
	}
	if scimType != "" {
		body["scimType"] = scimType
	}
	writeSCIM(w, status, body)
}

func writeSCIM(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// scimFilter parses `attr eq "value"` clauses joined by "and".
func scimFilter(f string) ([][2]string, error) {
	var out [][2]string
	for _, part := range splitAnd(f) {
		part = strings.TrimSpace(part)
		i := strings.Index(strings.ToLower(part), " eq ")
		if i <= 0 {
			return nil, fmt.Errorf("unsupported filter %q: use attribute eq \"value\"", part)
		}
		v := strings.TrimSpace(part[i+4:])
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, fmt.Errorf("filter value in %q must be a double-quoted string", part)
		}
		var s string
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return nil, fmt.Errorf("filter value in %q is not a valid string", part)
		}
		out = append(out, [2]string{strings.TrimSpace(part[:i]), s})
	}
	return out, nil
}

func splitAnd(f string) []string {
	var parts []string
	inQuote, start := false, 0
	lower := strings.ToLower(f)
	for i := 0; i < len(f); i++ {
		switch {
		case f[i] == '"' && (i == 0 || f[i-1] != '\\'):
			inQuote = !inQuote
		case !inQuote && strings.HasPrefix(lower[i:], " and "):
			parts = append(parts, f[start:i])
			start = i + 5
			i += 4
		}
	}
	return append(parts, f[start:])
}

func scimList(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, _ map[string]any) {
	clauses, err := scimFilter(r.URL.Query().Get("filter"))
	if r.URL.Query().Get("filter") == "" {
		clauses, err = nil, nil
	}
	if err != nil {
		writeSCIMError(w, http.StatusBadRequest, "invalidFilter", err.Error())
		return
	}
	matches := []map[string]any{}
	candidates := tg.collection(res)
	if len(clauses) > 0 && strings.EqualFold(clauses[0][0], uniqueKey(res)) {
		// Indexed lookup on the unique attribute (what Entra queries).
		candidates = map[string]map[string]any{}
		if id, ok := tg.byKey[res][strings.ToLower(clauses[0][1])]; ok {
			candidates[id] = tg.collection(res)[id]
		}
	}
	for _, doc := range candidates {
		ok := true
		for _, c := range clauses {
			// userName, displayName and emails compare case-insensitively
			// (caseExact false in RFC 7643); externalId is case-exact.
			v := asString(scimGet(doc, c[0]))
			if strings.EqualFold(c[0], "externalId") {
				ok = ok && v == c[1]
			} else {
				ok = ok && strings.EqualFold(v, c[1])
			}
		}
		if ok {
			matches = append(matches, doc)
		}
	}
	sort.Slice(matches, func(i, j int) bool { return asString(matches[i]["id"]) < asString(matches[j]["id"]) })
	writeSCIM(w, http.StatusOK, map[string]any{
		"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": len(matches),
		"startIndex":   1,
		"itemsPerPage": len(matches),
		"Resources":    matches,
	})
}

// uniqueKey is the attribute SCIM targets keep unique per resource type.
func uniqueKey(res string) string {
	if res == "Groups" {
		return "displayName"
	}
	return "userName"
}

func (tg *scimTarget) conflict(res, id string, doc map[string]any) bool {
	other, ok := tg.byKey[res][strings.ToLower(asString(doc[uniqueKey(res)]))]
	return ok && other != id
}

// store saves a resource and keeps the unique-key index current.
func (tg *scimTarget) store(res, id string, doc map[string]any) {
	tg.remove(res, id)
	tg.collection(res)[id] = doc
	tg.byKey[res][strings.ToLower(asString(doc[uniqueKey(res)]))] = id
}

func (tg *scimTarget) remove(res, id string) {
	if old := tg.collection(res)[id]; old != nil {
		delete(tg.byKey[res], strings.ToLower(asString(old[uniqueKey(res)])))
		delete(tg.collection(res), id)
	}
}

func scimCreate(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, body map[string]any) {
	key := uniqueKey(res)
	if asString(body[key]) == "" {
		writeSCIMError(w, http.StatusBadRequest, "invalidValue", key+" is required.")
		return
	}
	if tg.conflict(res, "", body) {
		writeSCIMError(w, http.StatusConflict, "uniqueness", fmt.Sprintf("A resource with %s %q already exists.", key, asString(body[key])))
		return
	}
	if len(tg.users)+len(tg.groups) >= maxSCIMResourcesPerTarget {
		writeSCIMError(w, http.StatusInsufficientStorage, "", fmt.Sprintf("The target holds at most %d resources.", maxSCIMResourcesPerTarget))
		return
	}
	id := uuid.NewString()
	body["id"] = id
	now := time.Now().UTC().Format(time.RFC3339)
	body["meta"] = map[string]any{"resourceType": strings.TrimSuffix(res, "s"), "created": now, "lastModified": now,
		"location": "/_sim/scim/" + tg.name + "/" + res + "/" + id}
	tg.store(res, id, body)
	writeSCIM(w, http.StatusCreated, body)
}

func scimGetOne(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, _ map[string]any) {
	doc := tg.collection(res)[r.PathValue("rid")]
	if doc == nil {
		writeSCIMError(w, http.StatusNotFound, "", "Resource "+r.PathValue("rid")+" not found.")
		return
	}
	writeSCIM(w, http.StatusOK, doc)
}

func scimReplace(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, body map[string]any) {
	id := r.PathValue("rid")
	old := tg.collection(res)[id]
	if old == nil {
		writeSCIMError(w, http.StatusNotFound, "", "Resource "+id+" not found.")
		return
	}
	if tg.conflict(res, id, body) {
		writeSCIMError(w, http.StatusConflict, "uniqueness", "Another resource already has this "+uniqueKey(res)+".")
		return
	}
	body["id"] = id
	meta := asMap(old["meta"])
	meta["lastModified"] = time.Now().UTC().Format(time.RFC3339)
	body["meta"] = meta
	tg.store(res, id, body)
	writeSCIM(w, http.StatusOK, body)
}

func scimPatch(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, body map[string]any) {
	id := r.PathValue("rid")
	doc := tg.collection(res)[id]
	if doc == nil {
		writeSCIMError(w, http.StatusNotFound, "", "Resource "+id+" not found.")
		return
	}
	// Apply to a copy so that a failing operation changes nothing.
	work := deepCopy(doc).(map[string]any)
	ops, _ := body["Operations"].([]any)
	if ops == nil {
		writeSCIMError(w, http.StatusBadRequest, "invalidSyntax", "A PatchOp needs an Operations array.")
		return
	}
	for _, o := range ops {
		if err := applyPatchOp(work, asMap(o)); err != nil {
			writeSCIMError(w, http.StatusBadRequest, "invalidPath", err.Error())
			return
		}
	}
	if tg.conflict(res, id, work) {
		writeSCIMError(w, http.StatusConflict, "uniqueness", "Another resource already has this "+uniqueKey(res)+".")
		return
	}
	asMap(work["meta"])["lastModified"] = time.Now().UTC().Format(time.RFC3339)
	tg.store(res, id, work)
	if res == "Groups" {
		w.WriteHeader(http.StatusNoContent) // what Entra expects from groups
		return
	}
	writeSCIM(w, http.StatusOK, work)
}

// applyPatchOp applies one PatchOp operation (add, replace, remove).
func applyPatchOp(doc map[string]any, op map[string]any) error {
	kind := strings.ToLower(asString(op["op"]))
	path := asString(op["path"])
	value := op["value"]
	switch kind {
	case "add", "replace":
		if path == "" {
			m, ok := value.(map[string]any)
			if !ok {
				return fmt.Errorf("an %s without path needs an object value", kind)
			}
			for k, v := range m {
				if err := scimSet(doc, k, v); err != nil {
					return err
				}
			}
			return nil
		}
		if list, ok := value.([]any); ok && kind == "add" {
			if existing, ok := scimGet(doc, path).([]any); ok {
				value = appendUnique(existing, list)
			}
		}
		return scimSet(doc, path, value)
	case "remove":
		if path == "" {
			return fmt.Errorf("remove needs a path")
		}
		p, err := parseSCIMPath(path)
		if err != nil {
			return err
		}
		if p.filterAttr != "" && p.sub == "" { // members[value eq "id"]: drop the element
			c := p.container(doc, false)
			list, _ := c[p.attr].([]any)
			kept := list[:0:0]
			for _, e := range list {
				if !strings.EqualFold(asString(asMap(e)[p.filterAttr]), p.filterValue) {
					kept = append(kept, e)
				}
			}
			c[p.attr] = kept
			return nil
		}
		return scimSet(doc, path, nil)
	}
	return fmt.Errorf("unsupported PatchOp op %q (use add, replace or remove)", op["op"])
}

func appendUnique(list, add []any) []any {
	seen := map[string]bool{}
	for _, e := range list {
		seen[asString(asMap(e)["value"])] = true
	}
	for _, e := range add {
		if v := asString(asMap(e)["value"]); !seen[v] {
			list = append(list, e)
			seen[v] = true
		}
	}
	return list
}

func scimDelete(tg *scimTarget, res string, w http.ResponseWriter, r *http.Request, _ map[string]any) {
	id := r.PathValue("rid")
	if tg.collection(res)[id] == nil {
		writeSCIMError(w, http.StatusNotFound, "", "Resource "+id+" not found.")
		return
	}
	tg.remove(res, id)
	w.WriteHeader(http.StatusNoContent)
}
