// Package graph is the one Microsoft Graph client layer shared by the
// provider and the exporter: azidentity credentials, cloud endpoints, an
// http.Client whose transport retries 429/503/504 honouring Retry-After,
// redacted debug logging, per-route request counting, raw JSON requests
// (schema PUT, secrets GET), $batch, and eventual-consistency helpers.
//
// API (the contract other packages build on):
//
//	type Config struct { ... }                       // credentials, environment, endpoints, logger, user agent
//	ConfigFromEnv(prefixes ...string) Config          // ARM_* / AZURE_* / ENTRA_* variables
//	New(ctx context.Context, cfg Config) (*Client, error)
//	(*Client).Do(ctx, method, path string, body, out any) error
//	    // path is relative to {graph_endpoint}/v1.0 ("/servicePrincipals/x"), or an absolute
//	    // @odata.nextLink; body is nil, []byte/json.RawMessage (sent as is) or a value to marshal;
//	    // out is nil, *json.RawMessage, *map[string]any (decoded with UseNumber) or a struct pointer.
//	    // Non-2xx answers return *Error.
//	(*Client).GetAll(ctx, path string, each func(json.RawMessage) error) error  // follows @odata.nextLink
//	(*Client).Batch(ctx, []BatchRequest) ([]BatchResponse, error)  // chunks of 20, retries per-item 429 after Retry-After
//	(*Client).Requests() *Counter                       // per-route request counts
//	(*Client).HTTPClient(), BaseURL(), Scope()          // for the SDK adapter and other raw callers
//	type Error struct { StatusCode int; Code, Message, RequestID, Date string; RetryAfter time.Duration; Method, Path string }
//	IsNotFound(err), IsThrottled(err), IsForbidden(err), IsConflict(err), StatusCode(err), ErrorCode(err) ...
//	PermissionHint(method, path) string                 // the application permission a call needs
//	Consistency helpers with named timeouts: WaitUntilVisible / WaitUntilGone (adaptive: polls
//	fast, backs off only when lag is observed, requires N consecutive sightings after lag),
//	RetryOnConsistencyError(ctx, kind, fn) (404 after create; 403/409 on synchronization
//	writes; 400 "Not a valid reference update" on assignments).
//
// The typed msgraph-sdk-go client lives in the sub-package graphsdk
// (graphsdk.New(client) → *msgraphsdk.GraphServiceClient over the same
// transport) so that the exporter and other users of this package do not have
// to compile and link the very large SDK. graphsdk.FromSDK(err) turns SDK
// errors into *Error so the predicates above work on both.
package graph
