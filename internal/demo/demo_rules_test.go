package demo

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v2"
)

func shippedRules(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", alertRulesFile))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withoutWaits parses a rule file and blanks every for/keep_firing_for, so
// two files can be compared for everything else.
func withoutWaits(t *testing.T, data []byte) any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, g := range doc["groups"].([]any) {
		for _, r := range g.(map[any]any)["rules"].([]any) {
			rule := r.(map[any]any)
			for _, k := range []string{"for", "keep_firing_for"} {
				if _, ok := rule[k]; ok {
					rule[k] = "<wait>"
				}
			}
		}
	}
	return doc
}

// alertWaits maps each alert of a rule file to its `for:` as written.
func alertWaits(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var doc struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				For   string `yaml:"for"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			if r.Alert != "" && r.For != "" {
				out[r.Alert] = r.For
			}
		}
	}
	return out
}

func TestScaleAlertRulesDividesOnlyTheWaits(t *testing.T) {
	src := shippedRules(t)
	out, waits, err := scaleAlertRules(src, 600)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutWaits(t, src), withoutWaits(t, out)) {
		t.Fatalf("the demo copy differs from %s in more than its for: durations:\n%s", alertRulesFile, out)
	}
	if !strings.HasPrefix(string(out), "# Written by make demo") || !strings.Contains(string(out), "DEMO-ONLY") {
		t.Error("the demo copy does not say what it is")
	}
	// Every alert of the shipped file is accounted for with its own `for:`,
	// and the demo copy says the scaled wait for that alert.
	shipped, scaled := alertWaits(t, src), alertWaits(t, out)
	if len(shipped) == 0 || len(waits) != len(shipped) {
		t.Errorf("%d waits for %d alerts: %v", len(waits), len(shipped), waits)
	}
	for name, text := range shipped {
		d, err := model.ParseDuration(text)
		if err != nil {
			t.Fatalf("%s: for %q: %v", name, text, err)
		}
		w := waits[name]
		want := time.Duration(math.Ceil(time.Duration(d).Seconds()/600)) * time.Second
		if w.Shipped != time.Duration(d) || w.Demo != want || scaled[name] != shortDuration(want) {
			t.Errorf("%s: shipped for %s, wait %+v, demo copy says %q; want demo %s", name, text, w, scaled[name], want)
		}
		// The demo wait stands for at least the shipped wait in simulated time.
		if time.Duration(600*w.Demo.Seconds())*time.Second < w.Shipped {
			t.Errorf("%s: demo wait %s at 600× is shorter than the shipped %s", name, w.Demo, w.Shipped)
		}
	}
	if q := waits["EntraProvisioningJobQuarantined"]; q.Demo == 0 || q.Demo > 10*time.Second {
		t.Errorf("the quarantine alert waits %s in the demo: it must fire within the demo's seconds", q.Demo)
	}

	// Prometheus's own checker accepts the copy.
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Skip("promtool not installed; the demo copy was not checked by Prometheus")
	}
	path := filepath.Join(t.TempDir(), "rules.demo.yml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("promtool", "check", "rules", path).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules on the demo copy: %v\n%s", err, msg)
	}
}

func TestScaleAlertRulesAtRealSpeedKeepsTheWaits(t *testing.T) {
	_, waits, err := scaleAlertRules(shippedRules(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range waits {
		if w.Demo != w.Shipped {
			t.Errorf("%s at speed 1: demo %s, shipped %s", name, w.Demo, w.Shipped)
		}
	}
}

func TestScaleAlertRulesHandlesKeepFiringForAndRejectsBadInput(t *testing.T) {
	src := "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 1h\n        keep_firing_for: 20m\n"
	out, waits, err := scaleAlertRules([]byte(src), 600)
	if err != nil {
		t.Fatal(err)
	}
	if w := waits["A"]; w.Shipped != time.Hour || w.Demo != 6*time.Second {
		t.Errorf("A waits %+v, want 1h → 6s", w)
	}
	if !strings.Contains(string(out), "keep_firing_for: 2s") {
		t.Errorf("keep_firing_for not scaled:\n%s", out)
	}

	for name, bad := range map[string]string{
		"bad duration": "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: soon\n",
		"no groups":    "rules: []\n",
		"not YAML":     "groups: [\n",
		"duplicate":    "groups: []\ngroups: []\n",
	} {
		if _, _, err := scaleAlertRules([]byte(bad), 600); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, _, err := scaleAlertRules([]byte(src), 0.5); err == nil {
		t.Error("a speed below 1 was accepted")
	}
}

func TestScaleWaitRoundsUpToWholeSeconds(t *testing.T) {
	for _, c := range []struct {
		d     time.Duration
		speed float64
		want  time.Duration
	}{
		{5 * time.Minute, 600, time.Second}, // 0.5 s
		{10 * time.Minute, 600, time.Second},
		{15 * time.Minute, 600, 2 * time.Second}, // 1.5 s
		{30 * time.Minute, 600, 3 * time.Second},
		{0, 600, 0},
		{time.Hour, 1, time.Hour},
	} {
		if got := scaleWait(c.d, c.speed); got != c.want {
			t.Errorf("scaleWait(%s, %g) = %s, want %s", c.d, c.speed, got, c.want)
		}
	}
}

func TestAlertStatesCountsOnlyTheServicePrincipal(t *testing.T) {
	alerts := []promAlert{
		{Labels: map[string]string{"service_principal_id": "sp-bad"}, State: "firing"},
		{Labels: map[string]string{"service_principal_id": "sp-bad"}, State: "pending"},
		{Labels: map[string]string{"service_principal_id": "sp-bad"}, State: "firing"},
		{Labels: map[string]string{"service_principal_id": "sp-good"}, State: "firing"},
	}
	if f, p := alertStates(alerts, "sp-bad"); f != 2 || p != 1 {
		t.Errorf("sp-bad: %d firing, %d pending; want 2 and 1", f, p)
	}
	if f, p := alertStates(alerts, "sp-none"); f != 0 || p != 0 {
		t.Errorf("sp-none: %d firing, %d pending", f, p)
	}
}
