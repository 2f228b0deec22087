package graphsim

import (
	"context"
	"net/http"
	"strconv"
	"strings"
)

// countOnlyKey marks a request for /{collection}/$count.
type countOnlyKey struct{}

// handleCount serves GET /{collection}/$count with the collection's list
// handler: the same $filter applies, and the answer is the number of
// matching objects as text/plain. Graph counts directory objects only with
// the advanced-query header ConsistencyLevel: eventual; without it the
// answer is 400 "$count is not currently supported.".
func (s *Sim) handleCount(list http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(strings.TrimSpace(r.Header.Get("ConsistencyLevel")), "eventual") {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "$count is not currently supported.")
			return
		}
		list(w, r.WithContext(context.WithValue(r.Context(), countOnlyKey{}, true)))
	}
}

// writeCountIfAsked answers a $count request with n and reports whether it did.
func writeCountIfAsked(w http.ResponseWriter, r *http.Request, n int) bool {
	if v, _ := r.Context().Value(countOnlyKey{}).(bool); !v {
		return false
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(strconv.Itoa(n)))
	return true
}
