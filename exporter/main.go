// Command entra-provisioning-exporter is a Prometheus exporter for Microsoft
// Entra ID application provisioning (SCIM) jobs. See docs/exporter/.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/app"
)

// version is set by the Makefile (-X main.version=...).
var version = "dev"

func main() {
	app.Version = version
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := app.Run(ctx, os.Args[1:], os.Stderr, app.Hooks{}); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", app.Name, err)
		os.Exit(1)
	}
}
