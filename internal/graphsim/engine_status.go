package graphsim

import (
	"context"
	"fmt"
	"time"
)

// Quarantine policy. Microsoft documents that a job whose cycles keep
// failing is quarantined, that quarantined jobs are retried progressively
// less often until once a day, and that a job still quarantined after four
// weeks is disabled. The simulator quarantines after quarantineAfter
// successive complete failures, then retries after interval×2, ×4, ×8 …
// capped at 24 h (with PT40M: 80 m, 160 m, 320 m, 640 m, 1280 m, then daily),
// and disables the schedule after 28 days in quarantine. A successful retry
// lifts the quarantine.
const (
	quarantineAfter      = 3
	quarantineMaxBackoff = 24 * time.Hour
	quarantineDisable    = 28 * 24 * time.Hour
)

// maxCycleDuration bounds one cycle's real time.
const maxCycleDuration = 2 * time.Minute

// quarantineBackoff is the delay before quarantine retry n (n ≥ 1).
func quarantineBackoff(interval time.Duration, n int64) time.Duration {
	d := interval
	for i := int64(0); i < n && d < quarantineMaxBackoff; i++ {
		d *= 2
	}
	return min(d, quarantineMaxBackoff)
}

// runCycle plans, executes and applies one cycle of j.
func (s *Sim) runCycle(ctx context.Context, j *syncJob) {
	s.mu.Lock()
	plan := s.planCycle(j)
	client := s.targetClient()
	if plan == nil {
		j.running = false
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()

	plan.evaluate()
	// A slow target must not hold a worker for long: the whole cycle has a
	// deadline, after which it fails like an unreachable target.
	cctx, cancel := context.WithTimeout(ctx, maxCycleDuration)
	res := executeCycle(cctx, client, plan)
	cancel()

	s.mu.Lock()
	defer s.mu.Unlock()
	j.running = false
	s.applyCycle(plan, res)
}

// applyCycle records a cycle's results, moves the job's status through
// Active / Failed / Quarantine and schedules the next cycle. Caller holds
// s.mu.
func (s *Sim) applyCycle(plan *cyclePlan, res *cycleResult) {
	j := plan.job
	e := s.sync.engine
	e.cyclesRun++
	now := s.clock.Now()
	if j.deleted {
		return
	}
	if j.exported == nil {
		j.exported = map[string]exportedEntry{}
	}
	for id, entry := range res.exports {
		j.exported[id] = entry
	}
	for _, id := range res.removed {
		delete(j.exported, id)
	}
	// Events are spread over the cycle's duration in export order.
	span := now.Sub(plan.began)
	for i := range res.events {
		ev := res.events[i]
		ev.at = plan.began.Add(span * time.Duration(i+1) / time.Duration(len(res.events)+1))
		s.sync.logs.add(ev)
	}
	changed := int64(len(plan.users) + len(plan.groups))
	exec := &taskExecution{
		ActivityIdentifier:           plan.cycleID,
		CountEntitled:                int64(plan.entitled),
		CountEntitledForProvisioning: int64(plan.entitled),
		CountEscrowed:                res.escrowed,
		CountEscrowedRaw:             res.escrowed,
		CountExported:                res.countExported,
		CountExports:                 res.countExports,
		CountImported:                changed,
		CountImportedDeltas:          changed,
		TimeBegan:                    formatTime(plan.began),
		TimeEnded:                    formatTime(now),
	}
	if plan.full {
		exec.CountImported = int64(plan.entitled)
		exec.CountImportedDeltas = 0
	}
	j.lastExecution = exec
	if res.fatal != nil {
		s.cycleFailed(j, exec, res.fatal, now)
	} else {
		s.cycleSucceeded(j, exec, res, now)
	}
	if j.rerun && j.scheduleState == "Active" {
		j.rerun = false
		e.schedule(j, now)
	}
}

func (s *Sim) cycleSucceeded(j *syncJob, exec *taskExecution, res *cycleResult, now time.Time) {
	exec.State = "Succeeded"
	if res.escrowed > 0 {
		exec.State = "EntryLevelErrors"
	}
	j.lastSuccessful = exec
	if res.countExported > 0 {
		j.lastSuccessfulWithExports = exec
	}
	j.successiveFailures = 0
	j.quarantine = nil
	j.needsFull = false
	j.forceDeletes = false
	if res.heldDeletes > 0 {
		// Entra quarantines a job that would exceed the deletion threshold
		// until an administrator restarts it with ForceDeletes.
		j.quarantine = &quarantineState{CurrentBegan: now, SeriesBegan: now, Reason: "TooManyDeletes",
			NextAttempt: now.Add(j.interval),
			Error: syncError{Code: "TooManyDeletes", TenantActionable: true, Message: fmt.Sprintf(
				"%d deletions or disables exceed the accidental deletion threshold; they were not exported. Review them, then restart the job with resetScope ForceDeletes.", res.heldDeletes)}}
	}
	if j.scheduleState == "Active" {
		j.code = "Active"
		if j.quarantine != nil {
			j.code = "Quarantine"
		}
	}
	if res.escrowed == 0 && res.heldDeletes == 0 {
		// Steady state: everything in scope is in sync with the target.
		if j.steadyFirst.IsZero() {
			j.steadyFirst = now
		}
		j.steadyLast = now
	}
	j.syncedUsers, j.syncedGroups = 0, 0
	for _, entry := range j.exported {
		switch {
		case entry.disabled:
		case entry.group:
			j.syncedGroups++
		default:
			j.syncedUsers++
		}
	}
	if j.scheduleState == "Active" {
		s.sync.engine.schedule(j, now.Add(j.interval))
	}
}

func (s *Sim) cycleFailed(j *syncJob, exec *taskExecution, cause *syncError, now time.Time) {
	exec.State = "Failed"
	exec.Error = cause
	s.sync.engine.failures++
	j.successiveFailures++
	next := now.Add(j.interval)
	switch {
	case j.quarantine != nil:
		q := j.quarantine
		q.SeriesCount++
		q.CurrentBegan = now
		q.Error = *cause
		q.NextAttempt = now.Add(quarantineBackoff(j.interval, q.SeriesCount+1))
		next = q.NextAttempt
		if now.Sub(q.SeriesBegan) >= quarantineDisable {
			// Four weeks in quarantine: Entra disables the job. Its schedule
			// then shows .NET's TimeSpan.MaxValue, as the docs' example of a
			// Disabled schedule does (UNVERIFIED for this case); start or
			// restart brings back the normal interval.
			j.scheduleState = "Disabled"
			j.disabledByService = true
			s.sync.engine.unschedule(j)
		}
	case j.successiveFailures >= quarantineAfter:
		j.quarantine = &quarantineState{
			CurrentBegan: now, SeriesBegan: now, SeriesCount: 0,
			Reason: "EncounteredQuarantineException", Error: *cause,
			NextAttempt: now.Add(quarantineBackoff(j.interval, 1)),
		}
		next = j.quarantine.NextAttempt
	}
	if j.quarantine != nil {
		j.code = "Quarantine"
	} else if j.scheduleState == "Active" && j.lastSuccessful != nil {
		j.code = "Active"
	}
	if j.scheduleState == "Active" {
		s.sync.engine.schedule(j, next)
	}
}
