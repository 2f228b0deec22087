package graphsim

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

var assignmentSpec = listSpec{
	context:    "servicePrincipals('{id}')/appRoleAssignedTo",
	resource:   "appRoleAssignment",
	filterable: map[string]bool{"principalId": true, "appRoleId": true, "principalType": true, "resourceId": true, "principalDisplayName": true},
	defaultTop: 100,
	maxTop:     999,
}

// newAssignmentID makes an opaque, URL-safe id shaped like Graph's (43
// base64url characters): the principal's GUID bytes plus random bytes.
func newAssignmentID(principalID string) string {
	b := make([]byte, 32)
	if u, err := uuid.Parse(principalID); err == nil {
		copy(b, u[:])
	}
	_, _ = rand.Read(b[16:])
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Sim) handleCreateAssignment(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PrincipalID string `json:"principalId"`
		ResourceID  string `json:"resourceId"`
		AppRoleID   string `json:"appRoleId"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	spID := strings.ToLower(r.PathValue("id"))
	if !validObjectID(w, r, spID) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.dir.sps[spID]
	if sp == nil {
		writeNotFound(w, r, spID)
		return
	}
	if s.lagging(sp.CreatedAt) {
		// Replication lag: the azuread provider retries on exactly this message.
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Not a valid reference update.")
		return
	}
	if body.ResourceID == "" || !strings.EqualFold(body.ResourceID, spID) {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment': '%s' must be the service principal in the URL (%s).", body.ResourceID, spID))
		return
	}
	principalType, principalName := s.principal(body.PrincipalID)
	if principalType == "" {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property 'principalId' of resource 'AppRoleAssignment': no user, group or service principal '%s' exists.", body.PrincipalID))
		return
	}
	if !roleAssignable(sp.AppRoles, body.AppRoleID, principalType) {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Permission being assigned was not found on application '%s' (appRoleId '%s').", sp.AppID, body.AppRoleID))
		return
	}
	principalID := strings.ToLower(body.PrincipalID)
	appRoleID := strings.ToLower(body.AppRoleID)
	for _, a := range s.dir.assignments[spID] {
		if a.PrincipalID == principalID && a.AppRoleID == appRoleID {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Permission being assigned already exists on the object.")
			return
		}
	}
	now := s.clock.Now()
	a := &AppRoleAssignment{
		ID:                   newAssignmentID(principalID),
		AppRoleID:            appRoleID,
		CreatedDateTime:      now.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		PrincipalDisplayName: principalName,
		PrincipalID:          principalID,
		PrincipalType:        principalType,
		ResourceDisplayName:  sp.DisplayName,
		ResourceID:           spID,
		CreatedAt:            now,
	}
	s.dir.assignments[spID] = append(s.dir.assignments[spID], a)
	s.dir.assignmentIDs[a.ID] = a
	obj := assignmentJSON(a)
	obj["@odata.context"] = metadataURL(r) + "servicePrincipals('" + spID + "')/appRoleAssignedTo/$entity"
	writeJSON(w, http.StatusCreated, obj)
}

// roleAssignable reports whether appRoleID is an enabled role of the
// service principal for the principal's kind, or the default role when it
// declares none of that kind.
func roleAssignable(roles []AppRole, appRoleID, principalType string) bool {
	// Users and groups take roles that allow "User"; service principals
	// (application permissions) roles that allow "Application".
	memberType := "User"
	if principalType == "ServicePrincipal" {
		memberType = "Application"
	}
	typedRoles := 0
	for _, role := range roles {
		for _, t := range role.AllowedMemberTypes {
			if t == memberType {
				typedRoles++
				if strings.EqualFold(role.ID, appRoleID) {
					return role.IsEnabled
				}
			}
		}
	}
	return typedRoles == 0 && appRoleID == DefaultAccessRoleID
}

// principal resolves a principal id to its type and display name ("" when
// unknown). Caller holds s.mu.
func (s *Sim) principal(id string) (string, string) {
	id = strings.ToLower(id)
	if u := s.dir.userByID[id]; u != nil && !u.SoftDeleted {
		return "User", u.DisplayName
	}
	if g := s.dir.groupByID[id]; g != nil {
		return "Group", g.DisplayName
	}
	if sp := s.dir.sps[id]; sp != nil {
		return "ServicePrincipal", sp.DisplayName
	}
	return "", ""
}

func (s *Sim) handleListAssignments(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sp := s.liveServicePrincipal(w, r, r.PathValue("id"))
	if sp == nil {
		s.mu.Unlock()
		return
	}
	items := []map[string]any{}
	for _, a := range s.dir.assignments[sp.ID] {
		items = append(items, assignmentJSON(a))
	}
	s.mu.Unlock()
	spec := assignmentSpec
	spec.context = "servicePrincipals('" + sp.ID + "')/appRoleAssignedTo"
	s.writeList(w, r, spec, items)
}

// assignmentFor finds an assignment on the service principal in the path or
// answers 404 itself. Caller holds s.mu.
func (s *Sim) assignmentFor(w http.ResponseWriter, r *http.Request) (*servicePrincipal, *AppRoleAssignment) {
	sp := s.liveServicePrincipal(w, r, r.PathValue("id"))
	if sp == nil {
		return nil, nil
	}
	aid := r.PathValue("assignmentId")
	a := s.dir.assignmentIDs[aid]
	if a == nil || a.ResourceID != sp.ID {
		writeNotFound(w, r, aid)
		return nil, nil
	}
	return sp, a
}

func (s *Sim) handleGetAssignment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sp, a := s.assignmentFor(w, r)
	if a == nil {
		s.mu.Unlock()
		return
	}
	obj := assignmentJSON(a)
	s.mu.Unlock()
	spec := assignmentSpec
	spec.context = "servicePrincipals('" + sp.ID + "')/appRoleAssignedTo"
	s.writeObject(w, r, spec, http.StatusOK, obj)
}

func (s *Sim) handleDeleteAssignment(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp, a := s.assignmentFor(w, r)
	if a == nil {
		return
	}
	delete(s.dir.assignmentIDs, a.ID)
	list := s.dir.assignments[sp.ID]
	for i, x := range list {
		if x == a {
			s.dir.assignments[sp.ID] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
