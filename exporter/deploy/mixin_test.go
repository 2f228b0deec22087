package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// generated evaluates the mixin once for all tests of this package.
var generated = func() func(t *testing.T) map[string][]byte {
	var files map[string][]byte
	var err error
	done := false
	return func(t *testing.T) map[string][]byte {
		t.Helper()
		if !done {
			files, err = GeneratedFiles()
			done = true
		}
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
}()

// make test fails when a committed file differs from what the mixin
// produces: rules.yml, the dashboard, the PrometheusRule, the chart's copies.
func TestGeneratedFilesMatchTheMixin(t *testing.T) {
	files := generated(t)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v (run `make mixin`)", p, err)
			continue
		}
		if !bytes.Equal(got, files[p]) {
			t.Errorf("%s differs from what exporter/mixin generates: run `make mixin` and commit the result", p)
		}
	}
	for _, want := range []string{AlertRulesPath, PrometheusRulePath, filepath.Join(DashboardsDir, "entra-provisioning.json")} {
		if files[want] == nil {
			t.Errorf("the mixin does not generate %s", want)
		}
	}
}

// A malformed value in the mixin's config fails generation, naming the field.
func TestMalformedMixinConfigNamesTheField(t *testing.T) {
	for field, bad := range map[string]any{
		"staleFactor":           "three",
		"consecutiveFailures":   -1,
		"entryLevelErrorCycles": 1,
		"staleFor":              "10 minutes",
		"vanishedWindow":        60,
		"quarantineSeverity":    "page",
		"runbookURLPattern":     "https://example.com/runbook",
		"groupLabels":           []any{},
	} {
		_, err := GenerateMixin(MixinDir, map[string]any{field: bad})
		if err == nil {
			t.Errorf("%s=%v was accepted", field, bad)
			continue
		}
		if !strings.Contains(err.Error(), "_config."+field) {
			t.Errorf("%s=%v: the error does not name the field: %v", field, bad, err)
		}
	}
	// Overrides that are well-formed change the output.
	m, err := GenerateMixin(MixinDir, map[string]any{"exporterSelector": `job="entra"`, "quarantineSeverity": "warning"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(m.Rules, []byte(`up{job=\"entra\"}`)) || bytes.Contains(m.Rules, []byte("entra-provisioning-exporter\\\"")) {
		t.Error("exporterSelector is not used in every rule")
	}
}

type ruleFile struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Alert       string            `json:"alert"`
			Expr        string            `json:"expr"`
			For         string            `json:"for"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"rules"`
	} `json:"groups"`
}

// Every alert has a severity, summary, description and a runbook_url whose
// anchor is a section of docs/exporter/runbook.md; every job alert names
// the application and uses the configured selector.
func TestEveryAlertHasARunbookSection(t *testing.T) {
	var rf ruleFile
	if err := yaml.UnmarshalStrict(generated(t)[AlertRulesPath], &rf); err != nil {
		t.Fatal(err)
	}
	runbook, err := os.ReadFile("../../docs/exporter/runbook.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^## (\S+)\s*$`).FindAllStringSubmatch(string(runbook), -1) {
		anchors[strings.ToLower(m[1])] = true
	}
	n := 0
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			n++
			for _, a := range []string{"summary", "description", "runbook_url"} {
				if r.Annotations[a] == "" {
					t.Errorf("%s has no %s", r.Alert, a)
				}
			}
			if s := r.Labels["severity"]; s != "critical" && s != "warning" {
				t.Errorf("%s severity %q", r.Alert, s)
			}
			_, anchor, _ := strings.Cut(r.Annotations["runbook_url"], "#")
			if !anchors[anchor] {
				t.Errorf("%s: runbook_url anchor #%s is not a '## %s' section of docs/exporter/runbook.md", r.Alert, anchor, r.Alert)
			}
			if !strings.Contains(r.Expr, `job="entra-provisioning-exporter"`) {
				t.Errorf("%s does not use the exporter selector", r.Alert)
			}
			if g.Name == "entra-provisioning-jobs" && !strings.Contains(r.Annotations["summary"], "service_principal_name") {
				t.Errorf("job alert %s does not name the application in its summary", r.Alert)
			}
		}
	}
	if n < 16 {
		t.Errorf("%d alerts, want at least 16", n)
	}
	for a := range anchors {
		found := false
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				found = found || strings.ToLower(r.Alert) == a
			}
		}
		if !found && strings.HasPrefix(a, "entraprovisioning") {
			t.Errorf("docs/exporter/runbook.md has a section for %s, which is no alert", a)
		}
	}
}

// The dashboard has the variables and panels the issue asks for and no
// __inputs: its data source is a variable, so nothing is left for import
// to fill in.
func TestDashboardShape(t *testing.T) {
	raw := generated(t)[filepath.Join(DashboardsDir, "entra-provisioning.json")]
	var d struct {
		Inputs     []any `json:"__inputs"`
		UID        string
		Templating struct {
			List []struct {
				Name, Type string
			} `json:"list"`
		} `json:"templating"`
		Panels []struct {
			ID      int    `json:"id"`
			Type    string `json:"type"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
			Options json.RawMessage `json:"options"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if d.Inputs != nil || bytes.Contains(raw, []byte("${DS_")) {
		t.Error("the dashboard has __inputs or ${DS_...} references; it should use the datasource variable")
	}
	vars := map[string]string{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v.Type
	}
	for name, typ := range map[string]string{"datasource": "datasource", "job": "query", "instance": "query", "app": "query"} {
		if vars[name] != typ {
			t.Errorf("variable %s: type %q, want %q", name, vars[name], typ)
		}
	}
	types := map[string]bool{}
	ids := map[int]bool{}
	for _, p := range d.Panels {
		types[p.Type] = true
		if ids[p.ID] || p.ID == 0 {
			t.Errorf("panel %q has a missing or duplicate id %d", p.Title, p.ID)
		}
		ids[p.ID] = true
		for _, tg := range p.Targets {
			if !strings.Contains(tg.Expr, `job=~"$job"`) {
				t.Errorf("panel %q query ignores the job variable: %s", p.Title, tg.Expr)
			}
		}
		if p.Type == "text" && !bytes.Contains(p.Options, []byte("runbook.md#entraprovisioningjobquarantined")) {
			t.Errorf("runbook panel lacks the alerts' runbook links")
		}
	}
	for _, typ := range []string{"state-timeline", "table", "text", "timeseries", "stat"} {
		if !types[typ] {
			t.Errorf("no %s panel", typ)
		}
	}
	if !bytes.Contains(raw, []byte("entra_provisioning_job_quarantine_reason")) || !bytes.Contains(raw, []byte(`action=~\"delete|disable|stagedDelete\"`)) {
		t.Error("the dashboard lacks the quarantine-reason table or the deprovisioning-failures panel")
	}
}
