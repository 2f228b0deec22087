package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// testAccSecretTokenConfig is the configuration users of CLIs before 1.11
// write (docs: "Terraform and OpenTofu versions"): secret_token from a
// sensitive, non-ephemeral variable.
func testAccSecretTokenConfig(tenantURL, extra string) string {
	return testAccJobTerraformBlock + fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

resource "entra_enterprise_application" "test" {
  display_name = "acc job secret_token"
}

resource "entra_provisioning_job" "test" {
  service_principal_id = entra_enterprise_application.test.service_principal_id
  tenant_url           = %q
  secret_token         = var.token
%s
}
`, tenantURL, extra)
}

// TestAccProvisioningJob_secretTokenOnAnyCLI is the secret_token path on
// every CLI of the matrix (Terraform 1.5.7 included): create, empty re-plan,
// a credential-setting change that re-sends the token, destroy. On a CLI without
// write-only support it also checks that secret_token_wo stops the plan
// with the error that names the attribute and the fix.
func TestAccProvisioningJob_secretTokenOnAnyCLI(t *testing.T) {
	testAccJobProviderSource(t)
	admin := newJobSimAdmin(t)
	tenantURL, token := testAccSCIMTarget("job-secret-token")
	steps := []resource.TestStep{
		{
			Config:          testAccSecretTokenConfig(tenantURL, ""),
			ConfigVariables: config.Variables{"token": config.StringVariable(token)},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("entra_provisioning_job.test", "secret_token", token),
				checkSimSecrets(t, admin, map[string]string{"BaseAddress": tenantURL, "SecretToken": token}),
			),
		},
		{
			// A credential setting changes: Graph replaces all secrets, and the
			// token comes from the state-held secret_token.
			Config:          testAccSecretTokenConfig(tenantURL, `  notification_email = "ops@example.com"`),
			ConfigVariables: config.Variables{"token": config.StringVariable(token)},
			Check:           checkSimSecrets(t, admin, map[string]string{"SecretToken": token, "SyncNotificationSettings": "ops@example.com"}),
		},
	}
	if cli := testAccCLIOrFail(t); !cli.SupportsWriteOnly() {
		// First, before anything exists: the post-test destroy uses the last
		// step's configuration, which must be one this CLI can run.
		steps = append([]resource.TestStep{{
			// Written directly: testAccJobConfig would turn it into secret_token on this CLI.
			Config: testAccJobTerraformBlock + fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
}

resource "entra_enterprise_application" "test" {
  display_name = "acc job secret_token"
}

resource "entra_provisioning_job" "test" {
  service_principal_id    = entra_enterprise_application.test.service_principal_id
  tenant_url              = %q
  secret_token_wo         = var.token
  secret_token_wo_version = 1
}
`, tenantURL),
			ConfigVariables: config.Variables{"token": config.StringVariable(token)},
			ExpectError:     regexp.MustCompile(`secret_token_wo needs Terraform 1.11 or OpenTofu 1.11`),
		}}, steps...)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}
