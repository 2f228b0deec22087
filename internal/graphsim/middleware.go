package graphsim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/google/uuid"
)

// graphPrefix is the versioned root of every Graph route.
const graphPrefix = "/v1.0"

// batchPattern is the $batch route; the envelope is never throttled itself.
const batchPattern = "POST /v1.0/$batch"

// statusRecorder remembers whether and what a handler wrote, so the recover
// middleware knows whether it can still send an error envelope.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps the mux: request ids, panic recovery, then dispatch to
// Graph (authenticated, counted, faulted) or non-Graph routes.
func (s *Sim) middleware(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		s.assignRequestID(rec, r)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("graphsim: handler panicked", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, r, http.StatusInternalServerError, "InternalServerError", "The simulator failed while handling this request; this is a simulator bug, please report it.")
				}
			}
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
		}()
		if strings.HasPrefix(r.URL.Path, "/beta/") {
			// Tools such as the AzureAD provider call a few routes on beta;
			// the simulator serves them from its v1.0 routes (beta shapes
			// are supersets for everything modelled here) and names the
			// beta service root in @odata.context.
			r.URL.Path = graphPrefix + strings.TrimPrefix(r.URL.Path, "/beta")
			r.URL.RawPath = ""
			r = markBeta(r)
		}
		if isGraphPath(r.URL.Path) {
			if lat := s.faults.spec().Latency; lat > 0 {
				time.Sleep(lat)
			}
			s.serveGraph(rec, r)
			return
		}
		s.serveNonGraph(rec, r)
	})
}

func isGraphPath(p string) bool {
	return p == graphPrefix || strings.HasPrefix(p, graphPrefix+"/")
}

// assignRequestID gives each request a request-id (read back by writeError
// through the request header) and a client-request-id: the client's own,
// echoed as Graph does, or a generated one when it sent none (Graph's
// responses and error envelopes always carry both).
func (s *Sim) assignRequestID(w http.ResponseWriter, r *http.Request) {
	id := uuid.NewString()
	r.Header.Set("request-id", id)
	w.Header().Set("request-id", id)
	c := r.Header.Get("client-request-id")
	if c == "" {
		c = uuid.NewString()
		r.Header.Set("client-request-id", c)
	}
	w.Header().Set("client-request-id", c)
}

// serveNonGraph serves token, discovery, metadata and /_sim routes: no token,
// no faults, not counted.
func (s *Sim) serveNonGraph(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		// curl -d sends JSON under this type; the admin API (and the SCIM
		// targets) only take JSON, so read it as JSON for people at a shell.
		r.Header.Set("Content-Type", "application/json")
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.writeNoRoute(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// serveGraph runs one Graph request (top level or a $batch item) through
// rewriting, routing, counting, authentication, authorization and faults.
func (s *Sim) serveGraph(w http.ResponseWriter, r *http.Request) {
	normalizeGraphPath(r)
	if !s.rewriteGraphPath(w, r) {
		return
	}
	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		s.requests.count(r.Method + " (no route)")
		s.writeNoRoute(w, r)
		return
	}
	if !strings.Contains(pattern, " ") {
		pattern = r.Method + " " + pattern
	}
	s.requests.count(pattern)
	claims, msg := s.authenticate(r)
	if claims == nil {
		writeUnauthorized(w, r, msg)
		return
	}
	r = withCaller(r, claims)
	if r.Method != http.MethodGet && r.Method != http.MethodHead && pattern != batchPattern && !readOnlyActions[pattern] && !callerCanWrite(r) {
		writeError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	if pattern != batchPattern && s.injectRequestFault(w, r) {
		return
	}
	if !canonicalizeQueryOptions(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// queryOptions are the OData system query options the simulator implements
// (handlers read them under these lower-case names).
var queryOptions = map[string]bool{
	"$filter": true, "$select": true, "$top": true, "$skip": true,
	"$skiptoken": true, "$orderby": true, "$count": true, "$search": true,
}

// unimplementedQueryOptions are system query options Graph supports but the
// simulator does not; answering without them would silently give a client
// less than it asked for, so they are a 400 that says so.
var unimplementedQueryOptions = map[string]bool{
	"$expand": true, "$apply": true, "$compute": true,
	"$format": true, "$levels": true, "$deltatoken": true,
}

// canonicalizeQueryOptions checks the request's "$" system query options
// and rewrites their names to lower case: Graph matches them
// case-insensitively ($orderBy, $Top) and rejects unknown ones with 400
// "Unrecognized query argument specified". Parameters without "$" are left
// alone (⚠ UNVERIFIED which of those Graph rejects; ignoring them is the
// more forgiving choice and no SDK sends any). It answers the 400 itself
// and reports false.
func canonicalizeQueryOptions(w http.ResponseWriter, r *http.Request) bool {
	if !strings.Contains(r.URL.RawQuery, "$") && !strings.Contains(r.URL.RawQuery, "%24") {
		return true
	}
	q := r.URL.Query()
	changed := false
	for k, vs := range q {
		if !strings.HasPrefix(k, "$") {
			continue
		}
		name := strings.ToLower(k)
		switch {
		case unimplementedQueryOptions[name]:
			writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Query option '%s' is not supported by the simulator; remove it (Graph itself supports it).", k))
			return false
		case !queryOptions[name]:
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Unrecognized query argument specified: '%s'.", clip(k, 100)))
			return false
		case name != k:
			if _, dup := q[name]; dup {
				writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Query option '%s' is specified more than once.", name))
				return false
			}
			delete(q, k)
			q[name] = vs
			changed = true
		}
	}
	if changed {
		r.URL.RawQuery = q.Encode()
	}
	return true
}

// writeNoRoute answers a request no route matches: 405 when the path exists
// for another method, Graph's 400 "Resource not found for the segment" for
// unknown Graph paths, 404 otherwise.
func (s *Sim) writeNoRoute(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	probe := httptest.NewRecorder()
	h.ServeHTTP(probe, r)
	switch {
	case probe.Code == http.StatusMethodNotAllowed:
		if allow := probe.Header().Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		writeError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", fmt.Sprintf("Specified HTTP method '%s' is not allowed for the request target '%s'.", r.Method, r.URL.Path))
	case probe.Code >= 300 && probe.Code < 400:
		// ServeMux redirects unclean paths (double slashes); pass it on.
		for k, v := range probe.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(probe.Code)
	case isGraphPath(r.URL.Path):
		writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Resource not found for the segment '%s'.", lastSegment(r.URL.Path)))
	default:
		writeError(w, r, http.StatusNotFound, "NotFound", fmt.Sprintf("No simulator route for %s %s. Graph routes start with /v1.0/, the admin API with /_sim/.", r.Method, r.URL.Path))
	}
}

func lastSegment(p string) string {
	p = strings.TrimSuffix(p, "/")
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// rewriteGraphPath turns the OData addressing forms Graph accepts into the
// plain paths the mux routes:
//
//	/servicePrincipals(appId='…')/x → /servicePrincipals/{id}/x
//	/applications(appId='…')/x      → /applications/{id}/x
//	…/functions() and …/filterOperators() (any "name()" segment) → …/name
//
// It answers 404 itself when an appId names no object and reports false.
func (s *Sim) rewriteGraphPath(w http.ResponseWriter, r *http.Request) bool {
	path := r.URL.Path
	if !strings.Contains(path, "(") {
		return true
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if strings.HasSuffix(seg, "()") {
			segs[i] = strings.TrimSuffix(seg, "()")
			continue
		}
		coll, key, ok := parseKeyAddress(seg)
		if !ok {
			continue
		}
		id, found := s.resolveAppIDAddress(coll, key)
		if !found {
			writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", key))
			return false
		}
		segs[i] = coll + "/" + id
	}
	r.URL.Path = strings.Join(segs, "/")
	r.URL.RawPath = ""
	return true
}

// parseKeyAddress parses "servicePrincipals(appId='x')" (also with
// "appId=x" unquoted or %27-decoded quotes).
func parseKeyAddress(seg string) (coll, appID string, ok bool) {
	open := strings.IndexByte(seg, '(')
	if open < 0 || !strings.HasSuffix(seg, ")") {
		return "", "", false
	}
	coll = seg[:open]
	if coll != "servicePrincipals" && coll != "applications" {
		return "", "", false
	}
	inner, err := url.PathUnescape(seg[open+1 : len(seg)-1])
	if err != nil {
		return "", "", false
	}
	k, v, ok := strings.Cut(inner, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(k), "appId") {
		return "", "", false
	}
	v = strings.Trim(strings.TrimSpace(v), "'")
	return coll, v, v != ""
}

// clip shortens client-supplied text echoed in error messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
