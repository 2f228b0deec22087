// Command gen-prometheusrule writes kubernetes/prometheusrule.yaml from
// ../alerts/rules.yml. Run it from exporter/deploy (go generate does).
package main

import (
	"fmt"
	"os"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/deploy"
)

func main() {
	rules, err := os.ReadFile(deploy.AlertRulesPath)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen-prometheusrule: %v (run it from exporter/deploy)\n", err)
		os.Exit(1)
	}
	out, err := deploy.PrometheusRule(rules)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen-prometheusrule: %s: %v\n", deploy.AlertRulesPath, err)
		os.Exit(1)
	}
	if err := os.WriteFile(deploy.PrometheusRulePath, out, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "gen-prometheusrule: %v\n", err)
		os.Exit(1)
	}
}
