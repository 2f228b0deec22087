package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/google/go-jsonnet"
)

// Paths (relative to this package's directory) of the mixin and of what is
// generated from it.
const (
	MixinDir        = "../mixin"
	DashboardsDir   = "../dashboards"
	HelmChartDir    = "helm/entra-provisioning-exporter"
	helmFilesSubdir = "files"
)

// rulesHeader precedes the generated rule file.
const rulesHeader = `# GENERATED from exporter/mixin (alerts.libsonnet, config.libsonnet) by ` + "`make mixin`" + `; do not edit.
# Checked by ` + "`promtool check rules`" + ` and tested by rules_test.yml (` + "`make rules-test`" + `).
# Tune thresholds, selectors and severities in exporter/mixin/config.libsonnet, or import
# the mixin and override _config (see docs/exporter/README.md).
`

// Mixin is what the mixin produces: the Prometheus rule file and the
// Grafana dashboards by file name.
type Mixin struct {
	Rules      []byte
	Dashboards map[string][]byte
}

// mixinMain evaluates mixin.libsonnet (plus an optional override of
// _config) into the rule file's YAML and each dashboard's JSON.
const mixinMain = `
local mixin = (import 'mixin.libsonnet') + { _config+:: std.parseJson(std.extVar('config')) };
{
  rules: std.manifestYamlDoc(mixin.prometheusAlerts, indent_array_in_object=true, quote_keys=false),
  dashboards: {
    [name]: mixin.grafanaDashboards[name] + {
      panels: std.mapWithIndex(function(i, p) p + { id: i + 1 }, super.panels),
    }
    for name in std.objectFields(mixin.grafanaDashboards)
  },
}
`

// GenerateMixin evaluates the mixin in dir with go-jsonnet (no network,
// imports only from dir). configOverride, if not empty, is a JSON object
// merged into _config (tests use it to check validation).
func GenerateMixin(dir string, configOverride map[string]any) (*Mixin, error) {
	override := []byte("{}")
	if len(configOverride) > 0 {
		var err error
		if override, err = json.Marshal(configOverride); err != nil {
			return nil, err
		}
	}
	vm := jsonnet.MakeVM()
	vm.Importer(&jsonnet.FileImporter{JPaths: []string{dir}})
	vm.ExtVar("config", string(override))
	out, err := vm.EvaluateAnonymousSnippet(filepath.Join(dir, "generate.jsonnet"), mixinMain)
	if err != nil {
		return nil, fmt.Errorf("evaluating the mixin in %s: %w", dir, err)
	}
	var res struct {
		Rules      string                     `json:"rules"`
		Dashboards map[string]json.RawMessage `json:"dashboards"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return nil, fmt.Errorf("decoding the mixin's output: %w", err)
	}
	m := &Mixin{Rules: []byte(rulesHeader + res.Rules + "\n"), Dashboards: map[string][]byte{}}
	names := make([]string, 0, len(res.Dashboards))
	for name := range res.Dashboards {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var buf bytes.Buffer
		if err := json.Indent(&buf, res.Dashboards[name], "", "  "); err != nil {
			return nil, fmt.Errorf("dashboard %s: %w", name, err)
		}
		buf.WriteByte('\n')
		m.Dashboards[name] = buf.Bytes()
	}
	return m, nil
}

// GeneratedFiles returns every file generated from the mixin, by path
// relative to this package's directory: `make mixin` writes them and a test
// fails when a committed copy differs.
func GeneratedFiles() (map[string][]byte, error) {
	m, err := GenerateMixin(MixinDir, nil)
	if err != nil {
		return nil, err
	}
	rule, err := PrometheusRule(m.Rules)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", AlertRulesPath, err)
	}
	files := map[string][]byte{
		AlertRulesPath:     m.Rules,
		PrometheusRulePath: rule,
		filepath.Join(HelmChartDir, helmFilesSubdir, "rules.yml"): m.Rules,
	}
	for name, dash := range m.Dashboards {
		files[filepath.Join(DashboardsDir, name)] = dash
		files[filepath.Join(HelmChartDir, helmFilesSubdir, name)] = dash
	}
	return files, nil
}
