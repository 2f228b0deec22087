package graphsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
)

// maxBatchRequests is Graph's JSON batching limit.
const maxBatchRequests = 20

type batchRequestItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

type batchResponseItem struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// handleBatch is POST /$batch. Items run one at a time through the same
// chain as top-level requests (routing, counting, faults) with the outer
// request's token; each gets its own status, so a throttled item is a 429
// inside a 200. dependsOn may name any item of the batch, earlier or later
// in the list, as in Graph: items run in dependency order (list order among
// independent items) and the responses come back in list order.
func (s *Sim) handleBatch(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Requests []batchRequestItem `json:"requests"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if msg := validateBatch(body.Requests); msg != "" {
		writeError(w, r, http.StatusBadRequest, "BadRequest", msg)
		return
	}
	order, msg := batchExecutionOrder(body.Requests)
	if msg != "" {
		writeError(w, r, http.StatusBadRequest, "BadRequest", msg)
		return
	}
	status := map[string]int{} // lower-case id → status
	responses := make([]batchResponseItem, len(body.Requests))
	for _, idx := range order {
		item := body.Requests[idx]
		resp := batchResponseItem{ID: item.ID}
		if failed := failedDependency(item, status); failed != "" {
			resp = s.batchItemError(r, item, http.StatusFailedDependency, "FailedDependency",
				fmt.Sprintf("The request with id '%s' was not executed because the request it depends on ('%s') failed.", item.ID, failed))
		} else {
			resp = s.runBatchItem(r, item)
		}
		status[strings.ToLower(item.ID)] = resp.Status
		responses[idx] = resp
	}
	writeJSON(w, http.StatusOK, map[string]any{"responses": responses})
}

// validateBatch returns why a batch payload is unacceptable ("" when fine).
func validateBatch(items []batchRequestItem) string {
	if len(items) == 0 {
		return "Invalid batch payload format: 'requests' must contain at least one request."
	}
	if len(items) > maxBatchRequests {
		return fmt.Sprintf("Number of batch requests (%d) exceeds the maximum of %d; split them into several batches.", len(items), maxBatchRequests)
	}
	seen := map[string]bool{}
	for i, it := range items {
		if strings.TrimSpace(it.ID) == "" {
			return fmt.Sprintf("Invalid batch payload format: request %d has no 'id'.", i+1)
		}
		key := strings.ToLower(it.ID)
		if seen[key] {
			return fmt.Sprintf("Invalid batch payload format: request id '%s' is not unique (ids are compared case-insensitively).", it.ID)
		}
		switch strings.ToUpper(it.Method) {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			return fmt.Sprintf("Invalid batch payload format: request '%s' has an invalid method '%s'.", it.ID, it.Method)
		}
		if it.URL == "" || strings.Contains(it.URL, "://") {
			return fmt.Sprintf("Invalid batch payload format: request '%s' needs a relative 'url' such as /servicePrincipals/{id}.", it.ID)
		}
		if len(bytes.TrimSpace(it.Body)) > 0 && string(bytes.TrimSpace(it.Body)) != "null" && headerValue(it.Headers, "Content-Type") == "" {
			return fmt.Sprintf("Invalid batch payload format: request '%s' has a body but no Content-Type header.", it.ID)
		}
		seen[key] = true
	}
	for _, it := range items {
		for _, dep := range it.DependsOn {
			if !seen[strings.ToLower(dep)] {
				return fmt.Sprintf("Invalid batch payload format: request '%s' depends on '%s', which is not a request in this batch.", it.ID, dep)
			}
			if strings.EqualFold(dep, it.ID) {
				return fmt.Sprintf("Invalid batch payload format: request '%s' depends on itself.", it.ID)
			}
		}
	}
	return ""
}

// batchExecutionOrder returns the item indexes in an order where every item
// follows the items it depends on, keeping list order among items that are
// ready at the same time; a dependency cycle is a 400 message. Ids were
// validated (unique, dependencies exist) by validateBatch.
func batchExecutionOrder(items []batchRequestItem) ([]int, string) {
	index := make(map[string]int, len(items))
	for i, it := range items {
		index[strings.ToLower(it.ID)] = i
	}
	done := make([]bool, len(items))
	order := make([]int, 0, len(items))
	for len(order) < len(items) {
		progressed := false
		for i, it := range items {
			if done[i] {
				continue
			}
			ready := true
			for _, dep := range it.DependsOn {
				if !done[index[strings.ToLower(dep)]] {
					ready = false
					break
				}
			}
			if ready {
				done[i] = true
				order = append(order, i)
				progressed = true
				break // restart from the top so list order wins among ready items
			}
		}
		if !progressed {
			var stuck []string
			for i, it := range items {
				if !done[i] {
					stuck = append(stuck, "'"+it.ID+"'")
				}
			}
			return nil, fmt.Sprintf("Invalid batch payload format: the dependsOn of requests %s form a cycle.", strings.Join(stuck, ", "))
		}
	}
	return order, ""
}

func headerValue(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// failedDependency returns the id of a dependency that did not succeed.
func failedDependency(item batchRequestItem, status map[string]int) string {
	for _, dep := range item.DependsOn {
		if st := status[strings.ToLower(dep)]; st < 200 || st > 299 {
			return dep
		}
	}
	return ""
}

// runBatchItem executes one item and captures its response.
func (s *Sim) runBatchItem(outer *http.Request, item batchRequestItem) (resp batchResponseItem) {
	resp.ID = item.ID
	target := item.URL
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	// SDKs send $filter values with literal spaces inside batch urls.
	target = strings.ReplaceAll(target, " ", "%20")
	var body []byte
	if b := bytes.TrimSpace(item.Body); len(b) > 0 && string(b) != "null" {
		body = b
		// A JSON string body with a non-JSON content type is sent as is.
		if mt, _, _ := mime.ParseMediaType(headerValue(item.Headers, "Content-Type")); mt != "application/json" && b[0] == '"' {
			var str string
			if json.Unmarshal(b, &str) == nil {
				body = []byte(str)
			}
		}
	}
	sub, err := http.NewRequestWithContext(outer.Context(), strings.ToUpper(item.Method), graphPrefix+target, bytes.NewReader(body))
	if err != nil {
		return s.batchItemError(outer, item, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Invalid request url '%s': %v", item.URL, err))
	}
	sub.Host = outer.Host
	sub.RemoteAddr = outer.RemoteAddr
	for k, v := range item.Headers {
		sub.Header.Set(k, v)
	}
	sub.Header.Set("Authorization", outer.Header.Get("Authorization"))
	rec := httptest.NewRecorder()
	s.assignRequestID(rec, sub)
	func() {
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("graphsim: batch item panicked", "url", item.URL, "panic", fmt.Sprint(v))
				rec = httptest.NewRecorder()
				writeError(rec, sub, http.StatusInternalServerError, "InternalServerError", "The simulator failed while handling this batch item; this is a simulator bug.")
			}
		}()
		s.serveGraph(rec, sub)
	}()
	return recordedBatchItem(item.ID, rec)
}

// batchItemError answers an item the simulator does not run (a failed
// dependency's 424, an unusable url) with Graph's full error envelope: its
// own request-id and client-request-id.
func (s *Sim) batchItemError(outer *http.Request, item batchRequestItem, status int, code, message string) batchResponseItem {
	sub := &http.Request{Header: http.Header{}}
	if c := headerValue(item.Headers, "client-request-id"); c != "" {
		sub.Header.Set("client-request-id", c)
	}
	sub = sub.WithContext(outer.Context())
	rec := httptest.NewRecorder()
	s.assignRequestID(rec, sub)
	writeError(rec, sub, status, code, message)
	return recordedBatchItem(item.ID, rec)
}

// recordedBatchItem turns a recorded response into a $batch response item.
func recordedBatchItem(id string, rec *httptest.ResponseRecorder) batchResponseItem {
	resp := batchResponseItem{ID: id, Status: rec.Code, Headers: map[string]string{}}
	for k, v := range rec.Header() {
		if len(v) > 0 {
			resp.Headers[k] = v[0]
		}
	}
	if rec.Body.Len() > 0 {
		var parsed any
		if strings.Contains(rec.Header().Get("Content-Type"), "json") && json.Unmarshal(rec.Body.Bytes(), &parsed) == nil {
			resp.Body = parsed
		} else {
			resp.Body = rec.Body.String()
		}
	}
	return resp
}
