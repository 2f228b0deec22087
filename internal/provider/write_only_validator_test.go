package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestSecretTokenWOOnOldCLIs validates an entra_provisioning_job the way
// Terraform 1.5 does (no client capabilities) and the way 1.11+ does: the
// old CLI gets a plan-time error naming secret_token_wo, the version bound
// and the secret_token fix; secret_token passes on both.
func TestSecretTokenWOOnOldCLIs(t *testing.T) {
	server := protoServer(t)
	schema := protoSchemas(t, server).ResourceSchemas["entra_provisioning_job"]
	base := map[string]tftypes.Value{
		"service_principal_id": tftypes.NewValue(tftypes.String, "00000000-0000-0000-0000-000000000001"),
		"tenant_url":           tftypes.NewValue(tftypes.String, "https://scim.example.com/scim/v2"),
	}
	with := func(extra map[string]tftypes.Value) *tfprotov6.DynamicValue {
		values := map[string]tftypes.Value{}
		for k, v := range base {
			values[k] = v
		}
		for k, v := range extra {
			values[k] = v
		}
		return protoObject(t, schema, values)
	}
	writeOnly := with(map[string]tftypes.Value{
		"secret_token_wo":         tftypes.NewValue(tftypes.String, "s3cr3t"),
		"secret_token_wo_version": tftypes.NewValue(tftypes.Number, 1),
	})
	stored := with(map[string]tftypes.Value{"secret_token": tftypes.NewValue(tftypes.String, "s3cr3t")})
	newCLI := &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true}

	for _, c := range []struct {
		name      string
		config    *tfprotov6.DynamicValue
		caps      *tfprotov6.ValidateResourceConfigClientCapabilities
		wantError bool
	}{
		{"secret_token_wo on Terraform 1.5 (no capabilities)", writeOnly, nil, true},
		{"secret_token_wo on Terraform 1.11+", writeOnly, newCLI, false},
		{"secret_token on Terraform 1.5", stored, nil, false},
		{"secret_token on Terraform 1.11+", stored, newCLI, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := server.ValidateResourceConfig(t.Context(), &tfprotov6.ValidateResourceConfigRequest{
				TypeName: "entra_provisioning_job", Config: c.config, ClientCapabilities: c.caps,
			})
			if err != nil {
				t.Fatal(err)
			}
			var ours *tfprotov6.Diagnostic
			for _, d := range resp.Diagnostics {
				if strings.HasPrefix(d.Summary, "secret_token_wo needs") {
					ours = d
				}
			}
			if !c.wantError {
				protoFailOnErrors(t, "ValidateResourceConfig", resp.Diagnostics)
				return
			}
			if ours == nil {
				t.Fatalf("no secret_token_wo error; diagnostics:\n%s", protoDiagText(resp.Diagnostics))
			}
			if ours.Severity != tfprotov6.DiagnosticSeverityError || ours.Attribute == nil ||
				ours.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("secret_token_wo").String() {
				t.Errorf("want an error on attribute secret_token_wo, got %+v", ours)
			}
			for _, want := range []string{"Terraform 1.11", "OpenTofu 1.11", "secret_token = var.token", "stored in the state"} {
				if !strings.Contains(ours.Summary+ours.Detail, want) {
					t.Errorf("the error does not say %q:\n%s\n%s", want, ours.Summary, ours.Detail)
				}
			}
		})
	}
}

// TestParseCLIVersion reads the version line of every CLI of the matrix,
// also after a CLI-configuration warning.
func TestParseCLIVersion(t *testing.T) {
	for out, want := range map[string]testAccCLIInfo{
		"Terraform v1.11.4\non linux_amd64\n":                                                {Major: 1, Minor: 11, Version: "Terraform v1.11.4"},
		"Terraform v1.15.9-dev\non linux_amd64":                                              {Major: 1, Minor: 15, Version: "Terraform v1.15.9-dev"},
		"Warning: Unable to open CLI configuration file\n\nOpenTofu v1.12.6\non linux_amd64": {OpenTofu: true, Major: 1, Minor: 12, Version: "OpenTofu v1.12.6"},
	} {
		got, err := parseCLIVersion(out)
		if err != nil || got != want {
			t.Errorf("parseCLIVersion(%q) = %+v, %v; want %+v", out, got, err, want)
		}
	}
	if old, _ := parseCLIVersion("Terraform v1.5.7\n"); old.SupportsWriteOnly() || old.RegistryHost() != "registry.terraform.io" {
		t.Errorf("Terraform 1.5.7: write-only %v, host %s", old.SupportsWriteOnly(), old.RegistryHost())
	}
}
