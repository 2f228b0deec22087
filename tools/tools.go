//go:build generate

// Package tools pins and runs the code generators used by `make docs`.
//
// tools/ is its own Go module so that the documentation generator's
// dependencies stay out of the provider's module graph; `go generate` here
// still builds the provider from the repository root (--provider-dir ..).
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Generate the Terraform Registry documentation under docs/ (index.md,
// resources/, data-sources/, guides/) from schema descriptions, the
// templates in tools/templates and examples/. Other files under docs/
// (exporter/, performance.md, ...) are left alone. The generator needs the
// terraform CLI on PATH and no network when CHECKPOINT_DISABLE=1.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name entra --website-source-dir tools/templates --examples-dir examples --rendered-website-dir docs
