package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

var applicationSpec = listSpec{
	context:  "applications",
	resource: "application",
	filterable: map[string]bool{"id": true, "appId": true, "displayName": true, "applicationTemplateId": true,
		"tags": true, "createdDateTime": true, "identifierUris": true, "signInAudience": true, "publisherDomain": true,
		"serviceManagementReference": true},
	defaultTop: 100,
	maxTop:     999,
}

var servicePrincipalSpec = listSpec{
	context:  "servicePrincipals",
	resource: "servicePrincipal",
	filterable: map[string]bool{"id": true, "appId": true, "displayName": true, "applicationTemplateId": true,
		"servicePrincipalNames": true, "tags": true, "accountEnabled": true, "appOwnerOrganizationId": true,
		"servicePrincipalType": true, "preferredSingleSignOnMode": true, "appRoleAssignmentRequired": true},
	defaultTop: 100,
	maxTop:     999,
}

func (s *Sim) handleListApplications(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.dir.appOrder))
	for _, id := range s.dir.appOrder {
		if a := s.dir.apps[id]; !s.lagging(a.CreatedAt) {
			items = append(items, s.applicationJSON(a))
		}
	}
	s.mu.Unlock()
	s.writeList(w, r, applicationSpec, items)
}

func (s *Sim) handleListServicePrincipals(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.dir.spOrder))
	for _, id := range s.dir.spOrder {
		if sp := s.dir.sps[id]; !s.lagging(sp.CreatedAt) {
			items = append(items, s.servicePrincipalJSON(sp))
		}
	}
	s.mu.Unlock()
	s.writeList(w, r, servicePrincipalSpec, items)
}

// liveApplication returns a visible application or answers 400/404 itself.
// Caller holds s.mu.
func (s *Sim) liveApplication(w http.ResponseWriter, r *http.Request, id string) *application {
	if !validObjectID(w, r, id) {
		return nil
	}
	a := s.dir.apps[strings.ToLower(id)]
	if a == nil || s.lagging(a.CreatedAt) {
		writeNotFound(w, r, id)
		return nil
	}
	return a
}

// liveServicePrincipal returns a visible service principal or answers 400/404
// itself. Caller holds s.mu.
func (s *Sim) liveServicePrincipal(w http.ResponseWriter, r *http.Request, id string) *servicePrincipal {
	if !validObjectID(w, r, id) {
		return nil
	}
	sp := s.dir.sps[strings.ToLower(id)]
	if sp == nil || s.lagging(sp.CreatedAt) {
		writeNotFound(w, r, id)
		return nil
	}
	return sp
}

func (s *Sim) handleGetApplication(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.liveApplication(w, r, r.PathValue("id"))
	if a == nil {
		s.mu.Unlock()
		return
	}
	obj := s.applicationJSON(a)
	s.mu.Unlock()
	s.writeObject(w, r, applicationSpec, http.StatusOK, obj)
}

func (s *Sim) handleGetServicePrincipal(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sp := s.liveServicePrincipal(w, r, r.PathValue("id"))
	if sp == nil {
		s.mu.Unlock()
		return
	}
	obj := s.servicePrincipalJSON(sp)
	s.mu.Unlock()
	addBetaProperties(r, "servicePrincipal", obj)
	s.writeObject(w, r, servicePrincipalSpec, http.StatusOK, obj)
}

// patchFields decodes a PATCH body into raw properties, rejecting read-only
// and unknown ones with Graph-like 400s. settable lists what may change.
func patchFields(w http.ResponseWriter, r *http.Request, resource string, settable map[string]bool) (map[string]json.RawMessage, bool) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return nil, false
	}
	if body == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "The PATCH body must be a JSON object.")
		return nil, false
	}
	for k := range body {
		if settable[k] || strings.HasPrefix(k, "@odata.") {
			continue
		}
		switch k {
		case "id", "appId", "applicationTemplateId", "createdDateTime", "deletedDateTime", "appOwnerOrganizationId", "servicePrincipalNames", "servicePrincipalType", "publisherDomain":
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' is read-only and cannot be set.", k))
		default:
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' of resource '%s' cannot be updated by the simulator (settable: %s).", k, resource, strings.Join(sortedKeys(settable), ", ")))
		}
		return nil, false
	}
	return body, true
}

// decodeField decodes one PATCH property, answering 400 on a type mismatch.
// JSON null clears a nullable string (dst **string: it decodes as "", which
// renders as null and which validDisplayName rejects where a value is
// required); null for any other property (booleans, collections) is a 400,
// never a silent no-op.
func decodeField(w http.ResponseWriter, r *http.Request, body map[string]json.RawMessage, key string, dst any) bool {
	raw, ok := body[key]
	if !ok {
		return true
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		if p, ok := dst.(**string); ok {
			empty := ""
			*p = &empty
			return true
		}
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s': it cannot be null.", key))
		return false
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s': %s.", key, strings.TrimSpace(string(raw))))
		return false
	}
	return true
}

func validDisplayName(w http.ResponseWriter, r *http.Request, name *string) bool {
	if name != nil && (strings.TrimSpace(*name) == "" || len(*name) > 256) {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName': it must be 1 to 256 characters.")
		return false
	}
	return true
}

// setOptional applies a decoded nullable string property (JSON null, decoded
// as "", clears it).
func setOptional(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func (s *Sim) handleDeleteApplication(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.liveApplication(w, r, r.PathValue("id"))
	if a == nil {
		return
	}
	s.softDeleteApplication(a)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleDeleteServicePrincipal(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.liveServicePrincipal(w, r, r.PathValue("id"))
	if sp == nil {
		return
	}
	s.softDeleteServicePrincipal(sp)
	w.WriteHeader(http.StatusNoContent)
}

// softDeleteApplication moves an application and its service principal into
// deleted items (Graph deletes the service principal with its application).
// Caller holds s.mu.
func (s *Sim) softDeleteApplication(a *application) {
	if spID, ok := s.dir.spByAppID[a.AppID]; ok {
		s.softDeleteServicePrincipal(s.dir.sps[spID])
	}
	delete(s.dir.apps, a.ID)
	s.dir.appOrder = removeID(s.dir.appOrder, a.ID)
	a.DeletedAt = s.clock.Now()
	s.addDeleted(a.ID, &deletedItem{app: a})
}

// softDeleteServicePrincipal moves a service principal into deleted items,
// drops its assignments and tells the synchronization half. Caller holds s.mu.
func (s *Sim) softDeleteServicePrincipal(sp *servicePrincipal) {
	delete(s.dir.sps, sp.ID)
	delete(s.dir.spByAppID, sp.AppID)
	s.dir.spOrder = removeID(s.dir.spOrder, sp.ID)
	item := &deletedItem{sp: sp, assignments: s.dir.assignments[sp.ID]}
	for _, as := range s.dir.assignments[sp.ID] {
		delete(s.dir.assignmentIDs, as.ID)
	}
	delete(s.dir.assignments, sp.ID)
	sp.DeletedAt = s.clock.Now()
	s.addDeleted(sp.ID, item)
	s.onServicePrincipalDeleted(sp.ID)
}

func (s *Sim) addDeleted(id string, item *deletedItem) {
	s.dir.deleted[id] = item
	s.dir.deletedOrder = append(s.dir.deletedOrder, id)
}

func removeID(ids []string, id string) []string {
	for i, v := range ids {
		if v == id {
			return append(ids[:i:i], ids[i+1:]...)
		}
	}
	return ids
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
