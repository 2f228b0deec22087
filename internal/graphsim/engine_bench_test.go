package graphsim_test

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// BenchmarkTenantMemory measures the heap of a tenant with 10,000 users and
// 1,000 active provisioning jobs (each assigned a 10-member group, each with
// its own SCIM target) after 10 simulated days of 40-minute cycles. Sizes
// can be reduced with GRAPHSIM_BENCH_USERS, _JOBS and _DAYS. Run with
//
//	go test ./internal/graphsim -run '^$' -bench TenantMemory -benchtime 1x
func BenchmarkTenantMemory(b *testing.B) {
	users := envInt("GRAPHSIM_BENCH_USERS", 10_000)
	jobs := envInt("GRAPHSIM_BENCH_JOBS", 1_000)
	days := envInt("GRAPHSIM_BENCH_DAYS", 10)
	for i := 0; i < b.N; i++ {
		env := simtest.Start(b, graphsim.Options{Users: users, Groups: jobs})
		baseline := heapBytes()

		groupIDs := allGroupIDs(b, env, jobs)
		setupStart := time.Now()
		for j := 0; j < jobs; j++ {
			body := mustGraph(b, env, 201, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": fmt.Sprintf("bench %d", j)})
			spID := decode(b, body)["servicePrincipal"].(map[string]any)["id"].(string)
			mustGraph(b, env, 201, "POST", "/servicePrincipals/"+spID+"/appRoleAssignedTo", map[string]string{
				"principalId": groupIDs[j], "resourceId": spID, "appRoleId": graphsim.UserRoleID})
			target := fmt.Sprintf("bench%d", j)
			mustGraph(b, env, 204, "PUT", "/servicePrincipals/"+spID+"/synchronization/secrets", map[string]any{"value": []map[string]string{
				{"key": "BaseAddress", "value": env.Ready.GraphEndpoint + "/_sim/scim/" + target}, {"key": "SecretToken", "value": "sim-token-" + target}}})
			jobID := decode(b, mustGraph(b, env, 201, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "scim"}))["id"].(string)
			mustGraph(b, env, 204, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/start", nil)
		}
		setup := time.Since(setupStart)

		cycleStart := time.Now()
		cycles := runEngine(b, env, 0)
		for step := 0; step < days*36; step++ {
			cycles += runEngine(b, env, 40*time.Minute)
		}
		elapsed := time.Since(cycleStart)
		heap := heapBytes()
		status, body := adminCall(b, env, "GET", "/_sim/engine", nil)
		if status != 200 {
			b.Fatalf("engine state: %d %s", status, body)
		}
		st := decode(b, body)
		b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
		b.ReportMetric(float64(heap-baseline)/(1<<20), "jobs-heap-MB")
		b.ReportMetric(float64(cycles), "cycles")
		b.ReportMetric(float64(cycles)/elapsed.Seconds(), "cycles/s")
		b.ReportMetric(st["provisioningEvents"].(float64), "log-events")
		b.Logf("users=%d jobs=%d days=%d setup=%v cycles=%d in %v; heap %.1f MiB (baseline %.1f MiB); log events %v of %v",
			users, jobs, days, setup.Round(time.Millisecond), cycles, elapsed.Round(time.Millisecond),
			float64(heap)/(1<<20), float64(baseline)/(1<<20), st["provisioningEvents"], st["provisioningEventsCapacity"])
	}
}

func heapBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func decode(tb testing.TB, data []byte) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		tb.Fatalf("not a JSON object: %v: %s", err, data)
	}
	return m
}

// allGroupIDs pages through /groups and returns the first n ids.
func allGroupIDs(tb testing.TB, env *simtest.Env, n int) []string {
	tb.Helper()
	var ids []string
	link := "/groups?$top=999&$select=id"
	for link != "" && len(ids) < n {
		page := decode(tb, mustGraph(tb, env, 200, "GET", link, nil))
		for _, g := range page["value"].([]any) {
			ids = append(ids, g.(map[string]any)["id"].(string))
		}
		link, _ = page["@odata.nextLink"].(string)
	}
	if len(ids) < n {
		tb.Fatalf("only %d groups, need %d", len(ids), n)
	}
	return ids[:n]
}
