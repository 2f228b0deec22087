package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// Client talks to one Graph endpoint with one credential. It is safe for
// concurrent use; build one per provider configuration or exporter.
type Client struct {
	graphEndpoint string // https://graph.microsoft.com
	baseURL       string // https://graph.microsoft.com/v1.0
	graphHost     string
	authorityHost string
	scope         string
	authMethod    AuthMethod

	httpClient *http.Client
	credential azcore.TokenCredential
	logger     Logger
	counter    *Counter
	onResponse func(RequestEvent)
	onItem     func(BatchItemEvent)
	retry      RetryPolicy
	sleep      func(ctx context.Context, d time.Duration) error // waits between batch item retries; replaced in tests
}

// New validates cfg and builds the client. It does not contact Graph or the
// authority: the first request fetches the token, so a wrong secret shows up
// as an error from that request.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	graphEndpoint, authorityHost, customAuthority, err := cfg.Endpoints()
	if err != nil {
		return nil, err
	}
	gu, _ := url.Parse(graphEndpoint) // checked by Endpoints
	timeout := cfg.RequestTimeout
	if timeout == 0 {
		timeout = DefaultRequestTimeout
	}
	c := &Client{
		graphEndpoint: graphEndpoint,
		baseURL:       graphEndpoint + "/v1.0",
		graphHost:     gu.Host,
		authorityHost: authorityHost,
		scope:         graphEndpoint + "/.default",
		authMethod:    cfg.AuthMethod(),
		logger:        cfg.Logger,
		counter:       NewCounter(),
		onResponse:    cfg.OnResponse,
		onItem:        cfg.OnBatchItem,
		retry:         cfg.Retry.withDefaults(),
		sleep:         sleepContext,
	}

	base, err := newBaseTransport(cfg.CAFile)
	if err != nil {
		return nil, err
	}
	authClient := &http.Client{
		Transport: &observeTransport{next: base, client: c, count: false, kind: "authority"},
		Timeout:   timeout,
	}
	c.credential, err = newCredential(cfg, authorityHost, customAuthority, authClient)
	if err != nil {
		return nil, err
	}

	ua := cfg.UserAgent
	if ua == "" {
		ua = "terraform-provider-entra"
	}
	observed := &observeTransport{next: base, client: c, count: true, kind: "graph"}
	authed := &authTransport{next: observed, tokens: &tokenCache{cred: c.credential, scope: c.scope}, graphHost: c.graphHost, userAgent: ua}
	retrying := &retryTransport{next: authed, policy: c.retry, timeout: timeout, client: c, sleep: sleepContext}
	c.httpClient = &http.Client{
		Transport: retrying,
		// Whole-call bound: every attempt may use its full timeout plus the
		// retry waits in between. Each attempt is bounded separately.
		Timeout: time.Duration(max(c.retry.MaxAttempts, c.retry.MaxThrottledAttempts))*timeout + c.retry.MaxWait,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			// Graph does not redirect API calls; following one to another
			// host would leak nothing (auth is per host) but hides the cause.
			return fmt.Errorf("unexpected redirect to %s", req.URL.Redacted())
		},
	}
	c.log(ctx, LevelDebug, "graph client ready", map[string]any{
		"graph_endpoint": graphEndpoint, "authority_host": authorityHost,
		"auth_method": string(c.authMethod), "user_agent": ua,
	})
	return c, nil
}

// BaseURL is {graph_endpoint}/v1.0.
func (c *Client) BaseURL() string { return c.baseURL }

// GraphEndpoint is the endpoint without /v1.0, e.g. https://graph.microsoft.com.
func (c *Client) GraphEndpoint() string { return c.graphEndpoint }

// Scope is the token scope, {graph_endpoint}/.default.
func (c *Client) Scope() string { return c.scope }

// AuthMethod reports which credential kind the client uses.
func (c *Client) AuthMethod() AuthMethod { return c.authMethod }

// Credential is the azidentity credential (for callers that need a token
// themselves).
func (c *Client) Credential() azcore.TokenCredential { return c.credential }

// Requests returns the per-route request counter.
func (c *Client) Requests() *Counter { return c.counter }
