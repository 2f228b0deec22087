package collector

import "testing"

// BenchmarkRenderGzip10kJobs reports what one render after a poll costs:
// time and, with -benchmem, the garbage it leaves for the collector.
func BenchmarkRenderGzip10kJobs(b *testing.B) {
	store := fillStore(b, 10000)
	// Like Cache.Refresh: every render after the first knows the size of
	// the previous one.
	hint := len(RenderGzip(store))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(render(store, hint).gz) == 0 {
			b.Fatal("empty render")
		}
	}
}
