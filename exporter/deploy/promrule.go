package deploy

import (
	"bytes"
	"errors"
	"strings"
)

// Paths relative to this package's directory.
const (
	AlertRulesPath     = "../alerts/rules.yml"
	PrometheusRulePath = "kubernetes/prometheusrule.yaml"
)

// prometheusRuleHeader precedes the embedded rules. The Prometheus
// Operator's default ruleSelector matches nothing: label the resource the
// way your Prometheus custom resource selects rules (kube-prometheus-stack
// uses release: <helm release name>).
const prometheusRuleHeader = `# GENERATED from exporter/alerts/rules.yml by ` + "`make deploy-rules`" + `; do not edit.
# The Prometheus Operator loads these rules when this resource's labels match the
# ruleSelector of your Prometheus resource (kube-prometheus-stack: release=<name>).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: entra-provisioning-exporter
  labels:
    prometheus: k8s
    role: alert-rules
spec:
`

// PrometheusRule wraps a Prometheus rule file in a PrometheusRule resource.
// The rule file is embedded verbatim, indented under spec, so its comments
// and formatting survive and a diff against rules.yml stays readable.
func PrometheusRule(rules []byte) ([]byte, error) {
	if !bytes.Contains(rules, []byte("\ngroups:")) && !bytes.HasPrefix(rules, []byte("groups:")) {
		return nil, errors.New("the rule file has no top-level \"groups:\" key")
	}
	if bytes.Contains(rules, []byte("\t")) {
		return nil, errors.New("the rule file contains tabs, which YAML does not allow for indentation")
	}
	var b strings.Builder
	b.WriteString(prometheusRuleHeader)
	for _, line := range strings.Split(strings.TrimRight(string(rules), "\n"), "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString("  " + line + "\n")
	}
	return []byte(b.String()), nil
}
