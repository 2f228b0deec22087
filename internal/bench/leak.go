package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
)

// Secret is a known secret value and how the report names it (the value
// itself never appears in a document).
type Secret struct {
	Name, Value string
}

// LeakSource is a group of files searched for secrets.
type LeakSource struct {
	Name  string
	Paths []string
}

// LeakResult is one source's search.
type LeakResult struct {
	Source string
	Files  int
	Bytes  int64
	Hits   map[string]int // secret name → occurrences
}

// Total is every hit in the source.
func (r LeakResult) Total() int {
	n := 0
	for _, h := range r.Hits {
		n += h
	}
	return n
}

// ScanForSecrets counts each secret's occurrences in each source's files.
// Sources without any file are reported with Files = 0, so a scan that
// searched nothing cannot pass unnoticed.
func ScanForSecrets(sources []LeakSource, secrets []Secret) []LeakResult {
	var out []LeakResult
	for _, src := range sources {
		r := LeakResult{Source: src.Name, Hits: map[string]int{}}
		for _, p := range src.Paths {
			data, err := os.ReadFile(p)
			if err != nil || len(data) == 0 {
				continue
			}
			r.Files++
			r.Bytes += int64(len(data))
			for _, s := range secrets {
				if s.Value != "" {
					r.Hits[s.Name] += bytes.Count(data, []byte(s.Value))
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// glob returns the sorted matches of patterns.
func glob(patterns ...string) []string {
	var out []string
	for _, p := range patterns {
		m, _ := filepath.Glob(p)
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}

// leakLifecycle is a lifecycle whose every artefact is kept for the scan:
// a saved plan rendered as JSON, the state after apply, every command's
// output and a TF_LOG=trace log of all of them.
func leakLifecycle(ctx context.Context, bins Bins, workDir string, n int) (Lifecycle, []LeakSource, []Secret, error) {
	trace := filepath.Join(workDir, "tf", "trace.log")
	o := LifecycleOptions{
		N:        n,
		ExtraEnv: []string{"TF_LOG=trace", "TF_LOG_PATH=" + trace},
		BeforeApply: func(ctx context.Context, ws *Workspace) error {
			if _, err := ws.mustSucceed(ctx, "plan", "-out=leak.tfplan"); err != nil {
				return err
			}
			res, err := ws.mustSucceed(ctx, "show", "-json", "leak.tfplan")
			if err == nil {
				err = os.WriteFile(filepath.Join(ws.Dir, "plan.json"), []byte(res.Output), 0o600)
			}
			return err
		},
		AfterApply: func(ctx context.Context, ws *Workspace) error {
			state, err := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(ws.Dir, "state-after-apply.json"), state, 0o600); err != nil {
				return err
			}
			_, err = ws.mustSucceed(ctx, "show", "-json")
			return err
		},
	}
	l, err := RunLifecycle(ctx, bins, workDir, o)
	tf := filepath.Join(workDir, "tf")
	sources := []LeakSource{
		{"Terraform state (after apply, after destroy, `terraform show -json`)", glob(tf+"/state-after-apply.json", tf+"/terraform.tfstate*", tf+"/terraform-*-show.log")},
		{"plan (`terraform plan` output, saved plan as JSON, re-plan)", glob(tf+"/terraform-*-plan.log", tf+"/plan.json")},
		{"apply and destroy output", glob(tf+"/terraform-*-apply.log", tf+"/terraform-*-destroy.log")},
		{"TF_LOG=trace log (terraform core and provider)", glob(trace)},
	}
	secrets := []Secret{{"SCIM secret token", scimToken}, {"provider client secret", l.clientSecret}}
	return l, sources, secrets, err
}
