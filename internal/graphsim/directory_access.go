package graphsim

import "strings"

// Accessors the synchronization half uses (see store.go). Caller holds s.mu.
// They return the live objects; callers must not modify them.

// servicePrincipal returns a live service principal (also while a lag fault
// hides it from Graph clients; use lagging for that) or nil.
func (s *Sim) servicePrincipal(id string) *ServicePrincipal {
	if sp := s.dir.sps[strings.ToLower(id)]; sp != nil {
		return sp.ServicePrincipal
	}
	return nil
}

// assignments returns the app role assignments on a resource service principal.
func (s *Sim) assignments(spID string) []*AppRoleAssignment {
	return s.dir.assignments[strings.ToLower(spID)]
}

// user returns a seeded user by object id, or nil.
func (s *Sim) user(id string) *User { return s.dir.userByID[strings.ToLower(id)] }

// group returns a seeded group by object id, or nil.
func (s *Sim) group(id string) *Group { return s.dir.groupByID[strings.ToLower(id)] }

// users returns all users in seed order.
func (s *Sim) users() []*User { return s.dir.users }

// groups returns all groups in seed order.
func (s *Sim) groups() []*Group { return s.dir.groups }

// resolveAppIDAddress maps an appId to the object id of the live service
// principal or application ("servicePrincipals" / "applications") for
// /servicePrincipals(appId='…') addressing. Takes s.mu itself.
func (s *Sim) resolveAppIDAddress(collection, appID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if collection == "servicePrincipals" {
		for _, id := range s.dir.spOrder {
			if sp := s.dir.sps[id]; strings.EqualFold(sp.AppID, appID) && !s.lagging(sp.CreatedAt) {
				return id, true
			}
		}
		return "", false
	}
	for _, id := range s.dir.appOrder {
		if a := s.dir.apps[id]; strings.EqualFold(a.AppID, appID) && !s.lagging(a.CreatedAt) {
			return id, true
		}
	}
	return "", false
}
