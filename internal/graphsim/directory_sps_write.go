package graphsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Service principal writes (serviceprincipal-post-serviceprincipals,
// serviceprincipal-update): every declared, client-settable property of
// microsoft.graph.servicePrincipal, validated against Graph's metadata.

// servicePrincipalReadOnly are the service principal properties Graph
// computes or changes only through other calls (credentials are out of
// scope, issue 10).
var servicePrincipalReadOnly = map[string]bool{
	"id": true, "appId": true, "applicationTemplateId": true, "deletedDateTime": true, "appOwnerOrganizationId": true,
	"servicePrincipalNames": true, "servicePrincipalType": true, "appDisplayName": true, "appDescription": true,
	"publisherName": true, "signInAudience": true, "appRoles": true, "oauth2PermissionScopes": true,
	"passwordCredentials": true, "keyCredentials": true, "verifiedPublisher": true, "info": true,
	"disabledByMicrosoftStatus": true, "resourceSpecificApplicationPermissions": true,
}

var ssoModes = []string{"", "saml", "password", "oidc", "notSupported"}

// applyServicePrincipalBody sets the properties of body on sp (a copy the
// caller discards on failure). skip names properties the caller handles.
func applyServicePrincipalBody(w http.ResponseWriter, r *http.Request, body map[string]json.RawMessage, sp *servicePrincipal, skip string) bool {
	if sp.props == nil {
		sp.props = map[string]any{}
	}
	for k, raw := range body {
		if k == skip || strings.HasPrefix(k, "@odata.") {
			continue
		}
		if k == "owners@odata.bind" {
			if !bindOwners(w, r, raw, &sp.OwnerIDs) {
				return false
			}
			continue
		}
		if !settableProperty(w, r, "microsoft.graph.servicePrincipal", servicePrincipalReadOnly, k) {
			return false
		}
		var v any
		if json.Unmarshal(raw, &v) != nil || len(metadata.ValidateProperty("microsoft.graph.servicePrincipal", k, v)) > 0 {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s' of resource 'ServicePrincipal'.", k))
			return false
		}
		str, _ := v.(string)
		switch k {
		case "displayName":
			if !validDisplayName(w, r, &str) {
				return false
			}
			sp.DisplayName = str
		case "description":
			sp.Description = str
		case "notes":
			sp.Notes = str
		case "preferredSingleSignOnMode":
			if !slices.Contains(ssoModes, str) {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property 'preferredSingleSignOnMode': '%s' (use saml, password, oidc or notSupported).", str))
				return false
			}
			sp.PreferredSingleSignOnMode = str
		case "tags", "notificationEmailAddresses":
			var list []string
			_ = json.Unmarshal(raw, &list)
			if k == "tags" {
				sp.Tags = list
			} else {
				sp.NotificationEmailAddresses = list
			}
		case "appRoleAssignmentRequired", "accountEnabled":
			b, ok := v.(bool)
			if !ok {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid value specified for property '%s': it cannot be null.", k))
				return false
			}
			if k == "accountEnabled" {
				sp.AccountEnabled = b
			} else {
				sp.AppRoleAssignmentRequired = b
			}
		default:
			sp.props[k] = v
		}
	}
	return true
}

// bindIDs decodes an @odata.bind list of directory object URLs into ids.
func bindIDs(w http.ResponseWriter, r *http.Request, raw json.RawMessage) ([]string, bool) {
	var refs []string
	if json.Unmarshal(raw, &refs) != nil {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'owners@odata.bind': a list of directory object URLs.")
		return nil, false
	}
	ids := make([]string, 0, len(refs))
	for _, ref := range refs {
		id := strings.ToLower(lastSegment(ref))
		if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid object identifier '%s'.", ref))
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// cloneServicePrincipal copies the directory half's fields of sp so a failed
// PATCH leaves the stored one untouched (the embedded record is shared).
func cloneServicePrincipal(sp *servicePrincipal) *servicePrincipal {
	c := *sp
	inner := *sp.ServicePrincipal
	c.ServicePrincipal = &inner
	c.Tags = slices.Clone(sp.Tags)
	c.NotificationEmailAddresses = slices.Clone(sp.NotificationEmailAddresses)
	c.OwnerIDs = slices.Clone(sp.OwnerIDs)
	c.props = make(map[string]any, len(sp.props))
	for k, v := range sp.props {
		c.props[k] = v
	}
	return &c
}

func (s *Sim) handlePatchServicePrincipal(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	if body == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "The PATCH body must be a JSON object.")
		return
	}
	if _, ok := body["owners@odata.bind"]; ok {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Owners cannot be bound in a PATCH; use POST /servicePrincipals/{id}/owners/$ref.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp := s.liveServicePrincipal(w, r, r.PathValue("id"))
	if sp == nil {
		return
	}
	c := cloneServicePrincipal(sp)
	if !applyServicePrincipalBody(w, r, body, c, "") {
		return
	}
	// Keep the record the synchronization half holds: copy into it.
	inner := sp.ServicePrincipal
	*inner = *c.ServicePrincipal
	*sp = *c
	sp.ServicePrincipal = inner
	w.WriteHeader(http.StatusNoContent)
}

// handleCreateServicePrincipal is POST /servicePrincipals {"appId", …}: the
// service principal of an existing application that has none.
func (s *Sim) handleCreateServicePrincipal(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !decodeBody(w, r, &body) {
		return
	}
	var appID string
	if raw, ok := body["appId"]; !ok || json.Unmarshal(raw, &appID) != nil || appID == "" {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Property 'appId' is required when creating a service principal.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var app *application
	for _, a := range s.dir.apps {
		if strings.EqualFold(a.AppID, appID) {
			app = a
		}
	}
	if app == nil {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("The appId '%s' of the service principal does not reference a valid application object.", appID))
		return
	}
	if _, exists := s.dir.spByAppID[app.AppID]; exists {
		writeError(w, r, http.StatusConflict, "Request_MultipleObjectsWithSameKeyValue", fmt.Sprintf("The service principal cannot be created, updated, or restored because the service principal name %s is already in use.", app.AppID))
		return
	}
	// Validate the body on a draft before anything is registered.
	draft := &servicePrincipal{ServicePrincipal: &ServicePrincipal{DisplayName: app.DisplayName}, AccountEnabled: true}
	if !applyServicePrincipalBody(w, r, body, draft, "appId") {
		return
	}
	for _, id := range draft.OwnerIDs {
		if k := s.directoryObjectKind(id); k != "user" && k != "servicePrincipal" {
			writeNotFound(w, r, id)
			return
		}
	}
	tags := draft.Tags
	if app.ApplicationTemplateID != "" && tags == nil {
		_, tags = s.templateRolesAndTags(app.ApplicationTemplateID)
	}
	sp := s.newServicePrincipal(app, s.syncTemplateFor(app.ApplicationTemplateID), tags)
	sp.DisplayName = draft.DisplayName
	sp.AppRoleAssignmentRequired = draft.AppRoleAssignmentRequired
	sp.Description, sp.Notes, sp.AccountEnabled = draft.Description, draft.Notes, draft.AccountEnabled
	sp.PreferredSingleSignOnMode, sp.NotificationEmailAddresses = draft.PreferredSingleSignOnMode, draft.NotificationEmailAddresses
	sp.props, sp.OwnerIDs = draft.props, draft.OwnerIDs
	if c := callerFrom(r); c != nil && len(sp.OwnerIDs) == 0 && app.ApplicationTemplateID == "" {
		sp.OwnerIDs = []string{strings.ToLower(c.ObjectID)}
	}
	obj := s.servicePrincipalJSON(sp)
	obj["@odata.context"] = metadataURL(r) + "servicePrincipals/$entity"
	writeJSON(w, http.StatusCreated, obj)
}
