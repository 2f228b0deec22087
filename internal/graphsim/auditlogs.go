package graphsim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// GET /v1.0/auditLogs/provisioning. Page size: $top defaults to 50 and may be
// 1…1000 (Graph's default and maximum for this API are UNVERIFIED; these
// are conservative). Ordering is activityDateTime desc unless $orderby says
// asc. Paging uses an opaque $skiptoken (a cursor, stable while new events
// arrive). The "identity and access reports" limit of 5 requests per 10 s
// per app answers 429 with Retry-After.
const (
	defaultLogPageSize = 50
	maxLogPageSize     = 1000
)

func (s *Sim) handleProvisioningLogs(w http.ResponseWriter, r *http.Request) {
	key := "anonymous"
	if c := callerFrom(r); c != nil && c.AppID != "" {
		key = c.AppID
	}
	s.mu.Lock()
	s.initSyncState()
	limiter := s.sync.auditLog
	s.mu.Unlock()
	if ok, wait := limiter.allow(key); !ok {
		writeThrottled(w, r, wait, "The identity and access reports API")
		return
	}
	q := r.URL.Query()
	top := defaultLogPageSize
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLogPageSize {
			writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", v, maxLogPageSize))
			return
		}
		top = n
	}
	desc := true
	switch strings.Join(strings.Fields(q.Get("$orderby")), " ") {
	case "", "activityDateTime desc":
	case "activityDateTime", "activityDateTime asc":
		desc = false
	default:
		writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("$orderby %q is not supported; use \"activityDateTime desc\" or \"activityDateTime asc\".", q.Get("$orderby")))
		return
	}
	pred, err := parseEventFilter(q.Get("$filter"))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid filter clause: "+err.Error())
		return
	}
	var after *logCursor
	if tok := q.Get("$skiptoken"); tok != "" {
		c, err := decodeLogCursor(tok)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid $skiptoken: follow @odata.nextLink exactly as returned.")
			return
		}
		after = c
	}

	s.mu.Lock()
	var matches []*provisioningEvent
	s.sync.logs.each(func(e *provisioningEvent) {
		if pred(e) && (after == nil || after.before(e, desc)) {
			matches = append(matches, e)
		}
	})
	sort.Slice(matches, func(i, j int) bool {
		a, b := matches[i], matches[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at) != desc
		}
		return (a.seq < b.seq) != desc
	})
	more := len(matches) > top
	if more {
		matches = matches[:top]
	}
	value := make([]any, 0, len(matches))
	for _, e := range matches {
		value = append(value, e.eventJSON(s.tenantID))
	}
	s.mu.Unlock()

	body := map[string]any{
		"@odata.context": metadataURL(r) + "auditLogs/provisioning",
		"value":          value,
	}
	if more {
		last := matches[len(matches)-1]
		base := s.ready.GraphEndpoint
		if base == "" {
			base = "https://" + r.Host
		}
		body["@odata.nextLink"] = base + "/v1.0/auditLogs/provisioning?" + nextLinkQuery(q, (&logCursor{at: last.at, seq: last.seq}).encode())
	}
	writeJSON(w, http.StatusOK, body)
}

// logCursor is the position of the last event of a page.
type logCursor struct {
	at  time.Time
	seq uint64
}

func (c *logCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d.%d", c.at.UnixNano(), c.seq)))
}

func decodeLogCursor(tok string) (*logCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(string(raw), ".", 2)
	if len(parts) != 2 {
		return nil, fmt.Errorf("malformed cursor")
	}
	ns, err1 := strconv.ParseInt(parts[0], 10, 64)
	seq, err2 := strconv.ParseUint(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("malformed cursor")
	}
	return &logCursor{at: time.Unix(0, ns).UTC(), seq: seq}, nil
}

// before reports whether e comes after the cursor in the page order.
func (c *logCursor) before(e *provisioningEvent, desc bool) bool {
	if !e.at.Equal(c.at) {
		return e.at.After(c.at) != desc
	}
	if e.seq == c.seq {
		return false
	}
	return (e.seq > c.seq) != desc
}

// nextLinkQuery keeps the request's options and sets $skiptoken; like
// Graph's links, option names keep their literal "$".
func nextLinkQuery(q url.Values, token string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "$skiptoken" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, k+"="+url.QueryEscape(v))
		}
	}
	return strings.Join(append(parts, "$skiptoken="+token), "&")
}
