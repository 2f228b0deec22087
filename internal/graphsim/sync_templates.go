package graphsim

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// scimTemplateSchemaJSON is the non-gallery "scim" template's default schema
// (data/README.md says where each embedded file comes from).
//
//go:embed data/scim-template-schema.json
var scimTemplateSchemaJSON []byte

// syncTemplate is one synchronizationTemplate. Its schema is decoded once and
// shared read-only by every job that keeps the template default.
type syncTemplate struct {
	ID           string
	FactoryTag   string
	Description  string
	Metadata     []map[string]string
	schema       map[string]any
	targetDir    string // target directory name, e.g. "customappsso"
	compiled     *compiledSchema
	compileError error
}

// galleryTemplate describes a SCIM gallery app's synchronization template;
// gallery SCIM apps reuse the scim schema's object names under their own
// target directory and rule id.
type galleryTemplate struct {
	id, factoryTag, description, targetDir, galleryKey string
	// ruleID is the synchronization rule's id where the real one is
	// known; otherwise one is derived from the template id.
	ruleID string
}

var galleryTemplates = []galleryTemplate{
	{"mypolicies", "mypolicies", "Provision users to myPolicies", "myPolicies", "mypolicies", ""},
	{"slack", "slack", "Provision users and groups to Slack", "Slack", "slack", ""},
	{"atlassianCloud", "atlassianCloud", "Provision users and groups to Atlassian Cloud", "Atlassian Cloud", "atlassiancloud", ""},
	// dataBricks is the id Microsoft's Azure Databricks SCIM Provisioning
	// Connector uses (the AzureAD provider's acceptance tests name it);
	// SfOutDelta is Salesforce's, as Graph's synchronizationTemplate docs
	// show. The others follow the gallery app's name (⚠ UNVERIFIED).
	// 03f7d90d-… is the rule id Entra's dataBricks jobs report (the AzureAD
	// provider's provision-on-demand acceptance test sends it).
	{"dataBricks", "dataBricks", "Provision users and groups to Azure Databricks", "dataBricks", "azuredatabricks", "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8"},
	{"serviceNow", "serviceNow", "Provision users and groups to ServiceNow", "serviceNow", "servicenow.com", ""},
	{"SfOutDelta", "SfOutDelta", "Provision users to Salesforce", "salesforce", "salesforce.com", ""},
	{"zoom", "zoom", "Provision users and groups to Zoom", "zoom", "zoom.us", ""},
	{"dropboxBusiness", "dropboxBusiness", "Provision users and groups to Dropbox Business", "dropboxBusiness", "dropbox.com", ""},
	{"gitHubEnterpriseManagedUser", "gitHubEnterpriseManagedUser", "Provision users and groups to GitHub Enterprise Managed Users", "gitHubEnterpriseManagedUser", "github.com", ""},
}

// builtinSyncTemplates builds the scim template and the gallery templates.
func builtinSyncTemplates() map[string]*syncTemplate {
	base, err := decodeJSONObject(scimTemplateSchemaJSON)
	if err != nil {
		panic("graphsim: embedded scim template schema is invalid: " + err.Error())
	}
	// Real services emit flags without spaces; msgraph-sdk-go drops the
	// spaced form the docs show, so the simulator's own defaults use
	// "Add,Update,Delete" (stored client values are echoed unchanged).
	normalizeFlowTypes(base)
	out := map[string]*syncTemplate{}
	scim := &syncTemplate{
		ID:          "scim",
		FactoryTag:  "CustomSCIM",
		Description: "Provision users and groups to any SCIM 2.0 application",
		Metadata:    []map[string]string{{"key": "IsOAuthEnabled", "value": "false"}},
		schema:      base,
		targetDir:   "customappsso",
	}
	out[scim.ID] = scim
	for _, g := range galleryTemplates {
		schema := deepCopy(base).(map[string]any)
		ruleID := g.ruleID
		if ruleID == "" {
			ruleID = uuid.NewSHA1(uuid.NameSpaceOID, []byte("graphsim-rule-"+g.id)).String()
		}
		retargetSchema(schema, "customappsso", g.targetDir, ruleID)
		out[g.id] = &syncTemplate{
			ID:          g.id,
			FactoryTag:  g.factoryTag,
			Description: g.description,
			Metadata: []map[string]string{
				{"key": "GalleryApplicationIdentifier", "value": uuid.NewSHA1(uuid.NameSpaceOID, []byte("graphsim-gallery-"+g.id)).String()},
				{"key": "GalleryApplicationKey", "value": g.galleryKey},
				{"key": "IsOAuthEnabled", "value": "false"},
				{"key": "IsSynchronizationAgentAssignmentRequired", "value": "false"},
				{"key": "IsSynchronizationAgentRequired", "value": "false"},
				{"key": "IsSynchronizationInPreview", "value": "false"},
			},
			schema:    schema,
			targetDir: g.targetDir,
		}
	}
	for _, t := range out {
		t.compiled, t.compileError = compileSchema(t.schema)
		if t.compileError != nil {
			panic(fmt.Sprintf("graphsim: template %q does not compile: %v", t.ID, t.compileError))
		}
	}
	return out
}

// templatesFor returns the synchronization templates a service principal
// offers: its own (default) template, or none for apps without
// provisioning. An unknown id (a gallery app this simulator does not model)
// gets a scim-shaped template under that id. Caller holds s.mu.
func (s *Sim) templatesFor(syncTemplateID string) []string {
	if syncTemplateID == "" {
		return nil
	}
	if s.sync.templates[syncTemplateID] == nil {
		schema := deepCopy(s.sync.templates["scim"].schema).(map[string]any)
		retargetSchema(schema, "customappsso", syncTemplateID,
			uuid.NewSHA1(uuid.NameSpaceOID, []byte("graphsim-rule-"+syncTemplateID)).String())
		t := &syncTemplate{ID: syncTemplateID, FactoryTag: syncTemplateID,
			Description: "Provision users and groups to " + syncTemplateID,
			Metadata:    []map[string]string{}, schema: schema, targetDir: syncTemplateID}
		t.compiled, t.compileError = compileSchema(schema)
		s.sync.templates[syncTemplateID] = t
	}
	return []string{syncTemplateID}
}

// retargetSchema renames the target directory and gives the rule its own id.
func retargetSchema(schema map[string]any, from, to, ruleID string) {
	for _, d := range asSlice(schema["directories"]) {
		if dm, ok := d.(map[string]any); ok && dm["name"] == from {
			dm["name"] = to
			dm["id"] = uuid.NewSHA1(uuid.NameSpaceOID, []byte("graphsim-dir-"+to)).String()
		}
	}
	for _, r := range asSlice(schema["synchronizationRules"]) {
		if rm, ok := r.(map[string]any); ok {
			if rm["targetDirectoryName"] == from {
				rm["targetDirectoryName"] = to
			}
			rm["id"] = ruleID
		}
	}
}

// normalizeFlowTypes rewrites "Add, Update, Delete" to "Add,Update,Delete".
func normalizeFlowTypes(schema map[string]any) {
	for _, r := range asSlice(schema["synchronizationRules"]) {
		for _, om := range asSlice(asMap(r)["objectMappings"]) {
			m := asMap(om)
			if f, ok := m["flowTypes"].(string); ok {
				m["flowTypes"] = string(bytes.ReplaceAll([]byte(f), []byte(" "), nil))
			}
		}
	}
}

// templateJSON renders a synchronizationTemplate (schema is a navigation
// property: served at …/templates/{id}/schema, not expanded here).
func (t *syncTemplate) templateJSON(appID string, isDefault bool) map[string]any {
	return map[string]any{
		"id":            t.ID,
		"applicationId": appID,
		"default":       isDefault,
		"description":   t.Description,
		"discoverable":  true,
		"factoryTag":    t.FactoryTag,
		"metadata":      t.Metadata,
	}
}

// schemaJSON returns a copy of the template schema with its id filled in.
func (t *syncTemplate) schemaJSON(id string) map[string]any {
	out := shallowCopy(t.schema)
	out["id"] = id
	return out
}

// addressing tells the template handlers how {id} names the SP.
type addressing int

const (
	bySP addressing = iota
	byApplication
)

// resolveTemplateOwner finds the synchronization state for {id} and writes a
// 404 when there is none. Caller holds s.mu.
func (s *Sim) resolveTemplateOwner(w http.ResponseWriter, r *http.Request, mode addressing) (*spSync, string, bool) {
	id := r.PathValue("id")
	if mode == bySP {
		p := s.spSyncFor(id)
		if p == nil {
			writeSPNotFound(w, r, id)
			return nil, "", false
		}
		return p, s.servicePrincipal(id).AppID, true
	}
	s.initSyncState()
	for _, p := range s.sync.sps {
		if p.applicationObjectID == id {
			if sp := s.servicePrincipal(p.spID); sp != nil {
				return p, sp.AppID, true
			}
		}
	}
	writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
	return nil, "", false
}

func (s *Sim) handleListTemplates(mode addressing) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		p, appID, ok := s.resolveTemplateOwner(w, r, mode)
		if !ok {
			return
		}
		value := make([]any, 0, len(p.templateIDs))
		for i, id := range p.templateIDs {
			value = append(value, p.templateView(s.sync.templates[id], appID, i == 0))
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"@odata.context": odataContext(r, "synchronization/templates"),
			"value":          value,
		})
	}
}

// templateOf returns the named template if the SP offers it, else writes 404.
func (s *Sim) templateOf(w http.ResponseWriter, r *http.Request, p *spSync) (*syncTemplate, bool) {
	id := r.PathValue("templateId")
	if t, ok := p.offeredTemplate(id); ok {
		return s.sync.templates[t], true
	}
	writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Synchronization template '%s' is not offered by this service principal; list …/synchronization/templates for the valid ids.", id))
	return nil, false
}

func (s *Sim) handleGetTemplate(mode addressing) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		p, appID, ok := s.resolveTemplateOwner(w, r, mode)
		if !ok {
			return
		}
		t, ok := s.templateOf(w, r, p)
		if !ok {
			return
		}
		body := p.templateView(t, appID, t.ID == p.templateIDs[0])
		body["@odata.context"] = odataContext(r, "synchronization/templates/$entity")
		writeJSON(w, http.StatusOK, body)
	}
}

func (s *Sim) handleGetTemplateSchema(mode addressing) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		p, _, ok := s.resolveTemplateOwner(w, r, mode)
		if !ok {
			return
		}
		t, ok := s.templateOf(w, r, p)
		if !ok {
			return
		}
		writeRawJSON(w, http.StatusOK, t.schemaJSON(t.ID))
	}
}

// writeSPNotFound writes Graph's 404 for an unknown service principal.
func writeSPNotFound(w http.ResponseWriter, r *http.Request, id string) {
	writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
}

// odataContext builds an @odata.context value for the request's service
// principal.
func odataContext(r *http.Request, suffix string) string {
	set := "servicePrincipals"
	if strings.HasPrefix(r.URL.Path, graphPrefix+"/applications/") {
		set = "applications"
	}
	return metadataURL(r) + set + "('" + r.PathValue("id") + "')/" + suffix
}

// writeRawJSON writes a decoded-with-UseNumber document; json.Number values
// are written back exactly as received.
func writeRawJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeError(w, nil, http.StatusInternalServerError, "InternalError", "could not encode response: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
