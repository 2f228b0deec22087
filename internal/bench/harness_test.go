package bench

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDriverTinyRun guards the harness itself: a one-configuration bench
// (with one run of the 60-mapping plans) and a two-case soak (baseline + 20 % throttling) with a short exporter
// outage and the leak scan, end to end through real processes.
func TestDriverTinyRun(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("terraform CLI not on PATH; `make test` checks for it")
	}
	if testing.Short() {
		t.Skip("starts the simulator, terraform and the exporter")
	}
	ctx := context.Background()
	root, _ := filepath.Abs("../..")
	bins, err := BuildBinaries(ctx, root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("bench", func(t *testing.T) {
		r := RunBench(ctx, bins, t.TempDir(), BenchOptions{Sizes: []int{1}, Runs: 1, Latency: "1ms", StartupRuns: 1}, func(s string) { t.Log(s) })
		if len(r.Sizes) != 1 || len(r.Sizes[0].Runs) != 1 {
			t.Fatalf("lifecycle not measured: %+v", r.Sizes)
		}
		l := r.Sizes[0].Runs[0]
		// One configuration needs at least instantiate, assignment, job
		// creation, credentials, schema and start; a refresh reads each of
		// the three resources at least once.
		if l.Apply.Requests.Total < 6 || l.Replan.Requests.Total < 3 || l.Destroy.Requests.Total < 3 {
			t.Errorf("implausible request counts: apply %d, re-plan %d, destroy %d", l.Apply.Requests.Total, l.Replan.Requests.Total, l.Destroy.Requests.Total)
		}
		if l.Apply.Requests.Routes["POST /v1.0/applicationTemplates/{id}/instantiate"] != 1 {
			t.Errorf("apply instantiated %d applications, want 1: %v", l.Apply.Requests.Routes["POST /v1.0/applicationTemplates/{id}/instantiate"], l.Apply.Requests.Routes)
		}
		if r.StartupErr != "" || r.Startup.WithProvider <= 0 || r.Startup.SchemaBytes < 1000 {
			t.Errorf("start-up not measured: %+v %s", r.Startup, r.StartupErr)
		}
		// The 60-mapping job: both plans succeed, which includes reading
		// the job's schema exactly once per refresh.
		bj := r.BigJob
		if r.BigJobErr != "" || bj.Mappings != 60 || bj.ScopingGroups != 5 || len(bj.NoChange) != 1 || len(bj.Changed) != 1 {
			t.Fatalf("60-mapping job not measured: %s %+v", r.BigJobErr, bj)
		}
		if bj.Apply.Requests.Routes["PUT /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema"] != 1 {
			t.Errorf("apply of the 60-mapping job wrote the schema %d times, want 1: %v", bj.Apply.Requests.Routes["PUT /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/schema"], bj.Apply.Requests.Routes)
		}
		for name, p := range map[string]Phase{"no-change": bj.NoChange[0], "changed-mapping": bj.Changed[0]} {
			if !p.OK || p.Requests.Routes[schemaGETRoute] != 1 {
				t.Errorf("%s plan: ok %v, %d schema GETs: %s", name, p.OK, p.Requests.Routes[schemaGETRoute], p.Err)
			}
		}
		doc := RenderPerformance(DescribeMachine("test"), r)
		for _, want := range []string{"## Summary", "Terraform apply, 1 complete configurations", "## How cost grows", "`POST /v1.0/applicationTemplates/{id}/instantiate`",
			"## Terraform: planning a job with 60 attribute mappings and 5 scoping groups", "`" + schemaGETRoute + "`"} {
			if !strings.Contains(doc, want) {
				t.Errorf("performance document lacks %q", want)
			}
		}
	})
	t.Run("soak", func(t *testing.T) {
		matrix := DefaultFaultMatrix()
		o := SoakOptions{N: 2, Cases: matrix[:2], Outage: 3 * time.Second, OutagePoll: time.Second, OutageJobs: 3, LeakN: 1, MaxAttempts: 2}
		r := RunSoak(ctx, bins, t.TempDir(), o, func(s string) { t.Log(s) })
		base, throttled := r.Cases[0], r.Cases[1]
		if base.Err != "" || !base.Converged() {
			t.Fatalf("baseline did not converge: %+v", base)
		}
		if throttled.Err != "" {
			t.Fatal(throttled.Err)
		}
		total, thr, _ := throttled.requests()
		minimum, _, _ := base.requests()
		if thr == 0 || total <= minimum {
			t.Errorf("20 %% throttling: %d requests with %d 429s vs. baseline %d: the fault was not applied", total, thr, minimum)
		}
		if throttled.AfterApply.Duplicates != 0 || throttled.AfterDestroy.Orphans() != 0 {
			t.Errorf("throttling left duplicates/orphans: %+v %+v", throttled.AfterApply, throttled.AfterDestroy)
		}
		if r.OutageErr != "" || !r.Outage.Noticed || !r.Outage.Recovered {
			t.Errorf("outage: %+v %s", r.Outage, r.OutageErr)
		}
		if r.LeakErr != "" {
			t.Errorf("leak lifecycle: %s", r.LeakErr)
		}
		for _, l := range r.Leaks {
			if l.Files == 0 || l.Total() != 0 {
				t.Errorf("leak scan of %q: %d files, %d hits %v", l.Source, l.Files, l.Total(), l.Hits)
			}
		}
		doc := RenderReliability(DescribeMachine("test"), r)
		for _, want := range []string{"## Summary", "throttling 20 %", "## Exporter through a Graph outage", "## Leak scan"} {
			if !strings.Contains(doc, want) {
				t.Errorf("reliability document lacks %q", want)
			}
		}
	})
}
