package graphsim

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// msiPath serves managed-identity tokens with the App Service protocol
// (api-version 2019-08-01): GET {IDENTITY_ENDPOINT}?api-version=…&resource=…
// with the X-IDENTITY-HEADER secret. azidentity's ManagedIdentityCredential
// (through MSAL) uses it whenever IDENTITY_ENDPOINT and IDENTITY_HEADER are
// set; the IMDS address 169.254.169.254 cannot be redirected, so the App
// Service form is how a tool on this machine reaches a simulated identity.
const msiPath = "/msi/token"

// handleManagedIdentityToken issues a token for the simulated host's
// managed identity: the seeded read-write client (system-assigned), or the
// client named by client_id (user-assigned, either seeded client).
func (s *Sim) handleManagedIdentityToken(w http.ResponseWriter, r *http.Request) {
	msiError := func(status int, msg string) {
		writeJSON(w, status, map[string]any{"statusCode": status, "message": msg, "correlationId": randomToken(16)})
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-IDENTITY-HEADER")), []byte(s.identityHeader)) != 1 {
		msiError(http.StatusUnauthorized, "The X-IDENTITY-HEADER header is missing or wrong; send the value of IDENTITY_HEADER (graphsim's ready line: identity_header).")
		return
	}
	q := r.URL.Query()
	if v := q.Get("api-version"); v != "2019-08-01" {
		msiError(http.StatusBadRequest, fmt.Sprintf("api-version %q is not supported; use 2019-08-01.", v))
		return
	}
	resource := strings.TrimSuffix(q.Get("resource"), "/")
	if resource != GraphResourceID && resource != s.ready.GraphEndpoint && resource != "00000003-0000-0000-c000-000000000000" {
		msiError(http.StatusBadRequest, fmt.Sprintf("resource %q is not known here; graphsim issues tokens for %s only.", q.Get("resource"), GraphResourceID))
		return
	}
	client := s.defaultClient()
	if id := q.Get("client_id"); id != "" {
		if client = s.clients[id]; client == nil {
			msiError(http.StatusBadRequest, fmt.Sprintf("No user-assigned identity with client_id %q is attached to this host.", id))
			return
		}
	}
	if q.Get("principal_id") != "" || q.Get("mi_res_id") != "" || q.Get("object_id") != "" {
		msiError(http.StatusBadRequest, "Select a user-assigned identity by client_id; object and resource ids are not simulated.")
		return
	}
	now := time.Now()
	claims := s.claimsFor(client, now)
	claims.AppIDACR = "2" // managed identities authenticate with a certificate
	token, err := s.signToken(claims)
	if err != nil {
		msiError(http.StatusInternalServerError, "signing the access token failed: "+err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": token,
		"expires_on":   strconv.FormatInt(claims.ExpiresAt.Unix(), 10),
		"resource":     GraphResourceID,
		"token_type":   "Bearer",
		"client_id":    client.ID,
	})
}
