package graphsim

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/google/uuid"
)

// handleValidateCredentials implements "Test Connection" at job level
// (…/jobs/{jobId}/validateCredentials) and before a job exists
// (…/jobs/validateCredentials with templateId). It really queries the
// tenant URL for a user that cannot exist, as Entra does, and answers 204
// when the endpoint answers 200. Failures use the error code third parties
// report from the portal (the body shape is UNVERIFIED; Graph's envelope is
// the safest assumption) with the endpoint's own answer in the message. The
// token never appears in the message.
func (s *Sim) handleValidateCredentials(jobLevel bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := readJSONBody(w, r, false)
		if !ok {
			return
		}
		var given []secretPair
		if raw, present := body["credentials"]; present && raw != nil {
			var fail *httpFailure
			if given, fail = parseSecretPairs(raw); fail != nil {
				fail.write(w, r)
				return
			}
		}
		useSaved, _ := body["useSavedCredentials"].(bool)

		s.mu.Lock()
		var p *spSync
		if jobLevel {
			var found bool
			if p, _, found = s.lookupJob(w, r); !found {
				s.mu.Unlock()
				return
			}
		} else {
			if p = s.spSyncFor(r.PathValue("id")); p == nil {
				s.mu.Unlock()
				writeSPNotFound(w, r, r.PathValue("id"))
				return
			}
			if t, _ := body["templateId"].(string); t != "" && !slices.Contains(p.templateIDs, t) {
				s.mu.Unlock()
				writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("templateId '%s' is not one of this service principal's synchronization templates.", t))
				return
			}
		}
		creds := map[string]string{}
		if useSaved {
			for _, sp := range p.secrets {
				creds[sp.Key] = sp.Value
			}
		}
		for _, sp := range given {
			creds[sp.Key] = sp.Value
		}
		client := s.targetClient()
		s.mu.Unlock()

		base, token := creds["BaseAddress"], creds["SecretToken"]
		fail := func(detail string) {
			writeError(w, r, http.StatusBadRequest, "CredentialValidationUnavailable",
				"You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account. "+
					"Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable Details: "+detail)
		}
		if base == "" {
			fail("The tenant URL (BaseAddress) is required.")
			return
		}
		if err := validateTenantURL(base); err != nil {
			fail(err.Error() + ".")
			return
		}
		call := &targetCall{client: client, base: base, token: token}
		resp, err := call.do(r.Context(), http.MethodGet, filterPath("Users", "userName", uuid.NewString()), nil)
		if f := classify(resp, err, "query Users at the tenant URL", http.StatusOK); f != nil {
			fail(f.message)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}
