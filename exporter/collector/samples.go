package collector

import (
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// emitFunc receives one sample: its family, value and label values in the
// family's label order. labelValues is only valid during the call (walk
// reuses it for the next sample), so emit must copy what it keeps.
type emitFunc func(f *family, value float64, labelValues []string)

// walk calls emit for every sample the snapshot holds, or, when only is not
// nil, for that family's samples. It is the single definition of what the
// exporter publishes; both the Collector and the pre-rendered text use it.
// Caller holds the store's read lock (View).
func walk(jobs map[string]map[string]*snapshot.JobEntry, events map[snapshot.EventKey]float64, errs map[snapshot.ErrorKey]float64, only *family, emit emitFunc) {
	// One label slice for the whole walk: 10,000 jobs emit about 200,000
	// samples, and a fresh slice for each was most of a render's garbage.
	lv := make([]string, 0, 8)
	if only != descEvents && only != descErrors {
		for _, byJob := range jobs {
			for _, e := range byJob {
				lv = jobSamples(e, only, lv, emit)
			}
		}
	}
	if only == nil || only == descEvents {
		for k, v := range events {
			lv = append(lv[:0], k.ServicePrincipalID, k.JobID, k.Action, k.Status)
			emit(descEvents, v, lv)
		}
	}
	if only == nil || only == descErrors {
		for k, v := range errs {
			lv = append(lv[:0], k.ServicePrincipalID, k.JobID, k.Code)
			emit(descErrors, v, lv)
		}
	}
}

// jobSamples emits one job's samples (of family only, if not nil) using lv
// as scratch space, and returns lv for reuse.
func jobSamples(e *snapshot.JobEntry, only *family, lv []string, emit emitFunc) []string {
	j := e.Job
	sp := e.ServicePrincipal
	gauge := func(f *family, v float64, extra ...string) {
		if only != nil && f != only {
			return
		}
		lv = append(append(lv[:0], sp.ID, j.ID), extra...)
		emit(f, v, lv)
	}
	opt := func(f *family, o jobstatus.Opt) {
		if o.Valid {
			gauge(f, o.Value)
		}
	}
	// States are OpenMetrics-style state sets: every known state has a
	// series, 1 for the current one and 0 for the others, so that rules can
	// use min_over_time/changes and an absent state never reads as "no data".
	// A state Graph adds in future is published as it comes (value 1).
	state := func(f *family, known []string, current string) {
		if current == "" {
			return
		}
		isKnown := false
		for _, k := range known {
			gauge(f, boolValue(k == current), k)
			isKnown = isKnown || k == current
		}
		if !isKnown {
			gauge(f, 1, current)
		}
	}

	gauge(descJobInfo, 1, sp.DisplayName, sp.AppID, sp.ApplicationTemplateID, j.TemplateID)
	gauge(descObserved, float64(e.ObservedAt.UnixNano())/1e9)
	state(descStatus, statusCodes, j.Code)
	state(descScheduleState, scheduleStates, j.ScheduleState)
	opt(descScheduleInterval, j.ScheduleInterval)
	opt(descConsecutiveFailures, j.ConsecutiveFailures)

	if x := j.LastExecution; x != nil {
		opt(descLastCycleStart, x.Began)
		opt(descLastCycleEnd, x.Ended)
		opt(descLastCycleDuration, x.Duration())
		state(descLastCycleState, cycleStates, x.State)
		if jobstatus.HasError(x.ErrorCode) {
			gauge(descLastCycleError, 1, x.ErrorCode)
			gauge(descLastCycleErrorInfo, 1, x.ErrorCode)
		}
		opt(descEscrowed, x.Escrowed)
		opt(descExported, x.Exported)
		opt(descImported, x.Imported)
	}
	if x := j.LastSuccessfulExecution; x != nil {
		if x.Ended.Valid {
			gauge(descLastSuccess, x.Ended.Value)
		} else {
			opt(descLastSuccess, x.Began)
		}
	}

	quarantined := j.Code == "Quarantine"
	if j.Code != "" {
		gauge(descQuarantined, boolValue(quarantined))
	}
	if q := j.Quarantine; quarantined && q != nil {
		gauge(descQuarantineReason, 1, q.Reason, q.ErrorCode)
		gauge(descQuarantineInfo, 1, q.Reason, q.ErrorCode)
		opt(descQuarantineSince, q.Since())
		opt(descQuarantineNext, q.NextAttempt)
	}
	opt(descSteadyState, j.SteadyStateLastAchieved)
	for k, v := range j.SynchronizedEntries {
		gauge(descSynchronized, v, k)
	}
	return lv
}

// The members of the state sets, as Graph documents them
// (synchronizationStatusCode, synchronizationScheduleState,
// synchronizationTaskExecutionResult).
var (
	statusCodes    = []string{"NotConfigured", "NotRun", "Active", "Paused", "Quarantine"}
	scheduleStates = []string{"Active", "Disabled", "Paused"}
	cycleStates    = []string{"Succeeded", "Failed", "EntryLevelErrors"}
)

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
