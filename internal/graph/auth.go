package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// TokenError is a failure to obtain an access token: wrong secret or
// certificate, unreachable authority, no usable credential in the chain.
// Graph itself was not contacted.
type TokenError struct {
	Scope string
	Err   error
}

func (e *TokenError) Error() string {
	return fmt.Sprintf("getting an access token for %s: %v; check the credentials (tenant_id, client_id and the secret, certificate or identity) and authority_host", e.Scope, e.Err)
}

func (e *TokenError) Unwrap() error { return e.Err }

// IsTokenError reports whether err is (or wraps) a *TokenError.
func IsTokenError(err error) bool {
	var te *TokenError
	return errors.As(err, &te)
}

// tokenRefreshMargin renews a cached token this long before it expires, so a
// request never leaves with a token that dies in flight.
const tokenRefreshMargin = 5 * time.Minute

// tokenCache hands out one bearer token for the Graph scope and renews it
// shortly before expiry. azidentity caches confidential-client tokens too,
// but not every credential does (Azure CLI runs a process per call).
type tokenCache struct {
	cred  azcore.TokenCredential
	scope string

	mu    sync.Mutex
	token azcore.AccessToken
}

func (c *tokenCache) get(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	fresh := c.token.Token != "" && now.Add(tokenRefreshMargin).Before(c.token.ExpiresOn) &&
		(c.token.RefreshOn.IsZero() || now.Before(c.token.RefreshOn))
	if fresh {
		return c.token.Token, nil
	}
	tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{c.scope}})
	if err != nil {
		return "", &TokenError{Scope: c.scope, Err: err}
	}
	c.token = tok
	return tok.Token, nil
}

// invalidate drops the cached token after Graph rejected it (401), so the
// next request fetches a new one.
func (c *tokenCache) invalidate(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token.Token == token {
		c.token = azcore.AccessToken{}
	}
}

// authTransport adds the bearer token and user agent. It only authenticates
// requests to the configured Graph host, so an absolute URL pointing
// elsewhere (a crafted nextLink) never receives the token.
type authTransport struct {
	next      http.RoundTripper
	tokens    *tokenCache
	graphHost string
	userAgent string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	var token string
	// Always this client's token: a header set by a caller (or a library)
	// must not send a different identity's token.
	if strings.EqualFold(req.URL.Host, t.graphHost) {
		var err error
		if token, err = t.tokens.get(req.Context()); err != nil {
			return nil, err
		}
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || token == "" {
		return resp, err
	}
	// The token was rejected (expired early, revoked, clock skew): drop it
	// and resend once with a fresh one if the body can be replayed.
	t.tokens.invalidate(token)
	if r.Body != nil && r.Body != http.NoBody && r.GetBody == nil {
		return resp, nil
	}
	fresh, terr := t.tokens.get(req.Context())
	if terr != nil || fresh == token {
		return resp, nil
	}
	retry := r.Clone(req.Context())
	if r.GetBody != nil {
		body, berr := r.GetBody()
		if berr != nil {
			return resp, nil
		}
		retry.Body = body
	}
	retry.Header.Set("Authorization", "Bearer "+fresh)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	return t.next.RoundTrip(retry)
}
