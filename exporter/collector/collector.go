// Package collector publishes the cached snapshot as Prometheus metrics. It
// never calls Graph: a scrape costs only a walk over memory.
package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/jobstatus"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
)

// Collector implements prometheus.Collector over a snapshot.Store.
type Collector struct {
	store *snapshot.Store
}

// New returns a collector reading store.
func New(store *snapshot.Store) *Collector { return &Collector{store: store} }

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.store.View(func(jobs map[string]map[string]*snapshot.JobEntry, events map[snapshot.EventKey]float64, errs map[snapshot.ErrorKey]float64) {
		for _, byJob := range jobs {
			for _, e := range byJob {
				emitJob(ch, e)
			}
		}
		for k, v := range events {
			ch <- prometheus.MustNewConstMetric(descEvents, prometheus.CounterValue, v, k.ServicePrincipalID, k.JobID, k.Action, k.Status)
		}
		for k, v := range errs {
			ch <- prometheus.MustNewConstMetric(descErrors, prometheus.CounterValue, v, k.ServicePrincipalID, k.JobID, k.Code)
		}
	})
}

func emitJob(ch chan<- prometheus.Metric, e *snapshot.JobEntry) {
	j := e.Job
	sp := e.ServicePrincipal
	l := []string{sp.ID, j.ID}
	gauge := func(d *prometheus.Desc, v float64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append(l, extra...)...)
	}
	opt := func(d *prometheus.Desc, o jobstatus.Opt) {
		if o.Valid {
			gauge(d, o.Value)
		}
	}
	stateSet := func(d *prometheus.Desc, known []string, current string) {
		matched := false
		for _, s := range known {
			v := 0.0
			if s == current {
				v, matched = 1, true
			}
			gauge(d, v, s)
		}
		if !matched && current != "" {
			gauge(d, 1, current)
		}
	}

	gauge(descJobInfo, 1, sp.DisplayName, sp.AppID, sp.ApplicationTemplateID, j.TemplateID)
	gauge(descObserved, float64(e.ObservedAt.UnixNano())/1e9)
	if j.Code != "" {
		stateSet(descStatus, statusCodes, j.Code)
	}
	if j.ScheduleState != "" {
		stateSet(descScheduleState, scheduleStates, j.ScheduleState)
	}
	opt(descScheduleInterval, j.ScheduleInterval)
	opt(descConsecutiveFailures, j.ConsecutiveFailures)

	if x := j.LastExecution; x != nil {
		opt(descLastCycleStart, x.Began)
		opt(descLastCycleEnd, x.Ended)
		opt(descLastCycleDuration, x.Duration())
		if x.State != "" {
			stateSet(descLastCycleState, cycleStates, x.State)
		}
		if x.ErrorCode != "" && x.ErrorCode != "None" {
			gauge(descLastCycleError, 1, x.ErrorCode)
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
		gauge(descQuarantineInfo, 1, q.Reason, q.ErrorCode)
		opt(descQuarantineSince, q.Since())
		opt(descQuarantineNext, q.NextAttempt)
	}
	opt(descSteadyState, j.SteadyStateLastAchieved)
	for k, v := range j.SynchronizedEntries {
		gauge(descSynchronized, v, k)
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
