package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	dto "github.com/prometheus/client_model/go"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/app"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type exporter struct {
	url  string
	logs *syncBuffer
	// stop ends the exporter before the test does (graceful shutdown is
	// still checked); calling it again is a no-op.
	stop func()
}

// startExporter runs the exporter in-process with args (plus a loopback
// listen address) until the test ends, and checks that it shuts down
// gracefully.
func startExporter(t *testing.T, args ...string) *exporter {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	addrs := make(chan []string, 1)
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, append([]string{"--web.listen-address=127.0.0.1:0"}, args...), logs,
			app.Hooks{Listening: func(a []string) { addrs <- a }})
	}()
	var e *exporter
	select {
	case a := <-addrs:
		e = &exporter{url: "http://" + a[0], logs: logs}
	case err := <-done:
		cancel()
		t.Fatalf("exporter exited at start-up: %v\nlogs:\n%s", err, logs)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("exporter did not start listening\nlogs:\n%s", logs)
	}
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exporter shutdown: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Error("exporter did not shut down within 20s of cancellation")
			}
		})
	}
	t.Cleanup(func() {
		e.stop()
		if t.Failed() {
			t.Logf("exporter logs:\n%s", logs)
		}
	})
	return e
}

// scrape fetches and parses /metrics.
func (e *exporter) scrape(t *testing.T) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	resp, err := http.Get(e.url + "/metrics")
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("scrape: HTTP %d: %s", resp.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("scrape: invalid exposition: %v", err)
	}
	return mfs, string(body)
}

// value returns the value of the first series of name whose labels include
// all of match, and whether it exists.
func value(mfs map[string]*dto.MetricFamily, name string, match map[string]string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
next:
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range match {
			if labels[k] != v {
				continue next
			}
		}
		return m.GetGauge().GetValue() + m.GetCounter().GetValue(), true
	}
	return 0, false
}

// waitFor scrapes until cond holds or the timeout passes.
func (e *exporter) waitFor(t *testing.T, what string, timeout time.Duration, cond func(map[string]*dto.MetricFamily) bool) map[string]*dto.MetricFamily {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		mfs, _ := e.scrape(t)
		if cond(mfs) {
			return mfs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func contains(haystack string, needles ...string) []string {
	var found []string
	for _, n := range needles {
		if n != "" && strings.Contains(haystack, n) {
			found = append(found, n)
		}
	}
	return found
}
