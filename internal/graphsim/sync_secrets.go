package graphsim

import (
	"fmt"
	"net/http"
	"strconv"
)

// synchronizationSecretKeys is the synchronizationSecret enum; keys are
// parsed as .NET enum names, so they are case-sensitive.
var synchronizationSecretKeys = map[string]bool{}

func init() {
	for _, k := range []string{"None", "UserName", "Password", "SecretToken", "AppKey", "BaseAddress",
		"ClientIdentifier", "ClientSecret", "SingleSignOnType", "Sandbox", "Url", "Domain", "ConsumerKey",
		"ConsumerSecret", "TokenKey", "TokenExpiration", "Oauth2AccessToken", "Oauth2AccessTokenCreationTime",
		"Oauth2RefreshToken", "SyncAll", "InstanceName", "Oauth2ClientId", "Oauth2ClientSecret", "CompanyId",
		"UpdateKeyOnSoftDelete", "SynchronizationSchedule", "SystemOfRecord", "SandboxName", "EnforceDomain",
		"SyncNotificationSettings", "SkipOutOfScopeDeletions", "Oauth2AuthorizationCode", "Oauth2RedirectUri",
		"ApplicationTemplateIdentifier", "Oauth2TokenExchangeUri", "Oauth2AuthorizationUri", "AuthenticationType",
		"Server", "PerformInboundEntitlementGrants", "HardDeletesEnabled", "SyncAgentCompatibilityKey",
		"SyncAgentADContainer", "ValidateDomain", "TestReferences", "ConnectionString"} {
		synchronizationSecretKeys[k] = true
	}
}

// maskedSecretKeys are returned as "*" by GET. UNVERIFIED which keys Graph
// masks; the simulator masks everything that is a credential (safest: a
// client can never learn a secret back from the service).
var maskedSecretKeys = map[string]bool{
	"Password": true, "SecretToken": true, "AppKey": true, "ClientSecret": true, "ConsumerSecret": true,
	"TokenKey": true, "Oauth2AccessToken": true, "Oauth2RefreshToken": true, "Oauth2ClientSecret": true,
	"Oauth2AuthorizationCode": true, "ConnectionString": true,
}

// parseSecretPairs validates a [{key,value}] list. A key that is not an exact
// enum name fails the whole request, as Graph does.
func parseSecretPairs(list any) ([]secretPair, *httpFailure) {
	items, ok := list.([]any)
	if !ok {
		return nil, &httpFailure{http.StatusBadRequest, "BadRequest", "The secrets must be a list [{\"key\":\"BaseAddress\",\"value\":\"https://…\"},…]."}
	}
	out := make([]secretPair, 0, len(items))
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, &httpFailure{http.StatusBadRequest, "BadRequest", "Each secret must be an object {\"key\":…,\"value\":…}."}
		}
		key, _ := m["key"].(string)
		if !synchronizationSecretKeys[key] {
			// Graph's own answer to a lowercase "baseAddress".
			return nil, &httpFailure{http.StatusInternalServerError, "InternalError", fmt.Sprintf("Requested value '%s' was not found.", key)}
		}
		var value string
		switch v := m["value"].(type) {
		case string:
			value = v
		case nil:
		default:
			return nil, &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("The value of secret '%s' must be a string.", key)}
		}
		out = append(out, secretPair{Key: key, Value: value})
	}
	return out, nil
}

// httpFailure is an error answer decided before writing.
type httpFailure struct {
	status        int
	code, message string
}

func (f *httpFailure) write(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, f.status, f.code, f.message)
}

// handlePutSecrets replaces the SP's secrets. An empty value removes the key:
// UNVERIFIED, but the azuread provider deletes secrets exactly this way and
// waits for GET to stop listing them.
func (s *Sim) handlePutSecrets(w http.ResponseWriter, r *http.Request) {
	s.putSecrets(w, r, "value")
}

// handlePutSynchronization serves PUT …/synchronization (the SDK's
// Synchronization().Put), whose body carries the secrets under "secrets".
func (s *Sim) handlePutSynchronization(w http.ResponseWriter, r *http.Request) {
	s.putSecrets(w, r, "secrets")
}

// handleGetSynchronization serves GET …/synchronization: the entity with its
// secrets masked (jobs and templates are navigation properties).
func (s *Sim) handleGetSynchronization(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": odataContext(r, "synchronization/$entity"),
		"id":             p.spID,
		"secrets":        maskedSecrets(p),
	})
}

func (s *Sim) putSecrets(w http.ResponseWriter, r *http.Request, field string) {
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	pairs, fail := parseSecretPairs(body[field])
	if fail != nil {
		fail.write(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	spID := p.spID
	if s.replicationLagging(spID) {
		writeReplicationConflict(w, r, spID)
		return
	}
	kept := make([]secretPair, 0, len(pairs))
	index := map[string]int{}
	for _, sp := range pairs {
		if i, dup := index[sp.Key]; dup {
			kept[i].Value = sp.Value // last one wins
			continue
		}
		index[sp.Key] = len(kept)
		kept = append(kept, sp)
	}
	p.secrets = p.secrets[:0:0]
	for _, sp := range kept {
		if sp.Value != "" {
			p.secrets = append(p.secrets, sp)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleGetSecrets lists the keys with credential values masked as "*".
func (s *Sim) handleGetSecrets(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": odataContext(r, "synchronization/secrets"),
		"value":          maskedSecrets(p),
	})
}

// maskedSecrets lists the secrets with credential values replaced by "*".
func maskedSecrets(p *spSync) []secretPair {
	value := make([]secretPair, 0, len(p.secrets))
	for _, sp := range p.secrets {
		if maskedSecretKeys[sp.Key] {
			sp.Value = "*"
		}
		value = append(value, sp)
	}
	return value
}

// handleCountSecrets serves …/secrets/$count (the SDK's Count()).
func (s *Sim) handleCountSecrets(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(strconv.Itoa(len(p.secrets))))
}

// handleAdminSecrets is the test-only admin view with real values, so tests
// can check that a token was blanked. It is under /_sim, never under /v1.0.
func (s *Sim) handleAdminSecrets(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": append([]secretPair{}, p.secrets...)})
}
