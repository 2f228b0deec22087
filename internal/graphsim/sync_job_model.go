package graphsim

import (
	"fmt"
	"strings"
	"time"
)

// defaultJobInterval is the schedule Entra gives SCIM jobs (PT40M).
const defaultJobInterval = 40 * time.Minute

// syncJob is one synchronization job and its engine bookkeeping.
type syncJob struct {
	ID         string
	TemplateID string
	SPID       string
	createdAt  time.Time

	scheduleState string // Disabled | Active | Paused
	interval      time.Duration
	// disabledByService is set when four weeks of quarantine disabled the
	// schedule; the interval is then reported as TimeSpan.MaxValue.
	disabledByService bool
	code              string // NotRun | Active | Paused | Quarantine once started
	everStarted       bool

	lastExecution             *taskExecution
	lastSuccessful            *taskExecution
	lastSuccessfulWithExports *taskExecution
	successiveFailures        int64
	escrowsPruned             bool
	quarantine                *quarantineState
	steadyFirst, steadyLast   time.Time
	syncedUsers, syncedGroups int64

	// schema is nil while the job uses its template's default schema
	// (shared, so 1,000 default jobs cost one schema).
	schema   map[string]any
	compiled *compiledSchema

	// Engine bookkeeping (engine.go).
	nextRun      time.Time
	heapIndex    int
	running      bool
	rerun        bool // started again while a cycle was in flight
	deleted      bool
	needsFull    bool // next cycle is an initial (full) cycle
	forceDeletes bool
	exported     map[string]exportedEntry // by source object id
}

// exportedEntry is what the job remembers about an object it exported: the
// target's id and a hash of the last exported representation (the
// watermark), so incremental cycles only touch changed objects.
type exportedEntry struct {
	targetID string
	hash     uint64
	group    bool
	disabled bool
}

// taskExecution is a synchronizationTaskExecution.
type taskExecution struct {
	ActivityIdentifier           string     `json:"activityIdentifier"`
	CountEntitled                int64      `json:"countEntitled"`
	CountEntitledForProvisioning int64      `json:"countEntitledForProvisioning"`
	CountEscrowed                int64      `json:"countEscrowed"`
	CountEscrowedRaw             int64      `json:"countEscrowedRaw"`
	CountExported                int64      `json:"countExported"`
	CountExports                 int64      `json:"countExports"`
	CountImported                int64      `json:"countImported"`
	CountImportedDeltas          int64      `json:"countImportedDeltas"`
	CountImportedReferenceDeltas int64      `json:"countImportedReferenceDeltas"`
	Error                        *syncError `json:"error"`
	State                        string     `json:"state"` // Succeeded | Failed | EntryLevelErrors
	TimeBegan                    string     `json:"timeBegan"`
	TimeEnded                    string     `json:"timeEnded"`
}

// syncError is a synchronizationError.
type syncError struct {
	Code             string `json:"code"`
	Message          string `json:"message"`
	TenantActionable bool   `json:"tenantActionable"`
}

// quarantineState is a synchronizationQuarantine.
type quarantineState struct {
	CurrentBegan time.Time
	NextAttempt  time.Time
	Reason       string
	SeriesBegan  time.Time
	SeriesCount  int64
	Error        syncError
}

// statusCode is the job's status.code; before the first start it depends on
// whether credentials were saved.
func (j *syncJob) statusCode(p *spSync) string {
	if !j.everStarted {
		if p.hasCredentials() {
			return "Paused"
		}
		return "NotConfigured"
	}
	return j.code
}

// jobJSON renders a synchronizationJob.
func (j *syncJob) jobJSON(p *spSync) map[string]any {
	var quarantine any
	if q := j.quarantine; q != nil {
		quarantine = map[string]any{
			"currentBegan": formatTime(q.CurrentBegan),
			"nextAttempt":  formatTime(q.NextAttempt),
			"reason":       q.Reason,
			"seriesBegan":  formatTime(q.SeriesBegan),
			"seriesCount":  q.SeriesCount,
			"error":        q.Error,
		}
	}
	counts := []map[string]any{}
	if j.syncedUsers > 0 {
		counts = append(counts, map[string]any{"key": "user to User", "value": j.syncedUsers})
	}
	if j.syncedGroups > 0 {
		counts = append(counts, map[string]any{"key": "group to Group", "value": j.syncedGroups})
	}
	return map[string]any{
		"id":         j.ID,
		"templateId": j.TemplateID,
		"schedule": map[string]any{
			"expiration": nil,
			"interval":   j.intervalText(),
			"state":      j.scheduleState,
		},
		"status": map[string]any{
			"code":                               j.statusCode(p),
			"countSuccessiveCompleteFailures":    j.successiveFailures,
			"escrowsPruned":                      j.escrowsPruned,
			"lastExecution":                      j.lastExecution,
			"lastSuccessfulExecution":            j.lastSuccessful,
			"lastSuccessfulExecutionWithExports": j.lastSuccessfulWithExports,
			"progress":                           []any{},
			"quarantine":                         quarantine,
			"steadyStateFirstAchievedTime":       formatTime(j.steadyFirst),
			"steadyStateLastAchievedTime":        formatTime(j.steadyLast),
			"synchronizedEntryCountByType":       counts,
			"troubleshootingUrl":                 nil,
		},
		"synchronizationJobSettings": []map[string]string{
			{"name": "AzureIngestionAttributeOptimization", "value": "False"},
			{"name": "LookaheadQueryEnabled", "value": "False"},
		},
	}
}

// timeSpanMaxValue is .NET's TimeSpan.MaxValue as Graph serializes it.
const timeSpanMaxValue = "P10675199DT2H48M5.4775807S"

func (j *syncJob) intervalText() string {
	if j.disabledByService {
		return timeSpanMaxValue
	}
	return formatISODuration(j.interval)
}

// formatISODuration writes a duration as ISO 8601 (PT40M, P1D, PT1H30M).
func formatISODuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("P")
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	if days > 0 {
		fmt.Fprintf(&b, "%dD", days)
	}
	if d == 0 {
		return b.String()
	}
	b.WriteString("T")
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	if h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if d > 0 {
		fmt.Fprintf(&b, "%gS", d.Seconds())
	}
	return b.String()
}

// resetScope flags of synchronizationJobRestartCriteria.
var restartScopeFlags = map[string]bool{
	"None": true, "ConnectorDataStore": true, "Escrows": true, "Watermark": true,
	"QuarantineState": true, "Full": true, "ForceDeletes": true,
}

// parseResetScope parses a comma-separated flags value the way .NET parses a
// flags enum: tokens are trimmed and case-sensitive. An empty value means the
// portal's "Restart provisioning" (QuarantineState, Watermark, Escrows).
func parseResetScope(v string) (map[string]bool, error) {
	if strings.TrimSpace(v) == "" {
		return map[string]bool{"QuarantineState": true, "Watermark": true, "Escrows": true}, nil
	}
	out := map[string]bool{}
	for _, tok := range strings.Split(v, ",") {
		tok = strings.TrimSpace(tok)
		if !restartScopeFlags[tok] {
			return nil, fmt.Errorf("Requested value '%s' was not found. Valid resetScope flags: None, ConnectorDataStore, Escrows, Watermark, QuarantineState, Full, ForceDeletes.", tok)
		}
		out[tok] = true
	}
	return out, nil
}

// applyRestart resets job state per the scope flags.
func (j *syncJob) applyRestart(scope map[string]bool) {
	full := scope["Full"]
	if full || scope["ConnectorDataStore"] {
		j.exported = nil
		j.syncedUsers, j.syncedGroups = 0, 0
	}
	if full || scope["Watermark"] {
		for id, e := range j.exported {
			e.hash = 0
			j.exported[id] = e
		}
		j.needsFull = true
	}
	if full || scope["Escrows"] {
		j.escrowsPruned = true
	}
	if full || scope["QuarantineState"] {
		j.quarantine = nil
		j.successiveFailures = 0
	}
	if scope["ForceDeletes"] {
		j.forceDeletes = true
	}
}
