// Package poller refreshes the exporter's snapshot in the background: job
// status through $batch on every poll, provisioning logs incrementally, and
// discovery on its own slower interval. Failures never clear the snapshot:
// the last known values stay published and the self-metrics say what failed.
package poller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/discovery"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/telemetry"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// Config configures a Poller.
type Config struct {
	PollInterval      time.Duration
	DiscoveryInterval time.Duration
	Discovery         discovery.Config
	Logs              LogConfig
	// DisableLogs turns off provisioning-log reading (tenants without
	// AuditLog.Read.All or without an Entra ID P1/P2 licence).
	DisableLogs bool
	// OnUpdate, when set, runs after every discovery and poll (the exporter
	// re-renders its cached metrics there, off the scrape path).
	OnUpdate func()
}

// Poller owns the background refresh.
type Poller struct {
	client  graphapi.Client
	store   *snapshot.Store
	metrics *telemetry.Metrics
	log     *slog.Logger
	cfg     Config
	logs    *logReader
	now     func() time.Time

	// ready turns true once every monitored job's status has been read
	// (the first successful jobs operation); see Ready.
	ready atomic.Bool

	mu            sync.Mutex
	targets       []snapshot.ServicePrincipal
	discovered    bool
	lastDiscovery time.Time
}

// New returns a poller; call Run (or Discover and Poll) to use it.
func New(c graphapi.Client, store *snapshot.Store, m *telemetry.Metrics, log *slog.Logger, cfg Config) *Poller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m.PollInterval.Set(cfg.PollInterval.Seconds())
	m.DiscoveryInterval.Set(cfg.DiscoveryInterval.Seconds())
	m.Expect(telemetry.OpDiscovery, telemetry.OpJobs)
	if !cfg.DisableLogs {
		m.Expect(telemetry.OpLogs)
	}
	return &Poller{
		client: c, store: store, metrics: m, log: log, cfg: cfg,
		logs: newLogReader(c, cfg.Logs, time.Now()),
		now:  time.Now,
	}
}

// Ready reports whether the job metrics reflect Graph: true from the first
// poll that read every monitored job's status (the readiness endpoint).
// Log reading is not required: a tenant without the licence for
// provisioning logs still has useful job metrics.
func (p *Poller) Ready() bool { return p.ready.Load() }

// jobsRead records a successful read of every monitored job's status.
func (p *Poller) jobsRead() {
	p.metrics.OperationResult(telemetry.OpJobs, "", p.now())
	p.ready.Store(true)
}

// Run discovers and polls until ctx ends. Discovery runs at start, then every
// DiscoveryInterval; until it first succeeds it is retried on every poll.
func (p *Poller) Run(ctx context.Context) {
	ticker := time.NewTicker(p.cfg.PollInterval)
	defer ticker.Stop()
	for {
		p.cycle(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// cycle is one tick: discovery when due, then a poll. Each is bounded by its
// own interval, so a hung Graph cannot pile up overlapping work, and a large
// tenant's discovery may take longer than one poll interval.
func (p *Poller) cycle(ctx context.Context) {
	p.mu.Lock()
	due := !p.discovered || p.now().Sub(p.lastDiscovery) >= p.cfg.DiscoveryInterval
	p.mu.Unlock()
	var discoveryErr error
	if due {
		dctx, cancel := context.WithTimeout(ctx, p.cfg.DiscoveryInterval)
		discoveryErr = p.Discover(dctx)
		cancel()
	}
	pctx, cancel := context.WithTimeout(ctx, p.cfg.PollInterval)
	defer cancel()
	// A discovery that succeeded has just read every job list: reading them
	// again would double this cycle's requests. A failed one makes the poll
	// count as failed: the job list may be incomplete.
	_ = p.poll(pctx, discoveryErr, due && discoveryErr == nil)
	if p.cfg.OnUpdate != nil {
		p.cfg.OnUpdate()
	}
}

// Discover refreshes the set of monitored service principals and stores the
// jobs it saw on the way.
func (p *Poller) Discover(ctx context.Context) error {
	start := p.now()
	found, err := discovery.Discover(ctx, p.client, p.cfg.Discovery)
	p.metrics.LastDiscovery.Set(float64(p.now().UnixNano()) / 1e9)
	if err != nil && !discovery.IsPartial(err) {
		p.metrics.DiscoverySuccess.Set(0)
		p.fail(telemetry.OpDiscovery, err, "discovery failed; keeping the service principals found before")
		return err
	}
	observed := p.now()
	targets := make([]snapshot.ServicePrincipal, 0, len(found))
	keep := make(map[string]bool, len(found))
	known := p.knownServicePrincipals()
	for _, f := range found {
		sp := f.ServicePrincipal
		if prev, ok := known[sp.ID]; ok && sp.DisplayName == "" {
			sp = prev // its details could not be read this time
		}
		targets = append(targets, sp)
		keep[sp.ID] = true
		if f.Jobs != nil {
			p.storeJobs(sp, f.Jobs, observed)
		}
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].ID < targets[j].ID })
	p.store.Retain(keep)
	p.mu.Lock()
	p.targets = targets
	p.discovered = true
	p.lastDiscovery = start
	p.mu.Unlock()
	p.metrics.ServicePrincipals.Set(float64(len(targets)))
	p.metrics.Jobs.Set(float64(p.store.JobCount()))
	if err != nil {
		p.metrics.DiscoverySuccess.Set(0)
		p.fail(telemetry.OpDiscovery, err, "discovery could not read some service principals or job lists; the rest is monitored and they are retried")
		return err
	}
	p.metrics.DiscoverySuccess.Set(1)
	p.metrics.OperationResult(telemetry.OpDiscovery, "", p.now())
	p.log.Info("discovery finished", "service_principals", len(targets), "jobs", p.store.JobCount(), "duration", p.now().Sub(start))
	return nil
}

// Poll refreshes every known job and reads new provisioning-log events.
func (p *Poller) Poll(ctx context.Context) error { return p.poll(ctx, nil, false) }

// poll is Poll; an earlier failure of the same cycle (discovery) counts as
// a failure of the poll, and jobsFresh skips the job lists discovery just read.
func (p *Poller) poll(ctx context.Context, earlier error, jobsFresh bool) error {
	start := p.now()
	p.mu.Lock()
	targets := p.targets
	discovered := p.discovered
	p.mu.Unlock()

	var jobsErr error
	switch {
	case jobsFresh:
		p.jobsRead() // discovery read every job list moments ago
	case !discovered:
		// No job is known before the first discovery: reading "all" of
		// none is no success (readiness and freshness must not say so).
	default:
		jobsErr = p.pollJobs(ctx, targets)
	}
	var logsErr error
	// Before the first discovery no job is known: reading logs now would
	// move the watermark past events that could not be attributed.
	if !p.cfg.DisableLogs && discovered {
		logsErr = p.pollLogs(ctx)
	}
	end := p.now()
	p.metrics.PollDuration.Set(end.Sub(start).Seconds())
	p.metrics.LastPoll.Set(float64(end.UnixNano()) / 1e9)
	p.metrics.Jobs.Set(float64(p.store.JobCount()))
	err := errors.Join(earlier, jobsErr, logsErr)
	if err != nil {
		p.metrics.PollSuccess.Set(0)
		return err
	}
	p.metrics.PollSuccess.Set(1)
	p.metrics.LastSuccessfulPoll.Set(float64(end.UnixNano()) / 1e9)
	p.log.Debug("poll finished", "jobs", p.store.JobCount(), "duration", end.Sub(start))
	return nil
}

func (p *Poller) pollJobs(ctx context.Context, targets []snapshot.ServicePrincipal) error {
	var firstErr error
	failed := 0
	// One $batch worth at a time, each stored before the next is asked for
	// (see discovery.BatchCallSize).
	for start := 0; start < len(targets); start += discovery.BatchCallSize {
		chunk := targets[start:min(start+discovery.BatchCallSize, len(targets))]
		n, err := p.pollJobsChunk(ctx, chunk)
		if n < 0 {
			// The whole call failed (Graph down, token, transport): asking
			// for the remaining chunks would only repeat the failure. The
			// chunks already read keep their fresh values.
			p.fail(telemetry.OpJobs, err, "could not read job status; serving the last known values")
			return err
		}
		failed += n
		firstErr = cmpFirst(firstErr, err)
	}
	if firstErr != nil {
		p.fail(telemetry.OpJobs, firstErr, fmt.Sprintf("could not read the jobs of %d of %d service principals; serving their last known values", failed, len(targets)))
		return firstErr
	}
	p.jobsRead()
	return nil
}

// pollJobsChunk reads and stores the job lists of up to discovery.BatchCallSize
// service principals. It returns how many could not be read and the first
// reason, or -1 and the error when the Batch call itself failed.
func (p *Poller) pollJobsChunk(ctx context.Context, targets []snapshot.ServicePrincipal) (int, error) {
	reqs := make([]graphapi.BatchRequest, len(targets))
	for i, sp := range targets {
		reqs[i] = graphapi.BatchRequest{ID: strconv.Itoa(i), URL: discovery.JobsPath(sp.ID)}
	}
	resps, err := p.client.Batch(ctx, reqs)
	if err != nil {
		return -1, err
	}
	byID := make(map[string]graphapi.BatchResponse, len(resps))
	for _, r := range resps {
		byID[r.ID] = r
	}
	observed := p.now()
	var firstErr error
	failed := 0
	for i, sp := range targets {
		r := byID[strconv.Itoa(i)]
		switch {
		case r.Status == 200:
			raws, derr := discovery.DecodeJobList(r.Body)
			if derr != nil {
				p.metrics.MalformedValues.WithLabelValues("job_list").Inc()
				failed++
				firstErr = cmpFirst(firstErr, fmt.Errorf("service principal %s: %w", sp.ID, derr))
				continue
			}
			p.storeJobs(sp, raws, observed)
		case r.Status == 404:
			// The service principal or its jobs are gone: stop reporting them.
			p.store.SetServicePrincipalJobs(sp, nil, observed)
		default:
			// A 429 here was already counted by the Graph client's batch-item
			// hook (with every throttled answer it re-sent before giving up).
			failed++
			firstErr = cmpFirst(firstErr, discovery.ResponseError(r, discovery.JobsPath(sp.ID)))
		}
	}
	return failed, firstErr
}

// storeJobs parses raw jobs and replaces the service principal's entries.
// A job that cannot be parsed at all keeps its previous value.
func (p *Poller) storeJobs(sp snapshot.ServicePrincipal, raws []json.RawMessage, observed time.Time) {
	jobs := make([]*jobstatus.Job, 0, len(raws))
	for _, raw := range raws {
		j, err := jobstatus.Parse(raw)
		if err != nil || j.ID == "" {
			p.metrics.MalformedValues.WithLabelValues("job").Inc()
			p.log.Warn("ignoring a synchronization job Graph returned in an unexpected shape", "service_principal_id", sp.ID, "err", err)
			if prev := p.previousJobs(sp.ID); prev != nil {
				jobs = append(jobs, prev...)
			}
			continue
		}
		for _, field := range j.Problems {
			p.metrics.MalformedValues.WithLabelValues(field).Inc()
		}
		if len(j.Problems) > 0 {
			p.log.Warn("dropped malformed fields of a synchronization job", "service_principal_id", sp.ID, "job_id", j.ID, "fields", j.Problems)
		}
		jobs = append(jobs, j)
	}
	p.store.SetServicePrincipalJobs(sp, dedupe(jobs), observed)
}

// knownServicePrincipals returns the details of every service principal in the store.
func (p *Poller) knownServicePrincipals() map[string]snapshot.ServicePrincipal {
	out := map[string]snapshot.ServicePrincipal{}
	p.store.View(func(jobs map[string]map[string]*snapshot.JobEntry, _ map[snapshot.EventKey]float64, _ map[snapshot.ErrorKey]float64) {
		for id, byJob := range jobs {
			for _, e := range byJob {
				out[id] = e.ServicePrincipal
				break
			}
		}
	})
	return out
}

func (p *Poller) previousJobs(spID string) []*jobstatus.Job {
	var out []*jobstatus.Job
	p.store.View(func(jobs map[string]map[string]*snapshot.JobEntry, _ map[snapshot.EventKey]float64, _ map[snapshot.ErrorKey]float64) {
		for _, e := range jobs[spID] {
			out = append(out, e.Job)
		}
	})
	return out
}

func dedupe(jobs []*jobstatus.Job) []*jobstatus.Job {
	seen := map[string]bool{}
	out := jobs[:0]
	for _, j := range jobs {
		if !seen[j.ID] {
			seen[j.ID] = true
			out = append(out, j)
		}
	}
	return out
}

func (p *Poller) pollLogs(ctx context.Context) error {
	counts, err := p.logs.read(ctx, p.store.HasJob)
	p.store.AddCounts(counts.events, counts.errors)
	p.metrics.LogEventsProcessed.Add(float64(counts.processed))
	p.metrics.LogErrorCodesFolded.Add(float64(counts.folded))
	if counts.malformed > 0 {
		p.metrics.MalformedValues.WithLabelValues("log_event").Add(float64(counts.malformed))
	}
	p.metrics.LogsWatermark.Set(float64(p.logs.watermark.UnixNano()) / 1e9)
	if err != nil {
		p.fail(telemetry.OpLogs, err, "could not read provisioning logs; continuing from the same watermark next poll")
		return err
	}
	p.metrics.OperationResult(telemetry.OpLogs, "", p.now())
	return nil
}

// fail records and logs a failed operation. A 403 names the permission to grant.
func (p *Poller) fail(op string, err error, msg string) {
	reason := graphapi.Reason(err)
	p.metrics.OperationResult(op, reason, p.now())
	attrs := []any{"operation", op, "reason", reason, "err", err}
	if reason == "forbidden" {
		attrs = append(attrs, "missing_permission", telemetry.RequiredPermission[op],
			"fix", "grant the application permission "+telemetry.RequiredPermission[op]+" to the exporter's app registration and give admin consent")
		msg = "Graph denied access (403): " + msg
	}
	p.log.Error(msg, attrs...)
}

func cmpFirst(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
