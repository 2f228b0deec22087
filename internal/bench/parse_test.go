package bench

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkParseValidate-2   	    2040	    583640 ns/op	     70512 exprs/s	  190184 B/op	    4398 allocs/op
BenchmarkTenantMemory-2    	       1	35000000000 ns/op	       412.5 heap-MB
PASS
ok  	x	3.1s`
	rs := parseGoBench(out)
	if len(rs) != 2 {
		t.Fatalf("parsed %d results, want 2: %+v", len(rs), rs)
	}
	if rs[0].Metrics["exprs/s"] != 70512 || rs[0].Metrics["allocs/op"] != 4398 || rs[0].Units[0] != "ns/op" {
		t.Errorf("first result: %+v", rs[0])
	}
	if rs[1].Metrics["heap-MB"] != 412.5 || trimBench(rs[1].Name) != "BenchmarkTenantMemory" {
		t.Errorf("second result: %+v", rs[1])
	}
}

func TestFirstError(t *testing.T) {
	tfOut := "Plan: 6 to add\n\nError: Failed to read the template schema\n\n  with entra_provisioning_job.app[1],\n  on main.tf line 32, in resource \"entra_provisioning_job\" \"app\":\n  32: resource \"entra_provisioning_job\" \"app\" {\n\nGraph kept throttling (429).\n"
	if got, want := firstError(tfOut), "Error: Failed to read the template schema — Graph kept throttling (429)."; got != want {
		t.Errorf("firstError = %q, want %q", got, want)
	}
	plan := "  # entra_provisioning_job.app[0] will be created\n  + resource {\n  # entra_app_role_assignment.app[0] must be replaced\n"
	if got, want := firstError(plan), "re-plan not empty: entra_provisioning_job.app[0] will be created; entra_app_role_assignment.app[0] must be replaced"; got != want {
		t.Errorf("firstError = %q, want %q", got, want)
	}
}

func TestStatistics(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3}
	if median(ds) != 3 || median(ds[:4]) != 3 || median(nil) != 0 {
		t.Errorf("median wrong: %v %v", median(ds), median(ds[:4]))
	}
	var hundred []time.Duration
	for i := 100; i >= 1; i-- {
		hundred = append(hundred, time.Duration(i))
	}
	if percentile(hundred, 99) != 99 || percentile(hundred, 50) != 50 || percentile(hundred, 100) != 100 {
		t.Errorf("percentiles: p50 %v p99 %v p100 %v", percentile(hundred, 50), percentile(hundred, 99), percentile(hundred, 100))
	}
}

func TestScanForSecretsCountsEveryOccurrenceAndEmptySources(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	os.WriteFile(a, []byte("token=s3cret and again s3cret, client xyz"), 0o600)
	rs := ScanForSecrets([]LeakSource{{"logs", []string{a}}, {"none", []string{filepath.Join(dir, "missing")}}},
		[]Secret{{"token", "s3cret"}, {"client", "xyz"}, {"unset", ""}})
	if rs[0].Files != 1 || rs[0].Hits["token"] != 2 || rs[0].Hits["client"] != 1 || rs[0].Total() != 3 {
		t.Errorf("logs: %+v", rs[0])
	}
	if rs[1].Files != 0 || rs[1].Total() != 0 {
		t.Errorf("a missing file must count as nothing searched: %+v", rs[1])
	}
}
