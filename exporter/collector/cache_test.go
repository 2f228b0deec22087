package collector

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

func TestAcceptsGzipHonoursQValues(t *testing.T) {
	for header, want := range map[string]bool{
		"":                      false,
		"gzip":                  true,
		"GZIP":                  true,
		"gzip, deflate, br":     true,
		"deflate, gzip;q=0.5":   true, // q=0.5 is acceptable; a substring test for "q=0" got this wrong
		"gzip;q=0":              false,
		"gzip; q=0.000":         false,
		"identity, gzip ;q=1.0": true,
		"deflate":               false,
		"x-gzip-like":           false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		r.Header.Set("Accept-Encoding", header)
		if got := acceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: gzip accepted = %v, want %v", header, got, want)
		}
	}
}

// serve runs one request through the cache handler and returns the response
// and its body decoded to plain text.
func serve(t *testing.T, h http.Handler, method string, gz bool) (*http.Response, []byte, []byte) {
	t.Helper()
	r := httptest.NewRequest(method, "/metrics", nil)
	if gz {
		r.Header.Set("Accept-Encoding", "gzip")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	resp := rec.Result()
	raw := rec.Body.Bytes()
	text := raw
	if gz && len(raw) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		text, err = io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
	}
	return resp, raw, text
}

func TestCacheHandlerContentLengthAndPlainClients(t *testing.T) {
	store := fillStore(t, 30)
	self := prometheus.NewRegistry()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "entra_provisioning_exporter_poll_success", Help: "x"})
	self.MustRegister(g)
	cache := NewCache(store)
	cache.Refresh()
	h := cache.Handler(self, nil)

	_, gzRaw, gzText := serve(t, h, http.MethodGet, true)
	resp, plainRaw, _ := serve(t, h, http.MethodGet, false)
	if !bytes.Equal(gzText, plainRaw) {
		t.Fatalf("gzip and plain clients got different text (%d vs %d bytes)", len(gzText), len(plainRaw))
	}
	if resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("plain response headers: %v", resp.Header)
	}
	if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(plainRaw)) {
		t.Errorf("plain Content-Length %s, body %d bytes", cl, len(plainRaw))
	}
	gzResp, _, _ := serve(t, h, http.MethodHead, true)
	if cl := gzResp.Header.Get("Content-Length"); cl != strconv.Itoa(len(gzRaw)) {
		t.Errorf("HEAD gzip Content-Length %s, GET body %d bytes", cl, len(gzRaw))
	}

	// A new render replaces it: a plain client sees the change.
	store.SetServicePrincipalJobs(snapshot.ServicePrincipal{ID: "sp-new", DisplayName: "Added later"},
		[]*jobstatus.Job{mustParse(t, fresh)}, time.Now())
	cache.Refresh()
	_, after, _ := serve(t, h, http.MethodGet, false)
	if !bytes.Contains(after, []byte(`service_principal_name="Added later"`)) {
		t.Error("plain client still served the previous render after Refresh")
	}
}

// Before the first render (or with no jobs) both kinds of client get only
// the exporter's own metrics, with a Content-Length that matches the body.
func TestCacheHandlerWithoutJobMetrics(t *testing.T) {
	self := prometheus.NewRegistry()
	self.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "entra_provisioning_exporter_poll_success", Help: "x"}))
	cache := NewCache(snapshot.New())
	h := cache.Handler(self, nil)
	for _, refreshed := range []bool{false, true} {
		if refreshed {
			cache.Refresh() // an empty store renders nothing
		}
		for _, gz := range []bool{true, false} {
			resp, raw, text := serve(t, h, http.MethodGet, gz)
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(raw)) {
				t.Errorf("refreshed=%v gzip=%v: Content-Length %s, body %d bytes", refreshed, gz, cl, len(raw))
			}
			if !bytes.Contains(text, []byte("entra_provisioning_exporter_poll_success 0")) || bytes.Contains(text, []byte("entra_provisioning_job_")) {
				t.Errorf("refreshed=%v gzip=%v: body %q, want only the exporter's own metrics", refreshed, gz, text)
			}
		}
	}
}

// The output buffer is sized from the previous render; the hint must not
// change what is rendered, even when it is far too small or too large.
func TestRenderSizeHintDoesNotChangeOutput(t *testing.T) {
	store := fillStore(t, 50)
	want := render(store, 0)
	for _, hint := range []int{1, len(want.gz) / 3, len(want.gz), 10 * len(want.gz)} {
		got := render(store, hint)
		if got.textLen != want.textLen {
			t.Errorf("hint %d: %d bytes of text, want %d", hint, got.textLen, want.textLen)
		}
		zr, err := gzip.NewReader(bytes.NewReader(got.gz))
		if err != nil {
			t.Fatalf("hint %d: %v", hint, err)
		}
		text, err := io.ReadAll(zr)
		if err != nil || len(text) != want.textLen {
			t.Errorf("hint %d: inflated %d bytes (err %v), want %d", hint, len(text), err, want.textLen)
		}
	}
}
