package poller

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// LogConfig tunes the provisioning-log reader.
type LogConfig struct {
	// Overlap re-reads this much time before the watermark on every poll:
	// Graph ingests provisioning events with a delay, so an event can appear
	// after newer ones were already read. Events are de-duplicated by id.
	Overlap time.Duration
	// InitialLookback is how far before start-up the first read begins.
	InitialLookback time.Duration
	// MaxErrorCodes caps distinct error_code label values per job; further
	// codes of that job are counted as "other", so a misbehaving target
	// cannot explode cardinality and one noisy job cannot use up the label
	// values of every other job.
	MaxErrorCodes int
	// PageSize is the $top of each request.
	PageSize int
}

// logReader reads /auditLogs/provisioning incrementally from a watermark on
// activityDateTime and turns events into bounded counters.
type logReader struct {
	client    graphapi.Client
	cfg       LogConfig
	limiter   *windowLimiter
	watermark time.Time
	seen      map[string]time.Time                // event id → activityDateTime, for events inside the overlap
	codes     map[snapshot.JobKey]map[string]bool // per job: error codes that have their own label value
}

func newLogReader(c graphapi.Client, cfg LogConfig, start time.Time) *logReader {
	if cfg.PageSize <= 0 {
		// ⚠ The maximum $top of /auditLogs/provisioning is UNVERIFIED; 500 is
		// what Microsoft's own examples use. A smaller server maximum only
		// means more pages.
		cfg.PageSize = 500
	}
	if cfg.MaxErrorCodes <= 0 {
		cfg.MaxErrorCodes = 25
	}
	return &logReader{
		client:    c,
		cfg:       cfg,
		limiter:   newWindowLimiter(5, 10*time.Second),
		watermark: start.Add(-cfg.InitialLookback).UTC(),
		seen:      map[string]time.Time{},
		codes:     map[snapshot.JobKey]map[string]bool{},
	}
}

type wireEvent struct {
	ID                 string `json:"id"`
	ActivityDateTime   string `json:"activityDateTime"`
	JobID              string `json:"jobId"`
	ProvisioningAction string `json:"provisioningAction"`
	ServicePrincipal   *struct {
		ID string `json:"id"`
	} `json:"servicePrincipal"`
	StatusInfo *struct {
		Status           string `json:"status"`
		ErrorInformation *struct {
			ErrorCode string `json:"errorCode"`
		} `json:"errorInformation"`
	} `json:"provisioningStatusInfo"`
}

// logCounts is what one read adds to the store.
type logCounts struct {
	events    map[snapshot.EventKey]float64
	errors    map[snapshot.ErrorKey]float64
	processed int
	folded    int
	malformed int
}

// read fetches every event newer than watermark-overlap. Events of jobs for
// which monitored returns false are skipped. Counts of pages read before a
// failure are returned with the error (their ids are remembered, so the
// retry on the next poll does not count them twice); the watermark only
// moves after a complete read.
func (r *logReader) read(ctx context.Context, monitored func(snapshot.JobKey) bool) (logCounts, error) {
	counts := logCounts{events: map[snapshot.EventKey]float64{}, errors: map[snapshot.ErrorKey]float64{}}
	from := r.watermark.Add(-r.cfg.Overlap)
	newest := r.watermark
	// OData DateTimeOffset literal with at most 7 fractional digits (.NET ticks).
	filter := "activityDateTime gt " + from.Format("2006-01-02T15:04:05.0000000Z")
	path := entra.ProvisioningLogsPath(filter, r.cfg.PageSize)
	for path != "" {
		if err := r.limiter.Wait(ctx); err != nil {
			return counts, fmt.Errorf("waiting for the provisioning-log rate limit: %w", err)
		}
		var page struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		if err := r.client.Get(ctx, path, &page); err != nil {
			return counts, fmt.Errorf("read provisioning logs: %w", err)
		}
		for _, raw := range page.Value {
			at, ok := r.count(raw, monitored, &counts)
			if ok && at.After(newest) {
				newest = at
			}
		}
		path = page.NextLink
	}
	r.watermark = newest
	// Jobs no longer monitored give their error-code slots back.
	for k := range r.codes {
		if !monitored(k) {
			delete(r.codes, k)
		}
	}
	// Forget ids that can no longer be returned by the next read.
	horizon := r.watermark.Add(-r.cfg.Overlap)
	for id, at := range r.seen {
		if !at.After(horizon) {
			delete(r.seen, id)
		}
	}
	return counts, nil
}

// count adds one event to counts; it returns the event time when usable.
func (r *logReader) count(raw json.RawMessage, monitored func(snapshot.JobKey) bool, c *logCounts) (time.Time, bool) {
	var ev wireEvent
	if err := json.Unmarshal(raw, &ev); err != nil || ev.ID == "" {
		c.malformed++
		return time.Time{}, false
	}
	at, ok, err := jobstatus.ParseTimestamp(ev.ActivityDateTime)
	if err != nil || !ok {
		c.malformed++
		return time.Time{}, false
	}
	if _, dup := r.seen[ev.ID]; dup {
		return at, true
	}
	r.seen[ev.ID] = at
	spID := ""
	if ev.ServicePrincipal != nil {
		spID = ev.ServicePrincipal.ID
	}
	key := snapshot.JobKey{ServicePrincipalID: spID, JobID: ev.JobID}
	if !monitored(key) {
		return at, true
	}
	status := ""
	code := ""
	if ev.StatusInfo != nil {
		status = ev.StatusInfo.Status
		if ev.StatusInfo.ErrorInformation != nil {
			code = ev.StatusInfo.ErrorInformation.ErrorCode
		}
	}
	status = normalise(status, knownStatuses)
	c.events[snapshot.EventKey{JobKey: key, Action: normalise(ev.ProvisioningAction, knownActions), Status: status}]++
	c.processed++
	if status == "failure" {
		label, folded := r.errorLabel(key, code)
		if folded {
			c.folded++
		}
		c.errors[snapshot.ErrorKey{JobKey: key, Code: label}]++
	}
	return at, true
}

// errorLabel returns the error_code label for the job's code, folding the
// job's codes beyond the cap into "other".
func (r *logReader) errorLabel(job snapshot.JobKey, code string) (string, bool) {
	code = strings.TrimSpace(code)
	if code == "" {
		return "unknown", false
	}
	if len(code) > 64 {
		code = code[:64]
	}
	codes := r.codes[job]
	if codes[code] {
		return code, false
	}
	if len(codes) >= r.cfg.MaxErrorCodes {
		return "other", true
	}
	if codes == nil {
		codes = map[string]bool{}
		r.codes[job] = codes
	}
	codes[code] = true
	return code, false
}

// Enum values from msgraph-sdk-go; the docs also spell "stageddelete".
var (
	knownActions  = []string{"other", "create", "delete", "disable", "update", "stagedDelete"}
	knownStatuses = []string{"success", "failure", "skipped", "warning"}
)

// normalise maps v onto a known enum value (case-insensitively) so that label
// values stay bounded; anything else becomes "unrecognized".
func normalise(v string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(v, k) {
			return k
		}
	}
	return "unrecognized"
}
