package graphsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Directory extension properties, as documented in microsoft-graph-docs
// v1.0 (application-post-extensionproperty, application-list-
// extensionproperty, directoryobject-getavailableextensionproperties):
// an application registers extension_<appId without dashes>_<name> for
// some target object types, and getAvailableExtensionProperties lists every
// property registered by a live application of the tenant. The simulator
// syncs nothing from on-premises, so isSyncedFromOnPremises is always false.

// extensionProperty is one registered directory extension.
type extensionProperty struct {
	ID            string
	Name          string // full name, extension_<appId>_<name>
	DataType      string
	IsMultiValued bool
	TargetObjects []string
	appObjectID   string
}

// Values Graph documents for extensionProperty.dataType and targetObjects.
var (
	extensionDataTypes     = []string{"Binary", "Boolean", "DateTime", "Integer", "LargeInteger", "String"}
	extensionTargetObjects = []string{"User", "Group", "AdministrativeUnit", "Application", "Device", "Organization"}
)

// readOnlyActions are POST actions that only read, so a client with read
// permissions may call them (Graph: Directory.Read.All suffices for
// getAvailableExtensionProperties).
var readOnlyActions = map[string]bool{
	"POST " + graphPrefix + "/directoryObjects/getAvailableExtensionProperties": true,
}

func (s *Sim) extensionRoutes(mux *http.ServeMux) {
	const v = graphPrefix
	mux.HandleFunc("GET "+v+"/applications/{id}/extensionProperties", s.handleListExtensionProperties)
	mux.HandleFunc("POST "+v+"/applications/{id}/extensionProperties", s.handleCreateExtensionProperty)
	mux.HandleFunc("DELETE "+v+"/applications/{id}/extensionProperties/{propertyId}", s.handleDeleteExtensionProperty)
	mux.HandleFunc("POST "+v+"/directoryObjects/getAvailableExtensionProperties", s.handleAvailableExtensionProperties)
}

func (p *extensionProperty) json(appDisplayName string) map[string]any {
	return map[string]any{
		"@odata.type":            "#microsoft.graph.extensionProperty",
		"id":                     p.ID,
		"deletedDateTime":        nil,
		"appDisplayName":         appDisplayName,
		"name":                   p.Name,
		"dataType":               p.DataType,
		"isMultiValued":          p.IsMultiValued,
		"isSyncedFromOnPremises": false,
		"targetObjects":          slices.Clone(p.TargetObjects),
	}
}

func (s *Sim) handleCreateExtensionProperty(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name          string   `json:"name"`
		DataType      string   `json:"dataType"`
		IsMultiValued bool     `json:"isMultiValued"`
		TargetObjects []string `json:"targetObjects"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	switch {
	case body.Name == "":
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Property 'name' is required.")
		return
	case !slices.Contains(extensionDataTypes, body.DataType):
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest",
			fmt.Sprintf("Invalid value '%s' for property 'dataType'; use one of %s.", body.DataType, strings.Join(extensionDataTypes, ", ")))
		return
	case len(body.TargetObjects) == 0:
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Property 'targetObjects' needs at least one object type.")
		return
	}
	for _, t := range body.TargetObjects {
		if !slices.Contains(extensionTargetObjects, t) {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest",
				fmt.Sprintf("Invalid value '%s' in 'targetObjects'; use %s.", t, strings.Join(extensionTargetObjects, ", ")))
			return
		}
	}
	s.mu.Lock()
	a := s.liveApplication(w, r, r.PathValue("id"))
	if a == nil {
		s.mu.Unlock()
		return
	}
	name := "extension_" + strings.ReplaceAll(a.AppID, "-", "") + "_" + body.Name
	for _, p := range s.dir.extensions {
		if strings.EqualFold(p.Name, name) {
			s.mu.Unlock()
			// ⚠ UNVERIFIED wording; a 400 is the safest guess for a duplicate.
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("An extension property named '%s' already exists.", name))
			return
		}
	}
	p := &extensionProperty{ID: uuid.NewString(), Name: name, DataType: body.DataType, IsMultiValued: body.IsMultiValued,
		TargetObjects: slices.Clone(body.TargetObjects), appObjectID: a.ID}
	s.dir.extensions = append(s.dir.extensions, p)
	obj := p.json(a.DisplayName)
	s.mu.Unlock()
	obj["@odata.context"] = s.ready.GraphEndpoint + graphPrefix + "/$metadata#applications('" + a.ID + "')/extensionProperties/$entity"
	writeJSON(w, http.StatusCreated, obj)
}

func (s *Sim) handleListExtensionProperties(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	a := s.liveApplication(w, r, r.PathValue("id"))
	if a == nil {
		s.mu.Unlock()
		return
	}
	items := []map[string]any{}
	for _, p := range s.dir.extensions {
		if p.appObjectID == a.ID {
			items = append(items, p.json(a.DisplayName))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.ready.GraphEndpoint + graphPrefix + "/$metadata#applications('" + a.ID + "')/extensionProperties",
		"value":          items,
	})
}

func (s *Sim) handleDeleteExtensionProperty(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.liveApplication(w, r, r.PathValue("id"))
	if a == nil {
		return
	}
	id := r.PathValue("propertyId")
	for i, p := range s.dir.extensions {
		if p.appObjectID == a.ID && strings.EqualFold(p.ID, id) {
			s.dir.extensions = slices.Delete(s.dir.extensions, i, i+1)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeNotFound(w, r, id)
}

// handleAvailableExtensionProperties lists the properties of live
// applications. isSyncedFromOnPremises = true selects none (nothing is
// synced here); false or absent selects all.
func (s *Sim) handleAvailableExtensionProperties(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, true)
	if !ok {
		return
	}
	onPremOnly := false
	if v, present := body["isSyncedFromOnPremises"]; present && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid value for parameter 'isSyncedFromOnPremises': expected a Boolean.")
			return
		}
		onPremOnly = b
	}
	s.mu.Lock()
	items := []map[string]any{}
	for _, p := range s.dir.extensions {
		a := s.dir.apps[p.appObjectID]
		if onPremOnly || a == nil {
			continue // a deleted application's properties are not available
		}
		items = append(items, p.json(a.DisplayName))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.ready.GraphEndpoint + graphPrefix + "/$metadata#Collection(extensionProperty)",
		"value":          items,
	})
}
