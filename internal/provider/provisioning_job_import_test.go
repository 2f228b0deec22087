package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// TestAccProvisioningJob_generateConfig adopts a job an admin configured by
// hand in the portal: `terraform plan -generate-config-out` must write a
// tidy configuration (the portal's settings and only the mappings that
// differ from the template), and after importing it the next plan must be
// empty.
func TestAccProvisioningJob_generateConfig(t *testing.T) {
	ctx := context.Background()
	c := testAccPortal(t)
	spID := instantiateCustomApp(t, "acc job adopted")
	tenantURL, token := testAccSCIMTarget("job-adopted")

	// The admin's clicks: create the job, save credentials and settings,
	// keep only three user mappings (Apty's guide), disable groups, mark
	// userName required, start.
	var job *entra.Job
	if err := retrySyncConsistency(ctx, func() (err error) { job, err = createSyncJob(ctx, c, spID, "scim"); return err }); err != nil {
		t.Fatalf("portal: create job: %v", err)
	}
	pairs, _ := buildSecrets(nil, credentialSettings{TenantURL: tenantURL, Token: token, NotificationEmail: "admin@example.com", SendFailureNotifications: true, DeleteThreshold: 25})
	if err := putSyncSecrets(ctx, c, spID, pairs); err != nil {
		t.Fatalf("portal: secrets: %v", err)
	}
	var current *syncschema.Schema
	if err := retrySyncConsistency(ctx, func() (err error) { current, err = findJobSchema(ctx, c, spID, job.ID); return err }); err != nil {
		t.Fatalf("portal: read schema: %v", err)
	}
	disabled, required := false, true
	next, err := syncschema.Apply(current, syncschema.Overlay{
		ObjectMappings: map[string]syncschema.ObjectMapping{
			"User": {AttributeMappings: map[string]syncschema.AttributeMapping{
				"userName":    {Source: "userPrincipalName", MatchingPriority: 1},
				"active":      {Expression: `Switch([IsSoftDeleted], , "False", "True", "True", "False")`},
				"displayName": {Source: "displayName"},
			}},
			"Group": {Enabled: &disabled},
		},
		TargetAttributes: map[string]map[string]syncschema.TargetAttribute{
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"displayName": {Required: &required}},
		},
	}, nil)
	if err != nil {
		t.Fatalf("portal: edit schema: %v", err)
	}
	body, _ := next.MarshalJSON()
	if err := putJobSchemaRaw(ctx, c, spID, job.ID, body); err != nil {
		t.Fatalf("portal: save schema: %v", err)
	}
	if err := portalAPI(c).StartJob(ctx, spID, job.ID); err != nil {
		t.Fatalf("portal: start: %v", err)
	}

	cli := newTestCLI(t, testAccJobTerraformBlock+fmt.Sprintf(`
import {
  to = entra_provisioning_job.adopted
  id = "%s/%s"
}
`, spID, job.ID))
	cli.run("init", "-input=false", "-no-color")
	cli.run("plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
	if err != nil {
		t.Fatalf("no generated configuration: %v", err)
	}
	text := string(generated)
	t.Logf("generated configuration:\n%s", text)
	for _, want := range []string{
		`tenant_url`, tenantURL, `notification_email`, `admin@example.com`, `accidental_deletion_threshold = 25`,
		`userName`, `userPrincipalName`, `Switch([IsSoftDeleted]`, `Group`, `enabled`, `required = true`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("generated configuration lacks %q", want)
		}
	}
	for _, unwanted := range []string{token, `title`, `preferredLanguage`} {
		if strings.Contains(text, unwanted) {
			t.Errorf("generated configuration contains %q: not tidy (or a leaked token)", unwanted)
		}
	}

	cli.run("apply", "-auto-approve", "-input=false", "-no-color")
	if _, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after importing the generated configuration is not empty (exit %d)", code)
	}
	// The generated configuration holds no token (it cannot be read back), so
	// a change that re-sends the secrets must ask for one at plan time.
	edited := strings.Replace(text, "admin@example.com", "new-admin@example.com", 1)
	cli.writeFile("generated.tf", []byte(edited))
	if out := cli.runExpectFailure("plan", "-input=false", "-no-color"); !strings.Contains(out, "Secret token required") {
		t.Errorf("changing the notification email without a token did not ask for one:\n%s", out)
	}
	// Leave the tenant as the test found it: the app is deleted by cleanup.
	_ = c.Do(ctx, http.MethodDelete, jobPath(spID, job.ID), nil, nil)
}

// runExpectFailure runs a terraform command that must fail and returns its
// output.
func (c *testCLI) runExpectFailure(args ...string) string {
	c.t.Helper()
	cmd := exec.Command(testAccTerraformPath(), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+c.reattach, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		c.t.Fatalf("terraform %v succeeded, want a failure:\n%s", args, out)
	}
	return string(out)
}
