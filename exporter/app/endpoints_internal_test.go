package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// limitRequests lets max scrapes run at once and answers 503 beyond that.
func TestLimitRequests(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 3)
	h := limitRequests(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		entered <- struct{}{}
		<-release
	}), 2)
	var done sync.WaitGroup
	for range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/metrics", nil))
		}()
	}
	<-entered
	<-entered
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "(2)") {
		t.Errorf("third concurrent scrape: %d %q, want 503 naming the limit", rec.Code, rec.Body.String())
	}
	close(release)
	done.Wait()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Errorf("scrape after the others finished: %d", rec.Code)
	}
	if limitRequests(h, 0) == nil {
		t.Error("0 must disable the limit, not the handler")
	}
}

func TestCloudOf(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://graph.microsoft.com":             "global",
		"https://GRAPH.microsoft.us":              "usgovernment",
		"https://microsoftgraph.chinacloudapi.cn": "china",
		"https://127.0.0.1:8443":                  "custom",
	} {
		if got := cloudOf(endpoint); got != want {
			t.Errorf("cloudOf(%s) = %s, want %s", endpoint, got, want)
		}
	}
}

func TestNegativeMaxRequestsIsRejected(t *testing.T) {
	_, err := parseFlags([]string{"--web.max-requests=-1"}, "v")
	if err == nil || !strings.Contains(err.Error(), "--web.max-requests") {
		t.Errorf("err = %v, want one naming --web.max-requests", err)
	}
}
