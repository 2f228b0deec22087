// Package graph is the one Microsoft Graph client layer shared by the
// provider and the exporter: azidentity credentials, cloud endpoints, an
// http.Client whose transport retries 429/503/504 honouring Retry-After,
// redacted debug logging, per-route request counting, raw JSON requests
// (schema PUT, secrets GET), $batch, and eventual-consistency helpers.
//
// API (the contract other packages build on):
//
//	type Config struct { ... }                       // credentials, environment, endpoints, CA, logger, user agent, retry policy
//	ConfigFromEnv(prefixes ...string) Config          // ARM_* then AZURE_* (or the given prefixes), ENTRA_GRAPH_ENDPOINT, ENTRA_AUTHORITY_HOST
//	(Config).Merge(env), Validate(), Endpoints(), AuthMethod()
//	New(ctx context.Context, cfg Config) (*Client, error)
//	(*Client).Do(ctx, method, path string, body, out any) error
//	    // path is relative to {graph_endpoint}/v1.0 ("/servicePrincipals/x"), or an absolute
//	    // @odata.nextLink on the Graph host; body is nil, []byte/json.RawMessage (sent as is) or a
//	    // value to marshal; out is nil, *json.RawMessage, *map[string]any (decoded with UseNumber)
//	    // or a struct pointer. Non-2xx answers return *Error; token failures *TokenError.
//	(*Client).GetAll(ctx, path string, each func(json.RawMessage) error) error  // follows @odata.nextLink
//	(*Client).Exists(ctx, path) (bool, error)          // GET; 404 → false: the find function for the waiters
//	WithHeader(ctx, name, value) context.Context        // extra request headers, e.g. ConsistencyLevel: eventual
//	(*Client).Batch(ctx, []BatchRequest) ([]BatchResponse, error)  // chunks of 20, retries per-item 429 after Retry-After
//	Config.OnResponse(RequestEvent) per HTTP attempt; Config.OnBatchItem(BatchItemEvent) per $batch item answer, re-sent 429s included
//	(*Client).Requests() *Counter                       // per-route request counts ("GET /servicePrincipals/{id}/…")
//	(*Client).HTTPClient(), BaseURL(), Scope(), Credential()  // for the SDK adapter and other raw callers
//	type Error struct { StatusCode int; Code, Message, RequestID, Date string; RetryAfter time.Duration; Method, Path, Hint string }
//	IsNotFound, IsForbidden, IsConflict, IsBadRequest, IsThrottled, IsUnauthorized, IsTokenError,
//	StatusCode, ErrorCode, ErrorMessage, AsError                 // all see through wrapping
//	PermissionHint(method, path) string                 // the application permission a call needs (added to 403s)
//	Route(method, path) string                          // the counter's normalised route
//	Logger (Log(ctx, level, msg, fields)); SlogLogger(*slog.Logger); TFLogFuncs(tflog.Trace, tflog.Debug, tflog.Warn)
//	Consistency helpers with named timeouts: WaitUntilVisible / WaitUntilGone (adaptive: first poll
//	immediate, one sighting is enough when no lag was seen; after a miss, back off and require
//	DefaultConsecutiveSightings in a row), RetryOnConsistencyError(ctx, kind, fn) for
//	NotFoundAfterCreate (404), SynchronizationWrite (403/409), AssignmentWrite (400 "Not a valid
//	reference update", 404).
//
// Transport chain (outermost first): retry (per-attempt timeout, Retry-After,
// jittered backoff, bounded attempts and total wait) → auth (cached bearer
// token, Graph host only, one resend after a 401) → observe (count, log with
// every secret redacted) → http.Transport trusting SSL_CERT_FILE read at New.
//
// The typed msgraph-sdk-go client lives in the sub-package graphsdk
// (graphsdk.New(client) → *msgraphsdk.GraphServiceClient over the same
// transport) so that the exporter and other users of this package do not have
// to compile and link the very large SDK. graphsdk.FromSDK(err, method, path)
// turns SDK errors into *Error so the predicates above work on both.
package graph
