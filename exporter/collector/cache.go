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
// off) get the same text inflated on the fly into the response: keeping an
// inflated copy would hold about 45 MB for 10,000 jobs, five times the
// compressed render, for a client that is rarely there. Its length is
// counted while rendering, so the response still has a Content-Length.
type Cache struct {
	store *snapshot.Store

	mu      sync.RWMutex
	current rendering
	version uint64 // store version current was rendered from
	valid   bool
}

// NewCache returns a cache over store; it renders on the first Refresh.
func NewCache(store *snapshot.Store) *Cache { return &Cache{store: store} }

// Refresh re-renders if the store changed since the last render.
func (c *Cache) Refresh() {
	v := c.store.Version()
	c.mu.RLock()
	fresh := c.valid && c.version == v
	hint := len(c.current.gz)
	c.mu.RUnlock()
	if fresh {
		return
	}
	r := render(c.store, hint)
	c.mu.Lock()
	// The previous render is garbage from here on (unless a scrape is still
	// sending it); nothing else refers to it.
	c.current, c.version, c.valid = r, v, true
	c.mu.Unlock()
}

func (c *Cache) cached() rendering {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.current
}

// Scrape-time buffers, reused: the self part is small, but a fresh gzip
// writer allocates several hundred KB of compressor state per scrape.
var (
	selfBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		return zw
	}}
	gzipReaders sync.Pool // *gzip.Reader, for clients without gzip
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
		jobs := c.cached()
		gz := acceptsGzip(r)
		bodyLen := jobs.textLen
		if gz {
			h.Set("Content-Encoding", "gzip")
			zw := gzipWriters.Get().(*gzip.Writer)
			zw.Reset(head)
			encodeAll(zw, format, mfs)
			_ = zw.Close()
			gzipWriters.Put(zw)
			bodyLen = len(jobs.gz)
		} else {
			encodeAll(head, format, mfs)
		}
		h.Set("Content-Length", strconv.Itoa(head.Len()+bodyLen))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(head.Bytes())
		if gz {
			_, _ = w.Write(jobs.gz)
			return
		}
		if err := inflateTo(w, jobs.gz); err != nil && log != nil {
			log.Debug("sending uncompressed metrics", "err", err)
		}
	})
}

// inflateTo writes the text gz holds to w, with a pooled reader (each new
// one allocates about 40 KB of decompressor state).
func inflateTo(w io.Writer, gz []byte) error {
	if len(gz) == 0 {
		return nil // no job metrics rendered (yet)
	}
	src := bytes.NewReader(gz)
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(src)
	} else {
		err = zr.Reset(src)
	}
	if err != nil {
		return err // cannot happen: gz was written by render
	}
	defer func() {
		// The pooled reader holds src: point it at nothing, so that it does
		// not keep a replaced render alive until the pool is emptied.
		src.Reset(nil)
		gzipReaders.Put(zr)
	}()
	_, err = io.Copy(w, zr)
	return err
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
