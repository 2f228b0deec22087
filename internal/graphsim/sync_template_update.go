package graphsim

import (
	"fmt"
	"net/http"
	"strings"
)

// offeredTemplate returns the canonical id of a synchronization template the
// service principal offers; Graph matches template ids case-insensitively
// (templates/Slack and templates/slack name the same template).
func (p *spSync) offeredTemplate(id string) (string, bool) {
	for _, t := range p.templateIDs {
		if strings.EqualFold(t, id) {
			return t, true
		}
	}
	return "", false
}

// templateView renders a template as this application sees it: the built-in
// template with the application's own override (PUT/PATCH …/templates/{id})
// laid over it. Overrides are per application, so one tenant's change never
// shows in another application's templates.
func (p *spSync) templateView(t *syncTemplate, appID string, isDefault bool) map[string]any {
	out := t.templateJSON(appID, isDefault)
	for k, v := range p.templateOverrides[t.ID] {
		out[k] = deepCopy(v)
	}
	return out
}

// templateUpdatable are the synchronizationTemplate properties a PUT/PATCH
// replaces; id and applicationId identify the template and must not differ,
// default is decided by the service, schema has its own route.
var templateUpdatable = map[string]bool{"description": true, "discoverable": true, "factoryTag": true, "metadata": true}

// handleUpdateTemplate serves PUT and PATCH
// /applications/{id}/synchronization/templates/{templateId}: the body is the
// whole synchronizationTemplate and replaces the application's copy
// ("missing properties will be erased"), answering 204.
func (s *Sim) handleUpdateTemplate(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, appID, ok := s.resolveTemplateOwner(w, r, byApplication)
	if !ok {
		return
	}
	t, ok := s.templateOf(w, r, p)
	if !ok {
		return
	}
	override, fail := templateOverride(body, t.ID, appID)
	if fail != nil {
		fail.write(w, r)
		return
	}
	if p.templateOverrides == nil {
		p.templateOverrides = map[string]map[string]any{}
	}
	p.templateOverrides[t.ID] = override
	w.WriteHeader(http.StatusNoContent)
}

// templateOverride validates an update body against the metadata and returns
// the values it sets (erased properties as their empty value).
func templateOverride(body map[string]any, templateID, appID string) (map[string]any, *httpFailure) {
	const typeName = "microsoft.graph.synchronizationTemplate"
	out := map[string]any{"description": nil, "discoverable": false, "factoryTag": nil, "metadata": []any{}}
	for k, v := range body {
		if strings.HasPrefix(k, "@odata.") {
			continue
		}
		if _, declared := metadata.Property(typeName, k); !declared {
			if _, nav := metadata.NavigationProperty(typeName, k); !nav {
				return nil, &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type.", k, typeName)}
			}
		}
		if probs := metadata.ValidateProperty(typeName, k, v); len(probs) > 0 {
			return nil, &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("Invalid value for property '%s': %s.", k, probs[0].Message)}
		}
		switch {
		case k == "id" && v != nil && !strings.EqualFold(asString(v), templateID):
			return nil, &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("The template id '%s' in the body does not match the template '%s' in the URL.", asString(v), templateID)}
		case k == "applicationId" && v != nil && !strings.EqualFold(asString(v), appID):
			return nil, &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("applicationId '%s' in the body is not this application's appId.", asString(v))}
		case k == "schema":
			return nil, &httpFailure{http.StatusBadRequest, "BadRequest", "A template's schema is updated through …/templates/{templateId}/schema, not inline."}
		case templateUpdatable[k]:
			if k == "metadata" && v == nil {
				v = []any{}
			}
			out[k] = deepCopy(v)
		}
	}
	return out, nil
}

// handleAcquireAccessToken serves POST …/synchronization/acquireAccessToken
// (on servicePrincipals and applications): it takes the OAuth credentials
// of an app whose provisioning authorizes with OAuth and answers 204. The
// simulator has no OAuth authorization server to call, so it validates the
// credentials' shape and keys (Graph's errors) and stores nothing.
func (s *Sim) handleAcquireAccessToken(mode addressing) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := readJSONBody(w, r, false)
		if !ok {
			return
		}
		s.mu.Lock()
		_, _, ok = s.resolveTemplateOwner(w, r, mode)
		s.mu.Unlock()
		if !ok {
			return
		}
		for k := range body {
			if k != "credentials" && !strings.HasPrefix(k, "@odata.") {
				writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("The parameter '%s' is not a parameter of acquireAccessToken; send {\"credentials\":[{\"key\":…,\"value\":…}]}.", k))
				return
			}
		}
		creds, present := body["credentials"]
		if !present {
			writeError(w, r, http.StatusBadRequest, "BadRequest", "acquireAccessToken needs {\"credentials\":[{\"key\":…,\"value\":…}]}.")
			return
		}
		if _, fail := parseSecretPairs(creds); fail != nil {
			fail.write(w, r)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
