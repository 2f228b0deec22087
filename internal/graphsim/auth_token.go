package graphsim

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// GraphResourceID is the resource (audience) of Microsoft Graph tokens.
const GraphResourceID = "https://graph.microsoft.com"

// accessTokenLifetime is what Entra issues for app-only tokens (about an hour).
const accessTokenLifetime = time.Hour

// tokenClaims are the claims of a v1.0 app-only Graph access token, as
// Entra issues them for the client-credentials flow (also through the v2.0
// token endpoint: Graph's resource accepts v1.0 tokens, so that is what a
// caller gets). Entra writes aud as a single string, never an array, and
// puts uti where other issuers put jti; clients such as go-azure-sdk
// unmarshal aud into a string. See
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference.
type tokenClaims struct {
	Audience          string           `json:"aud"`
	Issuer            string           `json:"iss"`
	IssuedAt          *jwt.NumericDate `json:"iat"`
	NotBefore         *jwt.NumericDate `json:"nbf"`
	ExpiresAt         *jwt.NumericDate `json:"exp"`
	AIO               string           `json:"aio"`
	AppDisplayName    string           `json:"app_displayname"`
	AppID             string           `json:"appid"`
	AppIDACR          string           `json:"appidacr"`
	IdentityProvider  string           `json:"idp"`
	IDType            string           `json:"idtyp"`
	ObjectID          string           `json:"oid"`
	RH                string           `json:"rh"`
	Roles             []string         `json:"roles,omitempty"`
	Subject           string           `json:"sub"`
	TenantRegionScope string           `json:"tenant_region_scope"`
	TenantID          string           `json:"tid"`
	UTI               string           `json:"uti"`
	Version           string           `json:"ver"`
	TenantCreated     int64            `json:"xms_tcdt"`
}

var _ jwt.Claims = tokenClaims{}

func (c tokenClaims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c tokenClaims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c tokenClaims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore, nil }
func (c tokenClaims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c tokenClaims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c tokenClaims) GetAudience() (jwt.ClaimStrings, error) {
	return jwt.ClaimStrings{c.Audience}, nil
}

// tenantRegionScope is the region Entra reports for the simulated tenant (also
// in the OpenID configuration).
const tenantRegionScope = "EU"

func (s *Sim) issuer() string { return "https://sts.windows.net/" + s.tenantID + "/" }

// authRoutes registers the token endpoint, discovery documents and the cloud
// metadata document; none of them needs a token.
func (s *Sim) authRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", s.handleToken)
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", s.handleOpenIDConfiguration)
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", s.handleJWKS)
	mux.HandleFunc("GET /metadata/endpoints", s.handleCloudMetadata)
	mux.HandleFunc("GET "+msiPath, s.handleManagedIdentityToken)
}

// aadError writes an Entra token-endpoint error (not Graph's envelope).
func aadError(w http.ResponseWriter, status int, code string, aadsts int, description string) {
	writeJSON(w, status, map[string]any{
		"error":             code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", aadsts, description, uuid.NewString(), uuid.NewString(), time.Now().UTC().Format("2006-01-02 15:04:05Z")),
		"error_codes":       []int{aadsts},
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          uuid.NewString(),
		"correlation_id":    uuid.NewString(),
	})
}

func (s *Sim) handleToken(w http.ResponseWriter, r *http.Request) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		aadError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'. Send it as application/x-www-form-urlencoded.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		aadError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body could not be parsed as a form.")
		return
	}
	if tenant := r.PathValue("tenant"); !strings.EqualFold(tenant, s.tenantID) {
		aadError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check the tenant id (this simulator's is %s).", tenant, s.tenantID))
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		aadError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'; the simulator supports client_credentials only.", gt))
		return
	}
	clientID := r.PostForm.Get("client_id")
	client := s.clients[clientID]
	if client == nil {
		aadError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'.", clientID, s.tenantID))
		return
	}
	if r.PostForm.Get("client_assertion") != "" {
		aadError(w, http.StatusBadRequest, "invalid_client", 700027, "Client assertions (certificates) are not supported by the simulator; use a client secret.")
		return
	}
	secret := r.PostForm.Get("client_secret")
	if subtle.ConstantTimeCompare([]byte(secret), []byte(client.Secret)) != 1 {
		aadError(w, http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
		return
	}
	if !s.validScope(r.PostForm.Get("scope")) {
		aadError(w, http.StatusBadRequest, "invalid_scope", 1002012, fmt.Sprintf("The provided value for scope %q is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier, e.g. %s/.default.", r.PostForm.Get("scope"), GraphResourceID))
		return
	}
	token, err := s.signToken(s.claimsFor(client, time.Now()))
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "InternalServerError", "signing the access token failed: "+err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     int(accessTokenLifetime.Seconds()) - 1,
		"ext_expires_in": int(accessTokenLifetime.Seconds()) - 1,
		"access_token":   token,
	})
}

// validScope accepts "{resource}/.default" for Graph's resource id and this
// simulator's endpoint (also with the doubled slash some clients send),
// alongside the OIDC scopes MSAL always appends.
func (s *Sim) validScope(scope string) bool {
	resources := 0
	for _, sc := range strings.Fields(scope) {
		if sc == "openid" || sc == "profile" || sc == "offline_access" || sc == "email" {
			continue // MSAL adds these to every request; Entra ignores them here
		}
		resources++
		res, ok := strings.CutSuffix(sc, "/.default")
		if !ok {
			return false
		}
		res = strings.TrimSuffix(res, "/")
		if res != GraphResourceID && res != s.ready.GraphEndpoint && res != "00000003-0000-0000-c000-000000000000" {
			return false
		}
	}
	return resources > 0
}

// claimsFor builds the claims of an access token for client. Token lifetimes
// use real time, not the simulated clock: clients cache tokens by real time,
// and advancing the simulated clock must not log everyone out.
func (s *Sim) claimsFor(c *oauthClient, now time.Time) tokenClaims {
	return tokenClaims{
		// Entra writes the resource identifier as the application registered
		// it; Graph's is https://graph.microsoft.com, whichever of its aliases
		// (this simulator's endpoint, the app id GUID) the scope named.
		Audience:          GraphResourceID,
		Issuer:            s.issuer(),
		IssuedAt:          jwt.NewNumericDate(now),
		NotBefore:         jwt.NewNumericDate(now.Add(-5 * time.Minute)),
		ExpiresAt:         jwt.NewNumericDate(now.Add(accessTokenLifetime)),
		AIO:               opaqueClaim(),
		AppDisplayName:    c.DisplayName,
		AppID:             c.ID,
		AppIDACR:          "1", // authenticated with a client secret
		IdentityProvider:  s.issuer(),
		IDType:            "app",
		ObjectID:          c.ObjectID,
		RH:                "0." + opaqueClaim(),
		Roles:             append([]string(nil), c.Roles...),
		Subject:           c.ObjectID,
		TenantRegionScope: tenantRegionScope,
		TenantID:          s.tenantID,
		UTI:               randomToken(16),
		Version:           "1.0",
		TenantCreated:     s.tenantCreated.Unix(),
	}
}

// opaqueClaim fills Entra's opaque claims (aio, rh): base64url bytes that
// carry nothing a client may read.
func opaqueClaim() string { return randomToken(48) }

func (s *Sim) signToken(c tokenClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = s.keyID
	return t.SignedString(s.signingKey)
}

func (s *Sim) handleOpenIDConfiguration(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	if !strings.EqualFold(tenant, s.tenantID) && tenant != "organizations" && tenant != "common" {
		aadError(w, http.StatusBadRequest, "invalid_tenant", 90002, fmt.Sprintf("Tenant '%s' not found.", tenant))
		return
	}
	base := s.ready.AuthorityHost + s.tenantID
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		// MSAL requires the issuer's host to match the authority's host.
		"issuer":                          base + "/v2.0",
		"request_uri_parameter_supported": false,
		"authorization_endpoint":          base + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":   base + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":            base + "/oauth2/v2.0/logout",
		"tenant_region_scope":             tenantRegionScope,
		"cloud_instance_name":             "microsoftonline.com",
		"cloud_graph_host_name":           "graph.windows.net",
		"msgraph_host":                    strings.TrimPrefix(s.ready.GraphEndpoint, "https://"),
	})
}

func (s *Sim) handleJWKS(w http.ResponseWriter, r *http.Request) {
	pub := s.signingKey.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "kid": s.keyID, "alg": "RS256",
		"n":      base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"issuer": s.ready.AuthorityHost + s.tenantID + "/v2.0",
	}}})
}

// handleCloudMetadata serves the Azure cloud metadata document that Azure
// tooling (e.g. the AzureAD provider's metadata_host) reads to find the
// login and Graph endpoints.
func (s *Sim) handleCloudMetadata(w http.ResponseWriter, r *http.Request) {
	if v := r.URL.Query().Get("api-version"); v == "" {
		writeError(w, r, http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests, e.g. api-version=2022-09-01.")
		return
	}
	g := s.ready.GraphEndpoint
	writeJSON(w, http.StatusOK, map[string]any{
		"name":            "AzureCloud",
		"portal":          g + "/_sim",
		"resourceManager": g + "/",
		// go-azure-sdk (AzureAD provider, metadata_host) calls Graph at
		// microsoftGraphResourceId and asks for "{it}/.default" tokens, so it
		// must be this simulator's endpoint; validScope accepts that scope.
		"microsoftGraphResourceId":              g + "/",
		"graph":                                 g + "/",
		"graphAudience":                         g,
		"activeDirectoryDataLake":               "https://datalake.azure.net/",
		"batch":                                 "https://batch.core.windows.net/",
		"gallery":                               "https://gallery.azure.com/",
		"media":                                 "https://rest.media.azure.net",
		"sqlManagement":                         "https://management.core.windows.net:8443/",
		"vmImageAliasDoc":                       "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json",
		"appInsightsResourceId":                 "https://api.applicationinsights.io",
		"appInsightsTelemetryChannelResourceId": "https://dc.applicationinsights.azure.com/v2/track",
		"attestationResourceId":                 "https://attest.azure.net",
		"synapseAnalyticsResourceId":            "https://dev.azuresynapse.net",
		"logAnalyticsResourceId":                "https://api.loganalytics.io",
		"ossrDbmsResourceId":                    "https://ossrdbms-aad.database.windows.net",
		"authentication": map[string]any{
			"loginEndpoint":    s.ready.AuthorityHost,
			"audiences":        []string{"https://management.core.windows.net/", "https://management.azure.com/"},
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"suffixes": map[string]any{
			"acrLoginServer": "azurecr.io", "keyVaultDns": "vault.azure.net", "storage": "core.windows.net",
			"sqlServerHostname": "database.windows.net",
		},
	})
}
