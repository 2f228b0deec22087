package collector

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
)

// Cache keeps the job metrics rendered and gzip-compressed between polls.
// The poller calls Refresh after it changes the store; a scrape then only
// gathers the exporter's own (few) metrics and appends the cached bytes as a
// second gzip member, which every gzip reader, including Prometheus's,
// concatenates transparently.
type Cache struct {
	store *snapshot.Store

	mu      sync.RWMutex
	gz      []byte // gzip member holding the rendered job metrics
	version uint64 // store version gz was rendered from
	valid   bool
}

// NewCache returns a cache over store; it renders on the first Refresh.
func NewCache(store *snapshot.Store) *Cache { return &Cache{store: store} }

// Refresh re-renders if the store changed since the last render.
func (c *Cache) Refresh() {
	v := c.store.Version()
	c.mu.RLock()
	fresh := c.valid && c.version == v
	c.mu.RUnlock()
	if fresh {
		return
	}
	gz := RenderGzip(c.store)
	c.mu.Lock()
	c.gz, c.version, c.valid = gz, v, true
	c.mu.Unlock()
}

func (c *Cache) cached() []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gz
}

// Handler serves self (the exporter's own registry, gathered live) followed
// by the cached job metrics, in the text exposition format.
func (c *Cache) Handler(self prometheus.Gatherer, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mfs, err := self.Gather()
		if err != nil {
			// Serve what could be gathered, like promhttp's ContinueOnError.
			log.Error("gathering the exporter's own metrics", "err", err)
		}
		format := expfmt.NewFormat(expfmt.TypeTextPlain)
		w.Header().Set("Content-Type", string(format))
		gz := c.cached()
		if acceptsGzip(r) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Vary", "Accept-Encoding")
			zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
			encodeAll(zw, format, mfs)
			_ = zw.Close()
			_, _ = w.Write(gz)
			return
		}
		encodeAll(w, format, mfs)
		if len(gz) > 0 {
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err == nil {
				_, _ = io.Copy(w, zr)
			}
		}
	})
}

func encodeAll(w io.Writer, format expfmt.Format, mfs []*dto.MetricFamily) {
	enc := expfmt.NewEncoder(w, format)
	for _, mf := range mfs {
		_ = enc.Encode(mf)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") {
			return true
		}
	}
	return false
}
