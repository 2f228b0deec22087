// Command terraform-provider-entra serves the entra Terraform provider, which
// configures Microsoft Entra ID enterprise applications for SCIM provisioning.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entra-provisioning/terraform-provider-entra/internal/provider"
)

// version is set by the release build through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/entra-provisioning/entra",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
