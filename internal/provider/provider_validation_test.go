package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Provider misconfigurations fail before any Graph call, naming the
// attribute to fix. These run without the simulator.
func TestProviderConfigValidation(t *testing.T) {
	lookup := `
data "entra_application_template" "x" {
  display_name = "Custom"
}
`
	tests := map[string]struct {
		block string
		want  string
	}{
		"two credentials": {
			block: `provider "entra" {
  client_secret = "s"
  use_cli       = true
}`,
			want: `(?s)Conflicting\s+provider\s+credentials.*client_secret\s+and\s+use_cli`,
		},
		"unknown environment": {
			block: `provider "entra" {
  environment = "mars"
}`,
			want: `(?s)environment.*global.*usgovernment.*china`,
		},
		"plain http to a remote host": {
			block: `provider "entra" {
  graph_endpoint = "http://graph.example.com"
}`,
			want: `(?s)graph_endpoint.*https://`,
		},
		"tenant that is neither a GUID nor a domain": {
			block: `provider "entra" {
  tenant_id = "contoso corp"
}`,
			want: `(?s)tenant_id.*not\s+a\s+tenant\s+id\s+or\s+domain`,
		},
		"certificate password without certificate": {
			block: `provider "entra" {
  client_certificate_password = "p"
}`,
			want: `(?s)client_certificate_password.*client_certificate_path`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tt.block + lookup,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
		})
	}
}
