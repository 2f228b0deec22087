// Package graphapitest is an in-memory graphapi.Client for unit tests: a
// tenant of service principals with raw job JSON and provisioning-log events,
// request counting that mirrors Graph's (one $batch call per 20 requests),
// and fault injection per route.
package graphapitest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
)

// SP is a service principal in the fake tenant.
type SP struct {
	ID, AppID, DisplayName, ApplicationTemplateID string
	Jobs                                          []string // raw job JSON objects
}

// Event is a provisioning-log event.
type Event struct {
	ID, SPID, JobID, Action, Status, ErrorCode string
	At                                         time.Time
}

// Fake implements graphapi.Client.
type Fake struct {
	mu       sync.Mutex
	sps      map[string]*SP
	events   []Event
	PageSize int // servicePrincipals and logs page size (default 100)

	// Fail, when set, is consulted for every request path (batch items too);
	// a non-nil error is returned for whole requests, and for batch items its
	// status is used when it is a *graphapi.Error.
	Fail func(path string) error
	// BatchFail fails whole $batch calls.
	BatchFail func() error

	Gets, Batches, BatchItems int
	LogRequests               []string
}

// New returns an empty tenant.
func New() *Fake { return &Fake{sps: map[string]*SP{}, PageSize: 100} }

// PutSP adds or replaces a service principal.
func (f *Fake) PutSP(sp SP) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := sp
	f.sps[sp.ID] = &c
}

// SetJobs replaces a service principal's jobs.
func (f *Fake) SetJobs(spID string, jobs ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sps[spID].Jobs = jobs
}

// DeleteSP removes a service principal.
func (f *Fake) DeleteSP(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sps, id)
}

// AddEvents appends provisioning-log events.
func (f *Fake) AddEvents(evs ...Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, evs...)
}

// ResetCounts zeroes the request counters.
func (f *Fake) ResetCounts() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Gets, f.Batches, f.BatchItems, f.LogRequests = 0, 0, 0, nil
}

// Requests is the number of HTTP requests Graph would have seen.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Gets + f.Batches
}

// Get implements graphapi.Client.
func (f *Fake) Get(ctx context.Context, path string, out any) error {
	f.mu.Lock()
	f.Gets++
	fail := f.Fail
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if fail != nil {
		if err := fail(path); err != nil {
			return err
		}
	}
	f.mu.Lock()
	status, body := f.serve(path)
	f.mu.Unlock()
	if status != 200 {
		return &graphapi.Error{StatusCode: status, Code: "Request_ResourceNotFound", Path: path}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &graphapi.MalformedError{What: "answer to " + path, Err: err}
	}
	return nil
}

// Batch implements graphapi.Client.
func (f *Fake) Batch(ctx context.Context, reqs []graphapi.BatchRequest) ([]graphapi.BatchResponse, error) {
	f.mu.Lock()
	f.Batches += (len(reqs) + 19) / 20
	f.BatchItems += len(reqs)
	fail, batchFail := f.Fail, f.BatchFail
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if batchFail != nil {
		if err := batchFail(); err != nil {
			return nil, err
		}
	}
	out := make([]graphapi.BatchResponse, 0, len(reqs))
	for _, r := range reqs {
		if fail != nil {
			if err := fail(r.URL); err != nil {
				status := 500
				if ge, ok := err.(*graphapi.Error); ok {
					status = ge.StatusCode
				}
				body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": "Injected", "message": err.Error()}})
				out = append(out, graphapi.BatchResponse{ID: r.ID, Status: status, Body: body})
				continue
			}
		}
		f.mu.Lock()
		status, body := f.serve(r.URL)
		f.mu.Unlock()
		out = append(out, graphapi.BatchResponse{ID: r.ID, Status: status, Body: body})
	}
	// Graph answers $batch items in any order.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// serve answers a GET; caller holds f.mu.
func (f *Fake) serve(raw string) (int, []byte) {
	u, err := url.Parse(raw)
	if err != nil {
		return 400, nil
	}
	q := u.Query()
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case u.Path == "/servicePrincipals":
		return f.listSPs(q)
	case len(parts) == 2 && parts[0] == "servicePrincipals":
		sp, ok := f.sps[parts[1]]
		if !ok {
			return 404, []byte(`{"error":{"code":"Request_ResourceNotFound"}}`)
		}
		b, _ := json.Marshal(map[string]string{"id": sp.ID, "appId": sp.AppID, "displayName": sp.DisplayName, "applicationTemplateId": sp.ApplicationTemplateID})
		return 200, b
	case len(parts) == 4 && parts[0] == "servicePrincipals" && parts[2] == "synchronization" && parts[3] == "jobs":
		sp, ok := f.sps[parts[1]]
		if !ok {
			return 404, []byte(`{"error":{"code":"Request_ResourceNotFound"}}`)
		}
		return 200, []byte(`{"value":[` + strings.Join(sp.Jobs, ",") + `]}`)
	case u.Path == "/auditLogs/provisioning":
		f.LogRequests = append(f.LogRequests, raw)
		return f.listEvents(q)
	}
	return 404, []byte(`{"error":{"code":"UnknownRoute"}}`)
}

func (f *Fake) listSPs(q url.Values) (int, []byte) {
	ids := make([]string, 0, len(f.sps))
	for id := range f.sps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	skip, _ := strconv.Atoi(q.Get("$skip"))
	end := min(skip+f.PageSize, len(ids))
	var vals []map[string]string
	for _, id := range ids[skip:end] {
		sp := f.sps[id]
		vals = append(vals, map[string]string{"id": sp.ID, "appId": sp.AppID, "displayName": sp.DisplayName, "applicationTemplateId": sp.ApplicationTemplateID})
	}
	page := map[string]any{"value": vals}
	if end < len(ids) {
		page["@odata.nextLink"] = fmt.Sprintf("/servicePrincipals?$skip=%d", end)
	}
	b, _ := json.Marshal(page)
	return 200, b
}

// listEvents supports "$filter=activityDateTime gt T" and $skip paging.
func (f *Fake) listEvents(q url.Values) (int, []byte) {
	var after time.Time
	if flt := q.Get("$filter"); flt != "" {
		const p = "activityDateTime gt "
		if !strings.HasPrefix(flt, p) {
			return 400, []byte(`{"error":{"code":"BadRequest","message":"unsupported filter"}}`)
		}
		t, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(flt, p))
		if err != nil {
			return 400, []byte(`{"error":{"code":"BadRequest","message":"bad time"}}`)
		}
		after = t
	}
	var match []Event
	for _, e := range f.events {
		if e.At.After(after) {
			match = append(match, e)
		}
	}
	skip, _ := strconv.Atoi(q.Get("$skip"))
	end := min(skip+f.PageSize, len(match))
	vals := []map[string]any{}
	for _, e := range match[min(skip, len(match)):end] {
		info := map[string]any{"status": e.Status}
		if e.ErrorCode != "" {
			info["errorInformation"] = map[string]any{"errorCode": e.ErrorCode, "reason": "x"}
		}
		vals = append(vals, map[string]any{
			"id": e.ID, "activityDateTime": e.At.UTC().Format(time.RFC3339Nano), "jobId": e.JobID,
			"provisioningAction": e.Action, "servicePrincipal": map[string]string{"id": e.SPID, "displayName": "x"},
			"provisioningStatusInfo": info,
		})
	}
	page := map[string]any{"value": vals}
	if end < len(match) {
		page["@odata.nextLink"] = "/auditLogs/provisioning?$filter=" + url.QueryEscape(q.Get("$filter")) + fmt.Sprintf("&$skip=%d", end)
	}
	b, _ := json.Marshal(page)
	return 200, b
}
