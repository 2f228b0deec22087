package graphsim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestTokenEndpoint(t *testing.T) {
	s, c := startInternal(t, Options{})
	r := s.Ready()
	tokenURL := r.AuthorityHost + r.TenantID + "/oauth2/v2.0/token"
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name       string
		url, ct    string
		body       string
		wantStatus int
		wantError  string
	}{
		{"graph scope", tokenURL, form, tokenForm(r.ClientID, r.ClientSecret, "https://graph.microsoft.com/.default"), 200, ""},
		{"endpoint scope", tokenURL, form, tokenForm(r.ClientID, r.ClientSecret, r.GraphEndpoint+"/.default"), 200, ""},
		{"double slash scope", tokenURL, form, tokenForm(r.ClientID, r.ClientSecret, "https://graph.microsoft.com//.default"), 200, ""},
		{"metadata resource scope", tokenURL, form, tokenForm(r.ClientID, r.ClientSecret, r.GraphEndpoint+"//.default"), 200, ""},
		{"wrong secret", tokenURL, form, tokenForm(r.ClientID, "nope", "https://graph.microsoft.com/.default"), 401, "invalid_client"},
		{"unknown client", tokenURL, form, tokenForm("6a1d2a5e-0000-0000-0000-000000000000", "x", "https://graph.microsoft.com/.default"), 400, "unauthorized_client"},
		{"bad scope", tokenURL, form, tokenForm(r.ClientID, r.ClientSecret, "User.Read"), 400, "invalid_scope"},
		{"wrong tenant", r.AuthorityHost + "11111111-1111-1111-1111-111111111111/oauth2/v2.0/token", form, tokenForm(r.ClientID, r.ClientSecret, "https://graph.microsoft.com/.default"), 400, "invalid_request"},
		{"json body", tokenURL, "application/json", `{}`, 400, "invalid_request"},
		{"password grant", tokenURL, form, "grant_type=password&client_id=" + r.ClientID, 400, "unsupported_grant_type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := do(t, c, "POST", tc.url, "", tc.ct, tc.body)
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, body)
			}
			if tc.wantError != "" {
				if m["error"] != tc.wantError || !strings.HasPrefix(m["error_description"].(string), "AADSTS") {
					t.Fatalf("error = %v", m)
				}
				if strings.Contains(body, r.ClientSecret) {
					t.Fatal("error response echoes the client secret")
				}
				return
			}
			claims := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(m["access_token"].(string), claims); err != nil {
				t.Fatal(err)
			}
			checkEntraAppOnlyClaims(t, claims, r.TenantID)
			if claims["tid"] != r.TenantID || claims["appid"] != r.ClientID || m["token_type"] != "Bearer" {
				t.Fatalf("claims %v / response %v", claims, m)
			}
		})
	}
}

// checkEntraAppOnlyClaims checks that an access token carries the claims
// Entra puts in a v1.0 app-only Graph token, with their JSON kinds: aud a
// single string (not an array), iss and idp https://sts.windows.net/{tid}/.
func checkEntraAppOnlyClaims(t *testing.T, claims jwt.MapClaims, tenantID string) {
	t.Helper()
	str := []string{"aud", "iss", "aio", "app_displayname", "appid", "appidacr", "idp", "idtyp", "oid", "rh", "sub", "tenant_region_scope", "tid", "uti", "ver"}
	num := []string{"iat", "nbf", "exp", "xms_tcdt"}
	for _, k := range str {
		if v, ok := claims[k].(string); !ok || v == "" {
			t.Errorf("claim %s = %#v, want a non-empty string", k, claims[k])
		}
	}
	for _, k := range num {
		if _, ok := claims[k].(float64); !ok {
			t.Errorf("claim %s = %#v, want a number", k, claims[k])
		}
	}
	if roles, ok := claims["roles"].([]any); !ok || len(roles) == 0 {
		t.Errorf("roles = %#v, want a non-empty array", claims["roles"])
	}
	want := map[string]any{
		"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/" + tenantID + "/",
		"idp": "https://sts.windows.net/" + tenantID + "/", "ver": "1.0", "idtyp": "app", "appidacr": "1", "tid": tenantID,
	}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %#v, want %#v", k, claims[k], v)
		}
	}
	if claims["sub"] != claims["oid"] {
		t.Errorf("sub %v != oid %v (app-only tokens name the service principal in both)", claims["sub"], claims["oid"])
	}
	if _, has := claims["jti"]; has {
		t.Error("token has jti; Entra writes uti instead")
	}
}

func TestGraphRejectsBadTokens(t *testing.T) {
	s, c := startInternal(t, Options{})
	r := s.Ready()
	good := s.claimsFor(s.defaultClient(), time.Now())
	sign := func(cl tokenClaims) string {
		tok, err := s.signToken(cl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	expired := good
	expired.IssuedAt = jwt.NewNumericDate(time.Now().Add(-3 * time.Hour))
	expired.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
	otherTenant := good
	otherTenant.TenantID = "99999999-9999-9999-9999-999999999999"
	otherTenant.Issuer = "https://sts.windows.net/99999999-9999-9999-9999-999999999999/"
	otherAudience := good
	otherAudience.Audience = "https://management.azure.com"
	foreignKey, _ := rsa.GenerateKey(rand.Reader, 1024)
	forged, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, good).SignedString(foreignKey)
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, good).SignedString([]byte("secret"))

	cases := []struct {
		name, header string
		wantStatus   int
		wantMsg      string
	}{
		{"valid", "Bearer " + sign(good), 200, ""},
		{"missing", "", 401, "Access token is empty"},
		{"basic scheme", "Basic Zm9vOmJhcg==", 401, "Bearer"},
		{"malformed", "Bearer not.a.jwt", 401, "malformed"},
		{"forged signature", "Bearer " + forged, 401, "signature"},
		{"HS256", "Bearer " + hs, 401, "validation"},
		{"expired", "Bearer " + sign(expired), 401, "expired"},
		{"wrong tenant", "Bearer " + sign(otherTenant), 401, "tenant"},
		{"wrong audience", "Bearer " + sign(otherAudience), 401, "audience"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, body := doAuth(t, c, "GET", r.GraphEndpoint+"/v1.0/applicationTemplates", tc.header, "", "")
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, body)
			}
			if tc.wantStatus == 401 {
				var e graphError
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != "InvalidAuthenticationToken" || e.Error.InnerError.RequestID == "" {
					t.Fatalf("401 body: %s", body)
				}
				if !strings.Contains(e.Error.Message, tc.wantMsg) {
					t.Fatalf("message %q does not mention %q", e.Error.Message, tc.wantMsg)
				}
				if len(hdr["Www-Authenticate"]) == 0 {
					t.Fatal("401 without WWW-Authenticate")
				}
			}
		})
	}
	// Routes outside Graph need no token.
	for _, p := range []string{"/_sim/requests", "/metadata/endpoints?api-version=2022-09-01", "/" + r.TenantID + "/v2.0/.well-known/openid-configuration", "/" + r.TenantID + "/discovery/v2.0/keys"} {
		if status, _, body := do(t, c, "GET", r.GraphEndpoint+p, "", "", ""); status != 200 {
			t.Errorf("%s: %d %s", p, status, body)
		}
	}
}

func TestReadOnlyClientCannotWrite(t *testing.T) {
	s, c := startInternal(t, Options{Users: 2})
	r := s.Ready()
	token := readOnlyToken(t, c, r)
	if status, _, body := do(t, c, "GET", r.GraphEndpoint+"/v1.0/users", token, "", ""); status != 200 {
		t.Fatalf("read-only GET: %d %s", status, body)
	}
	status, _, body := do(t, c, "POST", r.GraphEndpoint+"/v1.0/applicationTemplates/"+CustomAppTemplateID+"/instantiate", token, "application/json", `{"displayName":"x"}`)
	var e graphError
	_ = json.Unmarshal([]byte(body), &e)
	if status != 403 || e.Error.Code != "Authorization_RequestDenied" || e.Error.Message != "Insufficient privileges to complete the operation." {
		t.Fatalf("read-only write: %d %s", status, body)
	}
	s.mu.Lock()
	n := len(s.dir.apps)
	s.mu.Unlock()
	if n != 0 {
		t.Fatal("a denied write created an application")
	}
}

func TestDiscoveryAndMetadata(t *testing.T) {
	s, c := startInternal(t, Options{})
	r := s.Ready()
	_, _, body := do(t, c, "GET", r.AuthorityHost+r.TenantID+"/v2.0/.well-known/openid-configuration", "", "", "")
	var oidc map[string]any
	if err := json.Unmarshal([]byte(body), &oidc); err != nil {
		t.Fatal(err)
	}
	if oidc["token_endpoint"] != r.AuthorityHost+r.TenantID+"/oauth2/v2.0/token" || !strings.HasPrefix(oidc["issuer"].(string), r.AuthorityHost) || oidc["authorization_endpoint"] == nil {
		t.Fatalf("openid-configuration: %v", oidc)
	}
	status, _, body := do(t, c, "GET", r.GraphEndpoint+"/metadata/endpoints?api-version=2022-09-01", "", "", "")
	var md map[string]any
	if err := json.Unmarshal([]byte(body), &md); err != nil || status != 200 {
		t.Fatalf("metadata: %d %s", status, body)
	}
	auth := md["authentication"].(map[string]any)
	if md["name"] == nil || md["resourceManager"] == nil || md["microsoftGraphResourceId"] != r.GraphEndpoint+"/" || auth["loginEndpoint"] != r.AuthorityHost {
		t.Fatalf("metadata: %v", md)
	}
	if status, _, _ := do(t, c, "GET", r.GraphEndpoint+"/metadata/endpoints", "", "", ""); status != 400 {
		t.Fatalf("metadata without api-version: %d", status)
	}
}
