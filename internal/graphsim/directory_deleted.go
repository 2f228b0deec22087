package graphsim

import (
	"fmt"
	"net/http"
	"strings"
)

var deletedItemSpec = listSpec{
	context:    "directory/deletedItems",
	resource:   "directoryObject",
	filterable: map[string]bool{"id": true, "appId": true, "displayName": true, "applicationTemplateId": true},
	defaultTop: 100,
	maxTop:     999,
}

// handleListDeleted serves /directory/deletedItems/microsoft.graph.application
// and …/microsoft.graph.servicePrincipal.
func (s *Sim) handleListDeleted(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		items := []map[string]any{}
		for _, id := range s.dir.deletedOrder {
			d := s.dir.deleted[id]
			if deletedKind(d) == kind {
				items = append(items, s.deletedItemJSON(d))
			}
		}
		s.mu.Unlock()
		// Graph names the entity set of the cast type in the context
		// ($metadata#applications), and $select applies to that type.
		spec := deletedItemSpec
		spec.context = kind + "s"
		spec.resource = kind
		s.writeList(w, r, spec, items)
	}
}

func deletedKind(d *deletedItem) string {
	switch {
	case d.app != nil:
		return "application"
	case d.user != nil:
		return "user"
	}
	return "servicePrincipal"
}

// deletedItemFor returns the deleted object or answers 400/404 itself. Caller holds s.mu.
func (s *Sim) deletedItemFor(w http.ResponseWriter, r *http.Request) (string, *deletedItem) {
	id := r.PathValue("id")
	if !validObjectID(w, r, id) {
		return "", nil
	}
	id = strings.ToLower(id)
	d := s.dir.deleted[id]
	if d == nil {
		writeNotFound(w, r, id)
		return "", nil
	}
	return id, d
}

func (s *Sim) handleGetDeleted(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, d := s.deletedItemFor(w, r)
	if d == nil {
		s.mu.Unlock()
		return
	}
	obj := s.deletedItemJSON(d)
	s.mu.Unlock()
	s.writeObject(w, r, deletedItemSpec, http.StatusOK, obj)
}

// handlePurgeDeleted permanently deletes a soft-deleted object (204).
func (s *Sim) handlePurgeDeleted(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, d := s.deletedItemFor(w, r)
	if d == nil {
		return
	}
	delete(s.dir.deleted, id)
	s.dir.deletedOrder = removeID(s.dir.deletedOrder, id)
	if d.user != nil {
		s.purgeUser(d.user)
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleRestoreDeleted restores an application (without its service
// principal, as Graph does) or a service principal whose application is live.
func (s *Sim) handleRestoreDeleted(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, d := s.deletedItemFor(w, r)
	if d == nil {
		return
	}
	var obj map[string]any
	if d.user != nil {
		if other := s.dir.userByUPN[strings.ToLower(d.user.UserPrincipalName)]; other != nil && other != d.user {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
			return
		}
		d.user.SoftDeleted = false
		obj = userJSON(d.user)
		obj["@odata.type"] = "#microsoft.graph.user"
	} else if d.app != nil {
		d.app.DeletedAt = timeZero
		s.dir.apps[id] = d.app
		s.dir.appOrder = append(s.dir.appOrder, id)
		obj = s.applicationJSON(d.app)
		obj["@odata.type"] = "#microsoft.graph.application"
	} else {
		sp := d.sp
		if s.dir.apps[sp.ApplicationObjectID] == nil {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("The service principal '%s' cannot be restored because its application '%s' is deleted; restore the application first.", id, sp.ApplicationObjectID))
			return
		}
		if _, taken := s.dir.spByAppID[sp.AppID]; taken {
			writeError(w, r, http.StatusBadRequest, "Request_MultipleObjectsWithSameKeyValue", fmt.Sprintf("The service principal cannot be restored because the service principal name %s is already in use.", sp.AppID))
			return
		}
		sp.DeletedAt = timeZero
		s.dir.sps[id] = sp
		s.dir.spOrder = append(s.dir.spOrder, id)
		s.dir.spByAppID[sp.AppID] = id
		s.onServicePrincipalCreated(sp.ServicePrincipal)
		obj = s.servicePrincipalJSON(sp)
		obj["@odata.type"] = "#microsoft.graph.servicePrincipal"
	}
	delete(s.dir.deleted, id)
	s.dir.deletedOrder = removeID(s.dir.deletedOrder, id)
	obj["@odata.context"] = metadataURL(r) + "directoryObjects/$entity"
	writeJSON(w, http.StatusOK, obj)
}
