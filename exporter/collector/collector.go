// Package collector publishes the cached snapshot as Prometheus metrics. It
// never calls Graph: a scrape costs only a walk over memory. Collector is the
// client_golang view (used by tests and small registries); Cache serves the
// same samples pre-rendered after each poll so that a scrape of a tenant
// with thousands of jobs costs a memory copy.
package collector

import (
	"github.com/prometheus/client_golang/prometheus"

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
	for _, f := range families {
		ch <- f.desc
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.store.View(func(jobs map[string]map[string]*snapshot.JobEntry, events map[snapshot.EventKey]float64, errs map[snapshot.ErrorKey]float64) {
		walk(jobs, events, errs, nil, func(f *family, v float64, lv []string) {
			ch <- prometheus.MustNewConstMetric(f.desc, f.kind, v, lv...)
		})
	})
}
