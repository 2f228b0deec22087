package graphsim

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// A cycle runs in three steps so that no HTTP call happens under Sim.mu:
// planCycle (locked) reads the directory and computes what to export,
// executeCycle (unlocked) talks to the tenant URL, applyCycle (locked)
// records results, status and provisioning events.

type cyclePlan struct {
	job                          *syncJob
	jobID, spID, spName, cycleID string
	targetDir                    string
	base, token                  string
	began                        time.Time
	full                         bool
	entitled                     int
	users, groups                []*planEntry
	removals                     []planRemoval
	refTargets                   map[string]string // source id → target id, for references
	probe                        string            // a userName to query when nothing else is sent
	skipOutOfScopeDeletes        bool
	deleteThreshold              int  // 0: accidental-deletion prevention off
	forceDeletes                 bool // restart with ForceDeletes releases held deletes
	mappings                     *compiledSchema
	pending                      []planSource
}

// planEntry is one in-scope object whose representation changed (or that
// was never exported).
type planEntry struct {
	sourceID, display string
	group             bool
	attrs             []planAttr
	matchPath         string
	matchValue        string
	hash              uint64
	prev              exportedEntry
	hadPrev           bool
}

// planAttr is one mapped value; refs holds source ids for Reference
// attributes, resolved to target ids at export time.
type planAttr struct {
	path    string
	value   any
	refs    []string
	multi   bool
	addOnly bool
}

type planRemoval struct {
	sourceID string
	entry    exportedEntry
	deleted  bool // gone from the directory (delete) vs out of scope (disable)
}

// planCycle computes the work of one cycle for j, or nil when the job no
// longer runs. Caller holds s.mu.
func (s *Sim) planCycle(j *syncJob) *cyclePlan {
	p := s.sync.sps[j.SPID]
	sp := s.servicePrincipal(j.SPID)
	if j.deleted || p == nil || sp == nil || j.scheduleState != "Active" {
		return nil
	}
	cs := s.jobCompiled(j)
	if cs == nil {
		return nil
	}
	plan := &cyclePlan{
		job: j, jobID: j.ID, spID: j.SPID, spName: sp.DisplayName, cycleID: uuid.NewString(),
		targetDir: s.sync.templates[j.TemplateID].targetDir,
		base:      p.secret("BaseAddress"), token: p.secret("SecretToken"),
		began: s.clock.Now(), full: j.needsFull || j.exported == nil,
		refTargets:            map[string]string{},
		skipOutOfScopeDeletes: strings.EqualFold(p.secret("SkipOutOfScopeDeletions"), "true"),
		deleteThreshold:       deleteThreshold(p.secret("SyncNotificationSettings")),
		forceDeletes:          j.forceDeletes,
	}
	for id, e := range j.exported {
		plan.refTargets[id] = e.targetID
	}
	syncAll := strings.EqualFold(p.secret("SyncAll"), "true")
	users, groups := s.entitledPrincipals(j.SPID, syncAll)
	// Scoping is decided here (cheap); evaluating the attribute mappings,
	// the expensive part, happens in evaluate without the lock.
	plan.mappings = cs
	entitled := map[string]bool{}
	queue := func(m *compiledMapping, id, display string, group bool, attrs map[string]any) {
		if entitled[id] || !inScope(m.scope, caseInsensitive(attrs)) {
			return
		}
		entitled[id] = true
		prev, had := j.exported[id]
		plan.pending = append(plan.pending, planSource{id: id, display: display, group: group, attrs: attrs, prev: prev, hadPrev: had})
	}
	if cs.user != nil {
		for _, u := range users {
			queue(cs.user, u.ID, u.DisplayName, false, u.Attributes())
			if plan.probe == "" && entitled[u.ID] {
				plan.probe = u.UserPrincipalName
			}
		}
	}
	if cs.group != nil {
		for _, g := range groups {
			queue(cs.group, g.ID, g.DisplayName, true, g.Attributes())
		}
	}
	plan.entitled = len(entitled)
	ids := make([]string, 0, len(j.exported))
	for id := range j.exported {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		e := j.exported[id]
		if entitled[id] {
			continue
		}
		gone := (e.group && s.group(id) == nil) || (!e.group && s.user(id) == nil)
		if gone || !e.disabled {
			plan.removals = append(plan.removals, planRemoval{sourceID: id, entry: e, deleted: gone})
		}
	}
	return plan
}

// planSource is an in-scope source object captured under the lock.
type planSource struct {
	id, display string
	group       bool
	attrs       map[string]any
	prev        exportedEntry
	hadPrev     bool
}

// evaluate builds the export entries of the pending sources; it runs
// without Sim.mu (attribute maps are copies, compiled schemas immutable).
func (p *cyclePlan) evaluate() {
	for _, src := range p.pending {
		m := p.mappings.user
		if src.group {
			m = p.mappings.group
		}
		e := buildEntry(m, src.id, src.display, src.group, caseInsensitive(src.attrs))
		e.prev, e.hadPrev = src.prev, src.hadPrev
		if src.hadPrev && !p.full && src.prev.hash == e.hash && src.prev.hash != 0 && !src.prev.disabled {
			continue // unchanged since the last export (watermark)
		}
		if e.group {
			p.groups = append(p.groups, e)
		} else {
			p.users = append(p.users, e)
		}
	}
	p.pending = nil
}

// entitledPrincipals returns the users and groups in provisioning scope:
// everyone with SyncAll, else the assigned users, the members of assigned
// groups, and the assigned groups. Caller holds s.mu.
func (s *Sim) entitledPrincipals(spID string, syncAll bool) ([]*User, []*Group) {
	if syncAll {
		return s.users(), s.groups()
	}
	var users []*User
	var groups []*Group
	seen := map[string]bool{}
	addUser := func(id string) {
		if u := s.user(id); u != nil && !seen[id] {
			seen[id] = true
			users = append(users, u)
		}
	}
	for _, a := range s.assignments(spID) {
		if a.DeletedDateTime != nil {
			continue
		}
		switch a.PrincipalType {
		case "User":
			addUser(a.PrincipalID)
		case "Group":
			g := s.group(a.PrincipalID)
			if g == nil || seen[g.ID] {
				continue
			}
			seen[g.ID] = true
			groups = append(groups, g)
			for _, m := range g.MemberIDs {
				addUser(m)
			}
		}
	}
	return users, groups
}

// caseInsensitive wraps an attribute map with Entra's case-insensitive
// attribute lookup.
func caseInsensitive(attrs map[string]any) func(string) any {
	return func(name string) any {
		if v, ok := attrs[name]; ok {
			return v
		}
		for k, v := range attrs {
			if strings.EqualFold(k, name) {
				return v
			}
		}
		return nil
	}
}

// buildEntry evaluates every attribute mapping for one source object.
// Evaluation errors drop the attribute (the object still flows), as a
// mapping that cannot be computed is not exported.
func buildEntry(m *compiledMapping, id, display string, group bool, get func(string) any) *planEntry {
	e := &planEntry{sourceID: id, display: display, group: group}
	env := &evalEnv{attr: get, now: time.Time{}}
	h := newFNV64a()
	for i := range m.attrs {
		a := &m.attrs[i]
		v, err := evaluate(a.node, env)
		if err != nil {
			continue
		}
		if isNullOrEmpty(v) && a.hasDefault {
			v = a.defaultValue
		}
		if isNullOrEmpty(v) {
			continue
		}
		pa := planAttr{path: a.target, addOnly: a.addOnly, multi: a.multivalued}
		if a.targetType == "Reference" {
			pa.refs = listOf(v)
		} else {
			pa.value = convertForTarget(v, a)
		}
		e.attrs = append(e.attrs, pa)
		if a == m.matching {
			e.matchPath, e.matchValue = a.target, scalarString(v)
		}
		h.str(pa.path)
		h.value(pa.value)
		for _, r := range pa.refs {
			h.str(r)
		}
	}
	e.hash = uint64(h) | 1 // never 0, which means "no watermark"
	return e
}

// convertForTarget converts an evaluated value to the target attribute's
// type: Boolean → bool, Integer → number, multi-valued → list.
func convertForTarget(v any, a *compiledAttr) any {
	s := scalarString(v)
	switch a.targetType {
	case "Boolean":
		return strings.EqualFold(s, "true")
	case "Integer":
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	if list, ok := v.([]string); ok && a.multivalued && !strings.Contains(a.target, "[") {
		out := make([]any, len(list))
		for i, x := range list {
			out[i] = x
		}
		return out
	}
	return s
}

// fnv64a is an allocation-free FNV-1a hash for the watermark.
type fnv64a uint64

func newFNV64a() fnv64a { return 14695981039346656037 }

func (h *fnv64a) str(s string) {
	for i := 0; i < len(s); i++ {
		*h ^= fnv64a(s[i])
		*h *= 1099511628211
	}
	*h ^= 0xff // separator, so "ab"+"c" and "a"+"bc" differ
	*h *= 1099511628211
}

// value feeds a plan value into the hash without allocating for the common
// types.
func (h *fnv64a) value(v any) {
	switch t := v.(type) {
	case string:
		h.str(t)
	case bool:
		h.str(boolString(t))
	case int64:
		h.str(strconv.FormatInt(t, 10))
	default:
		data, _ := json.Marshal(t)
		h.str(string(data))
	}
}

// deleteThreshold reads accidental-deletion prevention from
// SyncNotificationSettings ({"DeleteThresholdEnabled":true,
// "DeleteThresholdValue":500}); 0 means off. The documented default value
// is 500.
func deleteThreshold(settings string) int {
	var v struct {
		Enabled bool `json:"DeleteThresholdEnabled"`
		Value   *int `json:"DeleteThresholdValue"`
	}
	if settings == "" || json.Unmarshal([]byte(settings), &v) != nil || !v.Enabled {
		return 0
	}
	if v.Value == nil || *v.Value < 1 {
		return 500
	}
	return *v.Value
}
