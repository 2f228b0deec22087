package graphsim

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// graphError is Graph's error envelope:
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
type graphError struct {
	Error graphErrorBody `json:"error"`
}

type graphErrorBody struct {
	Code       string          `json:"code"`
	Message    string          `json:"message"`
	InnerError graphInnerError `json:"innerError"`
}

type graphInnerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id,omitempty"`
}

// requestID returns the request id assigned by the request-id middleware, or a
// fresh one.
func requestID(r *http.Request) string {
	if r != nil {
		if id := r.Header.Get("request-id"); id != "" {
			return id
		}
	}
	return uuid.NewString()
}

// writeError writes a Graph error envelope with the given status and code.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	body := graphError{Error: graphErrorBody{
		Code:    code,
		Message: message,
		InnerError: graphInnerError{
			Date:      time.Now().UTC().Format("2006-01-02T15:04:05"),
			RequestID: requestID(r),
		},
	}}
	if r != nil {
		body.Error.InnerError.ClientRequestID = r.Header.Get("client-request-id")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// writeJSON writes v as an application/json response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
