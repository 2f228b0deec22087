package graph

import (
	"context"
	"net/http"
	"testing"
)

// BenchmarkDo measures the client's own cost per request (transport chain,
// counting, decoding) against a loopback server, with and without trace
// logging (which reads and redacts both bodies).
func BenchmarkDo(b *testing.B) {
	body := []byte(`{"id":"scim.1.2","templateId":"scim","schedule":{"interval":"PT40M","state":"Active"},"status":{"code":"Active","countSuccessiveCompleteFailures":0}}`)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
	for _, tc := range []struct {
		name   string
		logger Logger
	}{
		{"no-logger", nil},
		{"trace-logger", LoggerFunc(func(context.Context, Level, string, map[string]any) {})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, _, _ := newTestClient(b, handler, func(cfg *Config) { cfg.Logger = tc.logger })
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				var out map[string]any
				if err := c.Do(ctx, "GET", "/servicePrincipals/sp/synchronization/jobs/scim.1.2", nil, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRoute(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Route("GET", "/servicePrincipals/0b8e5b7e-2a6f-4a53-9b8c-1d2e3f405162/synchronization/jobs/scim.3b92c35e9991b0.d2569c8c-1111-2222-3333-444455556666/schema")
	}
}
