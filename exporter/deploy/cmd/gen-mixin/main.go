// Command gen-mixin evaluates ../mixin with go-jsonnet and writes what it
// produces: ../alerts/rules.yml, ../dashboards/*.json,
// kubernetes/prometheusrule.yaml and the Helm chart's copies of the rules
// and dashboards. Run it from exporter/deploy (go generate does).
package main

import (
	"fmt"
	"os"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/deploy"
)

func main() {
	files, err := deploy.GeneratedFiles()
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen-mixin: %v\n", err)
		os.Exit(1)
	}
	for path, content := range files {
		if err := os.WriteFile(path, content, 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "gen-mixin: %v (run it from exporter/deploy)\n", err)
			os.Exit(1)
		}
	}
}
