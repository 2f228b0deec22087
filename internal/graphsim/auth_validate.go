package graphsim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

type callerKey struct{}

// callerFrom returns the validated token claims of a Graph request (nil for
// routes that need no token).
func callerFrom(r *http.Request) *tokenClaims {
	c, _ := r.Context().Value(callerKey{}).(*tokenClaims)
	return c
}

// callerCanWrite reports whether the request's token carries a ReadWrite
// permission. Sync routes may use it for finer checks.
func callerCanWrite(r *http.Request) bool {
	c := callerFrom(r)
	if c == nil {
		return false
	}
	for _, role := range c.Roles {
		if strings.Contains(role, ".ReadWrite.") {
			return true
		}
	}
	return false
}

// tokenCache remembers validated tokens so that a hot loop of requests does
// not pay an RSA verification each time. Bounded: cleared when full.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]*tokenClaims
}

const tokenCacheSize = 1024

func (c *tokenCache) get(tok string) *tokenClaims {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[tok]
}

func (c *tokenCache) put(tok string, claims *tokenClaims) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= tokenCacheSize {
		c.m = map[string]*tokenClaims{}
	}
	c.m[tok] = claims
}

// authenticate validates the bearer token of a Graph request. The returned
// message is Graph-like and safe to show: it never echoes the token.
func (s *Sim) authenticate(r *http.Request) (*tokenClaims, string) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, "Access token is empty."
	}
	scheme, tok, ok := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return nil, "Access token is empty or the Authorization header is not of the form 'Bearer <token>'."
	}
	now := time.Now() // real time: see claimsFor
	if c := s.tokens.get(tok); c != nil {
		if c.ExpiresAt != nil && now.Before(c.ExpiresAt.Time) {
			return c, ""
		}
		return nil, "Lifetime validation failed, the token is expired."
	}
	claims := &tokenClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(t *jwt.Token) (any, error) {
		return &s.signingKey.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(func() time.Time { return now }))
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, "Lifetime validation failed, the token is expired."
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, "Invalid JWT token. The token is malformed."
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return nil, "Access token validation failure. Invalid issuer or signature."
	default:
		return nil, "Access token validation failure: " + err.Error()
	}
	if claims.TenantID != s.tenantID || claims.Issuer != s.issuer() {
		return nil, fmt.Sprintf("Access token validation failure. The token was issued for tenant '%s', not this tenant.", claims.TenantID)
	}
	if a := claims.Audience; strings.TrimSuffix(a, "/") != GraphResourceID && a != "00000003-0000-0000-c000-000000000000" {
		return nil, "Access token validation failure. Invalid audience."
	}
	s.tokens.put(tok, claims)
	return claims, ""
}

// writeUnauthorized answers 401 InvalidAuthenticationToken with the
// WWW-Authenticate header Graph sends.
func writeUnauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	writeError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", msg)
}

func withCaller(r *http.Request, c *tokenClaims) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
}
