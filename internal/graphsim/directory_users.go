package graphsim

import (
	"net/http"
	"strings"
)

var (
	userSpec = listSpec{
		context:       "users",
		resource:      "user",
		filterable:    keysOf(userJSON(&User{})),
		defaultSelect: userDefaultSelect,
		defaultTop:    100,
		maxTop:        999,
		searchable:    userSearchable,
	}
	groupSpec = listSpec{
		context:    "groups",
		resource:   "group",
		filterable: withKeys(keysOf(groupJSON(&Group{})), groupFilterOnly),
		filterOnly: groupFilterOnly,
		searchable: groupSearchable,
		defaultTop: 100,
		maxTop:     999,
	}
	memberSpec = listSpec{
		context:       "directoryObjects",
		resource:      "user",
		filterable:    keysOf(userJSON(&User{})),
		defaultSelect: append([]string{"@odata.type"}, userDefaultSelect...),
		defaultTop:    100,
		maxTop:        999,
	}
)

// groupFilterOnly: licenses are not modelled, so no group has members with
// license errors; Graph's `$filter=hasMembersWithLicenseErrors eq true`
// (group-list.md) answers an empty page rather than 400.
var groupFilterOnly = map[string]any{"hasMembersWithLicenseErrors": false}

// withKeys is set with the keys of extra added.
func withKeys(set map[string]bool, extra map[string]any) map[string]bool {
	for k := range extra {
		set[k] = true
	}
	return set
}

// handleListUsers copies the visible users under Sim.mu (cheap struct
// copies) and renders only the requested page from the copies.
func (s *Sim) handleListUsers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	users := s.visibleUsers(s.dir.users)
	s.mu.Unlock()
	s.writeListLazy(w, r, userSpec, len(users), func(i int) map[string]any { return userJSON(&users[i]) })
}

// visibleUsers copies the users that are not soft-deleted. Caller holds s.mu.
func (s *Sim) visibleUsers(list []*User) []User {
	out := make([]User, 0, len(list))
	for _, u := range list {
		if !u.SoftDeleted {
			out = append(out, *u)
		}
	}
	return out
}

// userByKey finds a user by object id or userPrincipalName (Graph accepts
// both in /users/{id | userPrincipalName}). Caller holds s.mu.
func (s *Sim) userByKey(w http.ResponseWriter, r *http.Request, key string) *User {
	var u *User
	if strings.Contains(key, "@") {
		u = s.dir.userByUPN[strings.ToLower(key)]
	} else {
		if !validObjectID(w, r, key) {
			return nil
		}
		u = s.dir.userByID[strings.ToLower(key)]
	}
	if u == nil || u.SoftDeleted {
		writeNotFound(w, r, key)
		return nil
	}
	return u
}

func (s *Sim) handleGetUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.userByKey(w, r, r.PathValue("id"))
	if u == nil {
		s.mu.Unlock()
		return
	}
	obj := userJSON(u)
	s.mu.Unlock()
	s.writeObject(w, r, userSpec, http.StatusOK, obj)
}

// handleGetManager is GET /users/{id}/manager (404 when the user has none).
func (s *Sim) handleGetManager(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.userByKey(w, r, r.PathValue("id"))
	if u == nil {
		s.mu.Unlock()
		return
	}
	m := s.dir.userByID[u.ManagerID]
	if m == nil || m.SoftDeleted {
		s.mu.Unlock()
		writeNotFound(w, r, "manager")
		return
	}
	obj := userJSON(m)
	s.mu.Unlock()
	obj["@odata.type"] = "#microsoft.graph.user"
	spec := memberSpec
	spec.context = "directoryObjects"
	s.writeObject(w, r, spec, http.StatusOK, obj)
}

func (s *Sim) handleListGroups(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.dir.groups))
	for _, g := range s.dir.groups {
		obj := groupJSON(g)
		addBetaProperties(r, "group", obj)
		items = append(items, obj)
	}
	s.mu.Unlock()
	s.writeList(w, r, groupSpec, items)
}

// groupByPath finds the group in the path or answers 400/404. Caller holds s.mu.
func (s *Sim) groupByPath(w http.ResponseWriter, r *http.Request) *Group {
	id := r.PathValue("id")
	if !validObjectID(w, r, id) {
		return nil
	}
	g := s.dir.groupByID[strings.ToLower(id)]
	if g == nil {
		writeNotFound(w, r, id)
	}
	return g
}

func (s *Sim) handleGetGroup(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	g := s.groupByPath(w, r)
	if g == nil {
		s.mu.Unlock()
		return
	}
	obj := groupJSON(g)
	s.mu.Unlock()
	addBetaProperties(r, "group", obj)
	s.writeObject(w, r, groupSpec, http.StatusOK, obj)
}

func (s *Sim) handleListMembers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	g := s.groupByPath(w, r)
	if g == nil {
		s.mu.Unlock()
		return
	}
	// Members are rendered under s.mu: groups and service principals are
	// mutable (users are copied cheaply and rendered lazily otherwise).
	members := make([]map[string]any, 0, len(g.MemberIDs))
	for _, id := range g.MemberIDs {
		if m := s.directoryObjectJSON(id); m != nil {
			members = append(members, m)
		}
	}
	s.mu.Unlock()
	s.writeList(w, r, memberSpec, members)
}
