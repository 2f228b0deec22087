package provider

import (
	"fmt"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// TestAccProvisioningJob_keepsUnmanagedSecrets: Graph's secrets PUT
// replaces the whole set, so a key set in the portal that the resource does
// not manage (here Domain and a notification field it does not model) must
// survive create, an update and destroy, while destroy still removes every
// credential the job set.
func TestAccProvisioningJob_keepsUnmanagedSecrets(t *testing.T) {
	admin := newJobSimAdmin(t)
	spID := instantiateCustomApp(t, "acc job unmanaged secrets")
	tenantURL, token := testAccSCIMTarget("job-unmanaged-secrets")
	const domain = `{"domain":"contoso.com"}`
	portal := []entra.SecretPair{
		{Key: "Domain", Value: domain},
		{Key: entra.SecretKeySyncNotificationSetting, Value: `{"Enabled":false,"DeleteThresholdEnabled":false,"HumanResourcesLookaheadQueryEnabled":true}`},
	}
	if err := putSyncSecrets(t.Context(), testAccPortal(t), spID, portal); err != nil {
		t.Fatalf("portal: setting secrets: %v", err)
	}
	t.Setenv("TF_VAR_token", token)
	cli := newTestCLI(t, testAccJobTerraformBlock+fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "email" { type = string }
resource "entra_provisioning_job" "test" {
  service_principal_id    = %q
  tenant_url              = %q
  secret_token_wo         = var.token
  secret_token_wo_version = 1
  notification_email      = var.email
}
`, spID, tenantURL))
	cli.run("init", "-input=false", "-no-color")

	checkKept := func(when string) map[string]string {
		t.Helper()
		got := admin.realSecrets(t, spID)
		if got["Domain"] != domain {
			t.Errorf("after %s: Domain = %q, want the portal's %q kept", when, got["Domain"], domain)
		}
		n := parseNotificationSettings(got[entra.SecretKeySyncNotificationSetting])
		if string(n.Other["HumanResourcesLookaheadQueryEnabled"]) != "true" {
			t.Errorf("after %s: SyncNotificationSettings lost the portal's HumanResourcesLookaheadQueryEnabled: %q", when, got[entra.SecretKeySyncNotificationSetting])
		}
		return got
	}

	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", "email=a@example.com")
	if got := checkKept("create"); got[entra.SecretKeySecretToken] != token || got[entra.SecretKeyBaseAddress] != tenantURL {
		t.Errorf("after create the job's own credentials are missing: keys %v", keysOf(got))
	}
	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var", "email=b@example.com")
	if got := checkKept("update"); parseNotificationSettings(got[entra.SecretKeySyncNotificationSetting]).Recipients != "b@example.com" {
		t.Errorf("after update the notification email is %q, want b@example.com", got[entra.SecretKeySyncNotificationSetting])
	}
	cli.run("destroy", "-auto-approve", "-input=false", "-no-color", "-var", "email=b@example.com")
	got := checkKept("destroy")
	for _, k := range []string{entra.SecretKeySecretToken, entra.SecretKeyBaseAddress, entra.SecretKeySyncAll, entra.SecretKeySkipOutOfScopeDeletions} {
		if got[k] != "" {
			t.Errorf("after destroy %s is still set (%d characters)", k, len(got[k]))
		}
	}
	if n := parseNotificationSettings(got[entra.SecretKeySyncNotificationSetting]); n.Recipients != "" || n.Enabled {
		t.Errorf("after destroy the notification settings still name a recipient: %q", got[entra.SecretKeySyncNotificationSetting])
	}
	if ids := jobIDs(t, spID); len(ids) != 0 {
		t.Errorf("jobs left after destroy: %v", ids)
	}
}
