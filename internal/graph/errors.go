package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is a non-2xx answer from Graph, decoded from Graph's error envelope
// {"error":{"code","message","innerError":{"date","request-id"}}}.
type Error struct {
	StatusCode int
	Code       string // Graph's error code, e.g. Authorization_RequestDenied; branch on this, not on Message
	Message    string
	RequestID  string
	Date       string
	RetryAfter time.Duration // from the Retry-After header, when the answer carried one
	Method     string
	Path       string // request path relative to /v1.0, without the query string
	// Permission is, on a 403, the application permission the route needs
	// (RequiredPermission); callers render it instead of parsing Error().
	Permission string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: ")
	if e.Method != "" || e.Path != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	} else if e.Code == "" {
		b.WriteString(" " + http.StatusText(e.StatusCode))
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request-id %s)", e.RequestID)
	}
	if e.Permission != "" {
		b.WriteString("; the identity needs " + e.Permission)
	}
	return b.String()
}

// errorEnvelope is Graph's error body. innerError may nest further
// innerErrors; the request id is on the first level.
type errorEnvelope struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError *struct {
			Date      string `json:"date"`
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// newErrorFromResponse builds an *Error from a response whose body has
// already been read. Bodies that are not Graph envelopes (proxies, gateways)
// are kept, shortened, as the message so the user still sees what came back.
func newErrorFromResponse(method, path string, resp *http.Response, body []byte) *Error {
	e := &Error{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		RequestID:  firstNonEmpty(resp.Header.Get("request-id"), resp.Header.Get("client-request-id")),
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	var env errorEnvelope
	if err := json.Unmarshal(body, &env); err == nil && (env.Error.Code != "" || env.Error.Message != "") {
		e.Code = env.Error.Code
		e.Message = env.Error.Message
		if ie := env.Error.InnerError; ie != nil {
			e.Date = ie.Date
			if ie.RequestID != "" {
				e.RequestID = ie.RequestID
			}
		}
	} else if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 {
		const maxRaw = 300
		if len(trimmed) > maxRaw {
			trimmed = append(trimmed[:maxRaw:maxRaw], "…"...)
		}
		e.Message = string(trimmed)
	}
	if e.StatusCode == http.StatusForbidden {
		e.Permission = RequiredPermission(method, path)
	}
	return e
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// AsError returns the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var ge *Error
	if errors.As(err, &ge) {
		return ge, true
	}
	return nil, false
}

// StatusCode returns the HTTP status of a Graph error in err's chain, or 0.
// It also understands kiota/msgraph-sdk-go API errors (GetStatusCode).
func StatusCode(err error) int {
	if ge, ok := AsError(err); ok {
		return ge.StatusCode
	}
	var sc interface{ GetStatusCode() int }
	if errors.As(err, &sc) {
		return sc.GetStatusCode()
	}
	return 0
}

// ErrorCode returns Graph's error code (e.g. "Request_ResourceNotFound") of a
// Graph error in err's chain, or "".
func ErrorCode(err error) string {
	if ge, ok := AsError(err); ok {
		return ge.Code
	}
	return ""
}

// ErrorMessage returns the message of a Graph error in err's chain, or "".
func ErrorMessage(err error) string {
	if ge, ok := AsError(err); ok {
		return ge.Message
	}
	return ""
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsForbidden reports a 403 answer.
func IsForbidden(err error) bool { return StatusCode(err) == http.StatusForbidden }

// IsConflict reports a 409 answer.
func IsConflict(err error) bool { return StatusCode(err) == http.StatusConflict }

// IsBadRequest reports a 400 answer.
func IsBadRequest(err error) bool { return StatusCode(err) == http.StatusBadRequest }

// isThrottled reports a 429 answer (after the transport's own retries gave up).
func isThrottled(err error) bool { return StatusCode(err) == http.StatusTooManyRequests }

// IsUnauthorized reports a 401 answer (bad or expired token, wrong tenant).
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// NewError completes an *Error built elsewhere (e.g. from an SDK error):
// it adds the required permission to 403s.
func NewError(e Error) *Error {
	if e.StatusCode == http.StatusForbidden && e.Permission == "" {
		e.Permission = RequiredPermission(e.Method, e.Path)
	}
	return &e
}
