package graphsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// App registrations created and changed directly (application-post-applications,
// application-update), as azuread_application does: every declared,
// client-settable property of microsoft.graph.application is accepted,
// validated against Graph's metadata and stored as sent.

// applicationReadOnly are the application properties Graph computes.
// Credentials are out of scope (issue 10) and only change through
// addPassword/addKey in Graph, so they are refused here too.
var applicationReadOnly = map[string]bool{
	"id": true, "appId": true, "applicationTemplateId": true, "createdDateTime": true, "deletedDateTime": true,
	"publisherDomain": true, "disabledByMicrosoftStatus": true, "passwordCredentials": true, "keyCredentials": true,
	"verifiedPublisher": true, "certification": true, "logo": true,
}

// signInAudiences are the values application.signInAudience takes.
var signInAudiences = []string{"AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"}

func badApplicationValue(w http.ResponseWriter, r *http.Request, prop string, detail string) {
	writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'Application'%s.", prop, detail))
}

// bindOwners adds the directory objects an "owners@odata.bind" value names
// to owners; a malformed bind is a 400 already written.
func bindOwners(w http.ResponseWriter, r *http.Request, raw json.RawMessage, owners *[]string) bool {
	ids, ok := bindIDs(w, r, raw)
	if !ok {
		return false
	}
	for _, id := range ids {
		*owners = addID(*owners, id)
	}
	return true
}

// settableProperty answers Graph's 400 unless prop is a property of
// typeName that a client may set (declared by the metadata, not read-only).
func settableProperty(w http.ResponseWriter, r *http.Request, typeName string, readOnly map[string]bool, prop string) bool {
	if readOnly[prop] {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' is read-only and cannot be set.", prop))
		return false
	}
	if _, declared := metadata.Property(typeName, prop); !declared {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Property '%s' does not exist as a declared property or extension property.", prop))
		return false
	}
	return true
}

// applyApplicationBody sets the properties of body on a (a copy the caller
// discards on failure). Unknown and read-only properties are 400s.
func applyApplicationBody(w http.ResponseWriter, r *http.Request, body map[string]json.RawMessage, a *application) bool {
	if a.props == nil {
		a.props = map[string]any{}
	}
	for k, raw := range body {
		if strings.HasPrefix(k, "@odata.") {
			continue
		}
		if k == "owners@odata.bind" {
			if !bindOwners(w, r, raw, &a.OwnerIDs) {
				return false
			}
			continue
		}
		if !settableProperty(w, r, "microsoft.graph.application", applicationReadOnly, k) {
			return false
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			badApplicationValue(w, r, k, "")
			return false
		}
		if probs := metadata.ValidateProperty("microsoft.graph.application", k, v); len(probs) > 0 {
			badApplicationValue(w, r, k, ": "+probs[0].String())
			return false
		}
		switch k {
		case "displayName":
			name, _ := v.(string)
			if !validDisplayName(w, r, &name) {
				return false
			}
			a.DisplayName = name
		case "description", "notes", "serviceManagementReference":
			str, _ := v.(string) // null clears
			*map[string]*string{"description": &a.Description, "notes": &a.Notes, "serviceManagementReference": &a.ServiceManagementReference}[k] = str
		case "signInAudience":
			// Edm.String in the metadata; Graph accepts only these values.
			if aud, _ := v.(string); !slices.Contains(signInAudiences, aud) {
				badApplicationValue(w, r, k, ": use "+strings.Join(signInAudiences, ", "))
				return false
			}
			a.props[k] = v
		case "tags":
			var tags []string
			_ = json.Unmarshal(raw, &tags)
			a.Tags = tags
		case "appRoles":
			roles, ok := decodeAppRoles(w, r, raw)
			if !ok {
				return false
			}
			a.AppRoles = roles
		default:
			a.props[k] = v
		}
	}
	return true
}

// decodeAppRoles decodes an application's appRoles: each needs a GUID id and
// a unique value, as Graph checks; origin is always "Application".
func decodeAppRoles(w http.ResponseWriter, r *http.Request, raw json.RawMessage) ([]AppRole, bool) {
	var roles []AppRole
	if json.Unmarshal(raw, &roles) != nil {
		badApplicationValue(w, r, "appRoles", "")
		return nil, false
	}
	seen := map[string]bool{}
	for i := range roles {
		if _, err := uuid.Parse(roles[i].ID); err != nil {
			badApplicationValue(w, r, "appRoles", fmt.Sprintf(": id '%s' is not a GUID", roles[i].ID))
			return nil, false
		}
		if v := roles[i].Value; v != nil && *v != "" {
			if seen[strings.ToLower(*v)] {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Value '%s' of appRoles must be unique.", *v))
				return nil, false
			}
			seen[strings.ToLower(*v)] = true
		}
		roles[i].ID = strings.ToLower(roles[i].ID)
		roles[i].Origin = "Application"
		if roles[i].AllowedMemberTypes == nil {
			roles[i].AllowedMemberTypes = []string{}
		}
	}
	if roles == nil {
		roles = []AppRole{}
	}
	return roles, true
}

// cloneApplication copies a so a failed PATCH leaves the stored one untouched.
func cloneApplication(a *application) *application {
	c := *a
	c.Tags = append([]string(nil), a.Tags...)
	c.AppRoles = append([]AppRole(nil), a.AppRoles...)
	c.OwnerIDs = append([]string(nil), a.OwnerIDs...)
	c.props = make(map[string]any, len(a.props))
	for k, v := range a.props {
		c.props[k] = v
	}
	return &c
}

// handleCreateApplication is POST /applications: an app registration with
// no service principal (POST /servicePrincipals {appId} adds one).
func (s *Sim) handleCreateApplication(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	if body == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "The POST body must be a JSON object.")
		return
	}
	if _, ok := body["displayName"]; !ok {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Property 'displayName' is required when creating an application.")
		return
	}
	a := &application{ID: uuid.NewString(), AppID: uuid.NewString(), AppRoles: []AppRole{}}
	if !applyApplicationBody(w, r, body, a) {
		return
	}
	s.mu.Lock()
	for _, id := range a.OwnerIDs {
		if k := s.directoryObjectKind(id); k != "user" && k != "servicePrincipal" {
			s.mu.Unlock()
			writeNotFound(w, r, id)
			return
		}
	}
	if c := callerFrom(r); c != nil && len(a.OwnerIDs) == 0 {
		// An app-only caller owns the applications it creates (what lets
		// Application.ReadWrite.OwnedBy manage them afterwards).
		a.OwnerIDs = []string{strings.ToLower(c.ObjectID)}
	}
	a.CreatedAt = s.clock.Now()
	s.dir.apps[a.ID] = a
	s.dir.appOrder = append(s.dir.appOrder, a.ID)
	obj := s.applicationJSON(a)
	s.mu.Unlock()
	obj["@odata.context"] = metadataURL(r) + "applications/$entity"
	writeJSON(w, http.StatusCreated, obj)
}

func (s *Sim) handlePatchApplication(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	if body == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "The PATCH body must be a JSON object.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.liveApplication(w, r, r.PathValue("id"))
	if a == nil {
		return
	}
	if _, ok := body["owners@odata.bind"]; ok {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Owners cannot be bound in a PATCH; use POST /applications/{id}/owners/$ref.")
		return
	}
	c := cloneApplication(a)
	if !applyApplicationBody(w, r, body, c) {
		return
	}
	*a = *c
	// Graph keeps a service principal's app roles in step with its
	// application's.
	if spID, ok := s.dir.spByAppID[a.AppID]; ok {
		s.dir.sps[spID].AppRoles = append([]AppRole(nil), a.AppRoles...)
	}
	w.WriteHeader(http.StatusNoContent)
}

// ownersOf returns the owner list of the application or service principal
// the path names, or answers 400/404 itself. Caller holds s.mu.
func (s *Sim) ownersOf(w http.ResponseWriter, r *http.Request, servicePrincipal bool) *[]string {
	if servicePrincipal {
		if sp := s.liveServicePrincipal(w, r, r.PathValue("id")); sp != nil {
			return &sp.OwnerIDs
		}
		return nil
	}
	if a := s.liveApplication(w, r, r.PathValue("id")); a != nil {
		return &a.OwnerIDs
	}
	return nil
}

// handleListAppOwners is GET /applications/{id}/owners and
// /servicePrincipals/{id}/owners. Instantiate records no owners for an
// app-only caller (⚠ UNVERIFIED); POST /applications and
// /servicePrincipals record the caller or the bound owners.
func (s *Sim) handleListAppOwners(servicePrincipal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		owners := s.ownersOf(w, r, servicePrincipal)
		if owners == nil {
			s.mu.Unlock()
			return
		}
		items := make([]map[string]any, 0, len(*owners))
		for _, id := range *owners {
			if m := s.directoryObjectJSON(id); m != nil {
				items = append(items, m)
			}
		}
		s.mu.Unlock()
		s.writeList(w, r, directoryObjectSpec, items)
	}
}

// handleAddAppOwner is POST /applications|servicePrincipals/{id}/owners/$ref.
func (s *Sim) handleAddAppOwner(servicePrincipal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ownerID, ok := refTarget(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		owners := s.ownersOf(w, r, servicePrincipal)
		if owners == nil {
			return
		}
		if k := s.directoryObjectKind(ownerID); k != "user" && k != "servicePrincipal" {
			writeNotFound(w, r, ownerID)
			return
		}
		if slices.Contains(*owners, ownerID) {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'owners'.")
			return
		}
		*owners = append(*owners, ownerID)
		w.WriteHeader(http.StatusNoContent)
	}
}

// handleRemoveAppOwner is DELETE …/{id}/owners/{ownerId}/$ref.
func (s *Sim) handleRemoveAppOwner(servicePrincipal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		owners := s.ownersOf(w, r, servicePrincipal)
		if owners == nil {
			return
		}
		ownerID := strings.ToLower(r.PathValue("ownerId"))
		if !slices.Contains(*owners, ownerID) {
			writeNotFound(w, r, ownerID)
			return
		}
		*owners = removeID(*owners, ownerID)
		w.WriteHeader(http.StatusNoContent)
	}
}
