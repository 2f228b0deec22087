// Package graph is the one Microsoft Graph transport of this project, shared
// by the provider and the exporter. It owns everything about talking to
// Graph that does not depend on which object is asked for: credentials and
// cloud endpoints (Config, the one cloud table), tokens, retries of
// throttled and failed requests with Retry-After, redacted logging,
// per-route request counting, paging, $batch, Graph's error envelope turned
// into *Error (with the permission a 403 lacks, from the one permission
// table), and the eventual-consistency waits and retries that callers apply
// to objects they just created.
//
// It knows routes only as opaque paths; which path serves which object is
// internal/entra's business. Its transport chain, outermost first: retry →
// auth (cached bearer token, Graph host only) → observe (count, log with
// secrets redacted) → http.Transport trusting the configured CA.
package graph
