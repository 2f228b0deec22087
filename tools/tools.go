//go:build generate

// Package tools pins and runs the code generators used by `make docs`.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Generate the Terraform Registry documentation under docs/ from schema
// descriptions, templates/ and examples/.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name entra
