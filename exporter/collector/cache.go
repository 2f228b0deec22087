package collector

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"strconv"
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
//
// Clients that do not accept gzip (curl, a scraper with compression turned
// off) get the same text uncompressed. It is inflated once per render, on
// the first such scrape, and kept until the next Refresh: a gzip-only
// deployment (every Prometheus) never holds the uncompressed copy, and a
// plain client no longer costs a full inflate on every scrape.
type Cache struct {
	store *snapshot.Store

	mu      sync.RWMutex
	gz      []byte // gzip member holding the rendered job metrics
	version uint64 // store version gz was rendered from
	valid   bool

	plainMu      sync.Mutex
	plain        []byte // gz inflated, or nil until a plain client asks
	plainVersion uint64 // the version plain was inflated from
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
	// Drop the uncompressed copy of the previous render before it is asked
	// for again, so two generations never sit in memory together.
	c.plainMu.Lock()
	c.plain = nil
	c.plainMu.Unlock()
}

func (c *Cache) cached() []byte {
	gz, _ := c.current()
	return gz
}

func (c *Cache) current() ([]byte, uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gz, c.version
}

// cachedPlain returns the current render uncompressed, inflating it at most
// once per render.
func (c *Cache) cachedPlain() []byte {
	gz, version := c.current()
	if len(gz) == 0 {
		return nil
	}
	c.plainMu.Lock()
	defer c.plainMu.Unlock()
	if c.plain != nil && c.plainVersion == version {
		return c.plain
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil // cannot happen: gz was written by RenderGzip
	}
	text, _ := io.ReadAll(zr)
	c.plain, c.plainVersion = text, version
	return text
}

// Scrape-time buffers, reused: the self part is small, but a fresh gzip
// writer allocates several hundred KB of compressor state per scrape.
var (
	selfBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		return zw
	}}
)

// Handler serves self (the exporter's own registry, gathered live) followed
// by the cached job metrics, in the text exposition format.
func (c *Cache) Handler(self prometheus.Gatherer, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mfs, err := self.Gather()
		if err != nil && log != nil {
			// Serve what could be gathered, like promhttp's ContinueOnError.
			log.Error("gathering the exporter's own metrics", "err", err)
		}
		format := expfmt.NewFormat(expfmt.TypeTextPlain)
		h := w.Header()
		h.Set("Content-Type", string(format))
		h.Set("Vary", "Accept-Encoding")

		// Encode the (small) self part first so that the whole length is
		// known: a Content-Length lets the scraper size its buffer once and
		// spares the response chunked framing.
		head := selfBuffers.Get().(*bytes.Buffer)
		head.Reset()
		defer selfBuffers.Put(head)
		var body []byte
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			zw := gzipWriters.Get().(*gzip.Writer)
			zw.Reset(head)
			encodeAll(zw, format, mfs)
			_ = zw.Close()
			gzipWriters.Put(zw)
			body = c.cached()
		} else {
			encodeAll(head, format, mfs)
			body = c.cachedPlain()
		}
		h.Set("Content-Length", strconv.Itoa(head.Len()+len(body)))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(head.Bytes())
		_, _ = w.Write(body)
	})
}

func encodeAll(w io.Writer, format expfmt.Format, mfs []*dto.MetricFamily) {
	enc := expfmt.NewEncoder(w, format)
	for _, mf := range mfs {
		_ = enc.Encode(mf)
	}
}

// acceptsGzip reports whether Accept-Encoding allows gzip (RFC 9110: a
// q-value of 0 means "not acceptable"; any other, e.g. 0.5, allows it).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q <= 0 {
					return false
				}
			}
		}
		return true
	}
	return false
}
