// Package graphapi is the small slice of Microsoft Graph the exporter needs:
// single JSON requests (with absolute @odata.nextLink paths) and $batch. The
// poller and discovery depend only on this interface so that their tests can
// use in-memory fakes; graphclient.go adapts the shared internal/graph client.
package graphapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// Client is what the exporter calls on Graph.
type Client interface {
	// Get decodes the JSON answer of GET path (relative to /v1.0, or an
	// absolute @odata.nextLink) into out. Non-2xx answers return *Error.
	Get(ctx context.Context, path string, out any) error
	// Batch sends GET requests through /$batch (the implementation splits
	// them into batches of 20 and retries per-item 429s). Responses come back
	// in any order, matched by ID.
	Batch(ctx context.Context, reqs []BatchRequest) ([]BatchResponse, error)
}

// BatchRequest is one GET inside a $batch.
type BatchRequest struct {
	ID  string
	URL string // relative to /v1.0, e.g. /servicePrincipals/{id}/synchronization/jobs
}

// BatchResponse is one answer inside a $batch.
type BatchResponse struct {
	ID     string
	Status int
	Body   json.RawMessage
}

// Error is a non-2xx answer from Graph.
type Error struct {
	StatusCode int
	Code       string // Graph's error code, e.g. Authorization_RequestDenied
	Message    string
	Path       string
}

func (e *Error) Error() string {
	msg := e.Path + ": HTTP " + strconv.Itoa(e.StatusCode)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// StatusCode returns the HTTP status of a Graph error, or 0.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// Reason classifies an error into a small, fixed set of label values for the
// exporter's failure metrics.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	switch code := StatusCode(err); {
	case code == http.StatusForbidden:
		return "forbidden"
	case code == http.StatusUnauthorized:
		return "unauthorized"
	case code == http.StatusTooManyRequests:
		return "throttled"
	case code == http.StatusNotFound:
		return "not_found"
	case code >= 500:
		return "server_error"
	case code >= 400:
		return "client_error"
	}
	var tokenErr *TokenError
	if errors.As(err, &tokenErr) {
		return "token"
	}
	var malformed *MalformedError
	if errors.As(err, &malformed) {
		return "malformed"
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return "timeout"
	}
	return "transport"
}

// MalformedError marks an answer that was not the JSON shape Graph documents.
type MalformedError struct {
	What string
	Err  error
}

func (e *MalformedError) Error() string { return "malformed " + e.What + ": " + e.Err.Error() }
func (e *MalformedError) Unwrap() error { return e.Err }
