package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// testAccJobConfig is an enterprise application plus, unless jobBody is
// "", a provisioning job whose token comes from the ephemeral variable
// "token".
func testAccJobConfig(appName, jobBody string) string {
	cfg := testAccJobTerraformBlock + fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "entra_enterprise_application" "test" {
  display_name = %q
}
`, appName)
	if jobBody != "" {
		cfg += fmt.Sprintf(`
resource "entra_provisioning_job" "test" {
  service_principal_id    = entra_enterprise_application.test.service_principal_id
  secret_token_wo         = var.token
  secret_token_wo_version = 1
%s
}
`, jobBody)
	}
	return testAccCLIConfig(cfg)
}

func testAccTokenVariable(token string) config.Variables {
	return config.Variables{"token": config.StringVariable(token)}
}

// checkSimSecrets asserts real secret values in the simulator: a value of
// "" means the key must be absent.
func checkSimSecrets(t *testing.T, admin *jobSimAdmin, want map[string]string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		spID, err := stateAttr(s, "entra_enterprise_application.test", "service_principal_id")
		if err != nil {
			return err
		}
		got := admin.realSecrets(t, spID)
		for k, v := range want {
			switch {
			case v == "" && got[k] != "":
				return fmt.Errorf("secret %s is still set in the tenant (%d characters)", k, len(got[k]))
			case v != "" && !strings.Contains(got[k], v):
				return fmt.Errorf("secret %s = %q, want it to contain %q", k, got[k], v)
			}
		}
		return nil
	}
}

// checkJobRunning asserts the job's schedule state as Graph reports it.
func checkJobRunning(t *testing.T, want bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		spID, _ := stateAttr(s, "entra_provisioning_job.test", "service_principal_id")
		jobID, err := stateAttr(s, "entra_provisioning_job.test", "job_id")
		if err != nil {
			return err
		}
		job, err := findSyncJob(context.Background(), testAccPortal(t), spID, jobID)
		if err != nil {
			return err
		}
		if job.Running() != want {
			return fmt.Errorf("job running = %v (schedule %s, status %s), want %v", job.Running(), job.Schedule.State, job.Status.Code, want)
		}
		return nil
	}
}

func TestAccProvisioningJob_lifecycle(t *testing.T) {
	testAccRequireWriteOnly(t) // it checks that secret_token_wo leaves nothing in state
	testAccJobProviderSource(t)
	admin := newJobSimAdmin(t)
	tenantURL, token := testAccSCIMTarget("job-lifecycle")
	otherURL, _ := testAccSCIMTarget("job-lifecycle-portal")
	var spID string

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccJobConfig("acc job lifecycle", fmt.Sprintf(`
  tenant_url                    = %q
  notification_email            = "iam-alerts@example.com"
  accidental_deletion_threshold = 50
`, tenantURL)),
				ConfigVariables: testAccTokenVariable(token),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrSet("entra_provisioning_job.test", "job_id"),
					resource.TestCheckResourceAttr("entra_provisioning_job.test", "template_id", "scim"),
					resource.TestCheckResourceAttr("entra_provisioning_job.test", "scope", "assigned"),
					resource.TestCheckResourceAttr("entra_provisioning_job.test", "send_failure_notifications", "true"),
					resource.TestCheckResourceAttr("entra_provisioning_job.test", "enabled", "true"),
					resource.TestCheckNoResourceAttr("entra_provisioning_job.test", "secret_token"),
					resource.TestCheckNoResourceAttr("entra_provisioning_job.test", "secret_token_wo"),
					checkSimSecrets(t, admin, map[string]string{
						"BaseAddress":              tenantURL,
						"SecretToken":              token,
						"SyncNotificationSettings": `"DeleteThresholdValue":50`,
						"SyncAll":                  "False",
					}),
					checkJobRunning(t, true),
					func(s *terraform.State) error {
						spID, _ = stateAttr(s, "entra_enterprise_application.test", "service_principal_id")
						return nil
					},
				),
			},
			{
				ResourceName:            "entra_provisioning_job.test",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateIdFunc:       func(s *terraform.State) (string, error) { return stateAttr(s, "entra_provisioning_job.test", "id") },
				ImportStateVerifyIgnore: []string{"secret_token_wo_version", "status"},
				ConfigVariables:         testAccTokenVariable(token),
			},
			{
				// Update: settings, scope, pause and a restart.
				PreConfig: func() { admin.resetRequests(t) },
				Config: testAccJobConfig("acc job lifecycle", fmt.Sprintf(`
  tenant_url                  = %q
  notification_email          = "provisioning@example.com"
  send_failure_notifications  = false
  scope                       = "all"
  skip_out_of_scope_deletions = true
  enabled                     = false
  restart_triggers            = { reason = "v2" }
`, tenantURL)),
				ConfigVariables: testAccTokenVariable(token),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr("entra_provisioning_job.test", "accidental_deletion_threshold"),
					resource.TestCheckResourceAttr("entra_provisioning_job.test", "enabled", "false"),
					checkSimSecrets(t, admin, map[string]string{
						"SyncAll":                  "True",
						"SkipOutOfScopeDeletions":  "True",
						"SyncNotificationSettings": `"Recipients":"provisioning@example.com"`,
						"SecretToken":              token,
					}),
					checkJobRunning(t, false),
					func(*terraform.State) error {
						const restart = "POST /v1.0/servicePrincipals/{id}/synchronization/jobs/{jobId}/restart"
						if n := admin.requestCounts(t).Routes[restart]; n != 1 {
							return fmt.Errorf("a new restart_triggers value called restart %d times, want once", n)
						}
						return nil
					},
				),
			},
			{
				// Drift made in the portal shows in the next plan.
				PreConfig: func() {
					ctx := context.Background()
					c := testAccPortal(t)
					ids := jobIDs(t, spID)
					if len(ids) != 1 {
						t.Fatalf("service principal %s has jobs %v, want exactly one", spID, ids)
					}
					if err := portalAPI(c).StartJob(ctx, spID, ids[0]); err != nil {
						t.Fatalf("portal start: %v", err)
					}
					pairs, _ := buildSecrets(nil, credentialSettings{TenantURL: otherURL, Token: token, NotificationEmail: "someone-else@example.com", SendFailureNotifications: true})
					if err := putSyncSecrets(ctx, c, spID, pairs); err != nil {
						t.Fatalf("portal secrets: %v", err)
					}
				},
				Config: testAccJobConfig("acc job lifecycle", fmt.Sprintf(`
  tenant_url                  = %q
  notification_email          = "provisioning@example.com"
  send_failure_notifications  = false
  scope                       = "all"
  skip_out_of_scope_deletions = true
  enabled                     = false
  restart_triggers            = { reason = "v2" }
`, tenantURL)),
				ConfigVariables:    testAccTokenVariable(token),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Applying again puts the configuration back.
				Config: testAccJobConfig("acc job lifecycle", fmt.Sprintf(`
  tenant_url                  = %q
  notification_email          = "provisioning@example.com"
  send_failure_notifications  = false
  scope                       = "all"
  skip_out_of_scope_deletions = true
  enabled                     = false
  restart_triggers            = { reason = "v2" }
`, tenantURL)),
				ConfigVariables: testAccTokenVariable(token),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSimSecrets(t, admin, map[string]string{"BaseAddress": tenantURL, "SyncAll": "True"}),
					checkJobRunning(t, false),
				),
			},
			{
				// Removing the job deletes it and blanks every credential it set.
				Config:          testAccJobConfig("acc job lifecycle", ""),
				ConfigVariables: testAccTokenVariable(token),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSimSecrets(t, admin, map[string]string{
						"BaseAddress": "", "SecretToken": "", "SyncNotificationSettings": "", "SyncAll": "", "SkipOutOfScopeDeletions": "",
					}),
					func(s *terraform.State) error {
						if ids := jobIDs(t, spID); len(ids) != 0 {
							return fmt.Errorf("jobs left after destroy: %v", ids)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccProvisioningJob_wrongTokenSavesNothing(t *testing.T) {
	testAccJobProviderSource(t)
	admin := newJobSimAdmin(t)
	tenantURL, _ := testAccSCIMTarget("job-wrong-token")
	var spID string

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          testAccJobConfig("acc job wrong token", ""),
				ConfigVariables: testAccTokenVariable("not-the-token"),
				Check: func(s *terraform.State) error {
					spID, _ = stateAttr(s, "entra_enterprise_application.test", "service_principal_id")
					return nil
				},
			},
			{
				Config:          testAccJobConfig("acc job wrong token", fmt.Sprintf("  tenant_url = %q\n", tenantURL)),
				ConfigVariables: testAccTokenVariable("not-the-token"),
				ExpectError:     regexp.MustCompile(`(?s)Test Connection failed.*nothing was saved.*entered\s+invalid\s+credentials.*Status\s+Code:\s+401`),
			},
			{
				Config:          testAccJobConfig("acc job wrong token", ""),
				ConfigVariables: testAccTokenVariable("not-the-token"),
				Check: func(s *terraform.State) error {
					if ids := jobIDs(t, spID); len(ids) != 0 {
						return fmt.Errorf("the failed create left jobs behind: %v", ids)
					}
					if got := admin.realSecrets(t, spID); len(got) != 0 {
						return fmt.Errorf("the failed create left secrets behind: keys %v", keysOf(got))
					}
					return nil
				},
			},
		},
	})
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestAccProvisioningJob_badInput(t *testing.T) {
	testAccJobProviderSource(t)
	cases := []struct {
		name, body string
		want       *regexp.Regexp
	}{
		{"http tenant_url", `tenant_url = "http://scim.example.com/scim"`, regexp.MustCompile(`(?s)Invalid tenant_url.*only https`)},
		{"malformed tenant_url", `tenant_url = "scim.example.com"`, regexp.MustCompile(`(?s)Invalid tenant_url`)},
		{"malformed email", "tenant_url = \"https://scim.example.com\"\n notification_email = \"ops at example\"", regexp.MustCompile(`(?s)notification_email.*e-mail address`)},
		{"negative threshold", "tenant_url = \"https://scim.example.com\"\n accidental_deletion_threshold = -5", regexp.MustCompile(`(?s)accidental_deletion_threshold.*at least 1`)},
		{"both tokens", "tenant_url = \"https://scim.example.com\"\n secret_token = \"x\"", regexp.MustCompile(`(?s)secret_token.*cannot be specified when`)},
		{"failure mails without email", "tenant_url = \"https://scim.example.com\"\n send_failure_notifications = true", regexp.MustCompile(`(?s)Notification email missing`)},
		{"unknown scope", "tenant_url = \"https://scim.example.com\"\n scope = \"everyone\"", regexp.MustCompile(`(?s)scope.*assigned`)},
		{"source and expression", `tenant_url = "https://scim.example.com"
  object_mappings = { User = { attribute_mappings = { userName = { source = "mail", expression = "[mail]" } } } }`, regexp.MustCompile(`(?s)Conflicting mapping sources`)},
		{"unknown apply", `tenant_url = "https://scim.example.com"
  object_mappings = { User = { attribute_mappings = { userName = { source = "mail", apply = "sometimes" } } } }`, regexp.MustCompile(`(?s)Unknown apply value.*on_create`)},
		{"duplicate priority", `tenant_url = "https://scim.example.com"
  object_mappings = { User = { attribute_mappings = {
    userName   = { source = "userPrincipalName", matching_priority = 1 }
    externalId = { source = "objectId", matching_priority = 1 }
  } } }`, regexp.MustCompile(`(?s)Duplicate matching priority`)},
		{"duplicate target attribute", `tenant_url = "https://scim.example.com"
  object_mappings = { User = { attribute_mappings = {
    userName = { source = "userPrincipalName" }
    USERNAME = { source = "mail" }
  } } }`, regexp.MustCompile(`(?s)Duplicate target attribute`)},
		{"empty scoping group", `tenant_url = "https://scim.example.com"
  object_mappings = { User = { scoping_filter = [{ clauses = [] }] } }`, regexp.MustCompile(`(?s)Empty scoping group`)},
		{"misspelled function", `tenant_url = "https://scim.example.com"
  object_mappings = { User = { attribute_mappings = { active = { expression = "Swich([IsSoftDeleted], , \"False\", \"True\")" } } } }`, regexp.MustCompile(`(?s)Switch`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "both tokens" {
				// secret_token_wo beside secret_token: on CLIs before 1.11 the
				// configuration is rewritten to secret_token, so the case is moot.
				testAccRequireWriteOnly(t)
			}
			testAccJobProviderSource(t)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:          testAccJobConfig("acc job bad input", "  "+tc.body),
					ConfigVariables: testAccTokenVariable("t"),
					PlanOnly:        true,
					ExpectError:     tc.want,
				}},
			})
		})
	}
}

// TestAccProvisioningJob_secretNeverLeaks applies and re-plans with
// TF_LOG=trace and checks that the token is nowhere: not in the state, not
// in the plan (JSON, which carries even sensitive values), not in the CLI or
// provider logs.
func TestAccProvisioningJob_secretNeverLeaks(t *testing.T) {
	testAccRequireWriteOnly(t) // the point of this test is a write-only token that never reaches state or plan
	testAccJobProviderSource(t)
	logDir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", logDir+"/cli-%s.log")
	t.Setenv("TF_ACC_LOG_PATH", logDir+"/provider.log")
	tenantURL, token := testAccSCIMTarget("job-no-leak")

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          testAccJobConfig("acc job no leak", fmt.Sprintf("  tenant_url = %q\n", tenantURL)),
				ConfigVariables: testAccTokenVariable(token),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{planMustNotContain(token)},
				},
				Check: stateMustNotContain(token),
			},
		},
	})
	assertLogsClean(t, logDir, token)
}

func stateMustNotContain(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(v, secret) {
					return fmt.Errorf("the token is in the state: %s.%s", addr, k)
				}
			}
		}
		return nil
	}
}

type planSecretCheck struct{ secret string }

func planMustNotContain(secret string) plancheck.PlanCheck { return planSecretCheck{secret} }

func (c planSecretCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(b), c.secret) {
		resp.Error = fmt.Errorf("the token is in the plan JSON")
	}
}

func assertLogsClean(t *testing.T, dir, secret string) {
	t.Helper()
	files, _ := filepath.Glob(dir + "/*")
	if len(files) == 0 {
		t.Fatalf("no logs were written to %s; TF_LOG_PATH_MASK / TF_ACC_LOG_PATH were not honoured", dir)
	}
	total, sawTokenRequest := 0, false
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total += len(data)
		sawTokenRequest = sawTokenRequest || strings.Contains(string(data), "validateCredentials")
		if strings.Contains(string(data), secret) {
			t.Errorf("the token appears in the trace log %s", f)
		}
	}
	if !sawTokenRequest {
		t.Errorf("the logs never mention the validateCredentials request that carried the token; the check would prove nothing")
	}
	if total < 10000 {
		t.Errorf("trace logs hold only %d bytes; the check would prove nothing", total)
	}
}

// TestAccProvisioningJob_faults applies and destroys a complete job while
// the simulator throttles 20 % of requests and lags replication by 2 s; it
// must converge with exactly one application and one job, and leave none.
func TestAccProvisioningJob_faults(t *testing.T) {
	testAccJobProviderSource(t)
	admin := newJobSimAdmin(t)
	admin.setFaults(t, "throttle=0.2,retry-after=1s,lag=2s")
	const appName = "acc job faults"
	tenantURL, token := testAccSCIMTarget("job-faults")
	countApps := func() int {
		n := 0
		for _, sp := range admin.state(t).ServicePrincipals {
			if sp.DisplayName == appName {
				n++
			}
		}
		return n
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if n := countApps(); n != 0 {
				return fmt.Errorf("%d service principals named %q remain after destroy", n, appName)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: testAccJobConfig(appName, fmt.Sprintf(`
  tenant_url         = %q
  notification_email = "iam-alerts@example.com"
  object_mappings = {
    User = {
      attribute_mappings = {
        "userName"    = { source = "userPrincipalName", matching_priority = 1 }
        "active"      = { expression = "Switch([IsSoftDeleted], , \"False\", \"True\", \"True\", \"False\")" }
        "displayName" = { source = "displayName" }
      }
    }
  }
`, tenantURL)),
			ConfigVariables: testAccTokenVariable(token),
			Check: resource.ComposeAggregateTestCheckFunc(
				func(s *terraform.State) error {
					if n := countApps(); n != 1 {
						return fmt.Errorf("%d service principals named %q, want exactly 1", n, appName)
					}
					spID, _ := stateAttr(s, "entra_enterprise_application.test", "service_principal_id")
					if ids := jobIDs(t, spID); len(ids) != 1 {
						return fmt.Errorf("jobs %v, want exactly 1", ids)
					}
					if rc := admin.requestCounts(t); rc.Throttled == 0 {
						return fmt.Errorf("no request was throttled: the fault injection is not active")
					}
					return nil
				},
				checkUserMappings(t, "entra_provisioning_job.test", []string{"userName", "active", "displayName"}, nil),
			),
		}},
	})
}

// TestAccProvisioningJob_storedToken covers secret_token (Terraform < 1.11):
// a new token is validated and sent, and a token removed in the portal
// shows as drift.
func TestAccProvisioningJob_storedToken(t *testing.T) {
	testAccJobProviderSource(t)
	admin := newJobSimAdmin(t)
	tenantURL, token := testAccSCIMTarget("job-stored-token")
	cfg := func(tok string) string {
		return testAccJobTerraformBlock + fmt.Sprintf(`
resource "entra_enterprise_application" "test" {
  display_name = "acc job stored token"
}
resource "entra_provisioning_job" "test" {
  service_principal_id = entra_enterprise_application.test.service_principal_id
  tenant_url           = %q
  secret_token         = %q
}
`, tenantURL, tok)
	}
	var spID string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg(token),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("entra_provisioning_job.test", "secret_token", token),
					checkSimSecrets(t, admin, map[string]string{"SecretToken": token}),
					func(s *terraform.State) error {
						spID, _ = stateAttr(s, "entra_enterprise_application.test", "service_principal_id")
						return nil
					},
				),
			},
			{
				// A wrong replacement token fails Test Connection and changes nothing.
				Config:      cfg("sim-token-someone-else"),
				ExpectError: regexp.MustCompile(`(?s)Test Connection failed`),
			},
			{
				PreConfig: func() {
					pairs, _ := buildSecrets(nil, credentialSettings{TenantURL: tenantURL})
					if err := putSyncSecrets(context.Background(), testAccPortal(t), spID, pairs); err != nil {
						t.Fatalf("portal: clear token: %v", err)
					}
				},
				Config:             cfg(token),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg(token),
				Check:  checkSimSecrets(t, admin, map[string]string{"SecretToken": token, "BaseAddress": tenantURL}),
			},
		},
	})
}
