package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

const testAccJobDataAddr = "data.entra_provisioning_job.test"

func TestAccProvisioningJobDataSource(t *testing.T) {
	testAccPreCheck(t)
	app := testAccCreatePortalApp(t)
	bySP := fmt.Sprintf(`
data "entra_provisioning_job" "test" {
  service_principal_id = %q
}
`, app.ServicePrincipalID)
	byJob := fmt.Sprintf(`
data "entra_provisioning_job" "test" {
  service_principal_id = %q
  job_id               = %q
}
`, app.ServicePrincipalID, app.JobID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A job that never ran: no placeholder values leak through.
				Config: bySP,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccJobDataAddr, "job_id", app.JobID),
					resource.TestCheckResourceAttr(testAccJobDataAddr, "template_id", "scim"),
					resource.TestCheckResourceAttr(testAccJobDataAddr, "schedule_state", "Disabled"),
					resource.TestCheckResourceAttrSet(testAccJobDataAddr, "status_code"),
					resource.TestCheckNoResourceAttr(testAccJobDataAddr, "last_execution.state"),
					resource.TestCheckNoResourceAttr(testAccJobDataAddr, "steady_state_first_achieved"),
					resource.TestCheckResourceAttr(testAccJobDataAddr, "in_steady_state", "false"),
				),
			},
			{
				// Started "in the portal": after the initial cycle the status shows a run.
				PreConfig: func() {
					testAccAssign(t, app.ServicePrincipalID, testAccFirstObjectID(t, "users"))
					if err := testAccGraph(t).Do(testAccContext(t), "POST", jobPath(app.ServicePrincipalID, app.JobID)+"/start", nil, nil); err != nil {
						t.Fatalf("starting the job: %v", err)
					}
					testAccWaitForExecution(t, app)
				},
				Config: byJob,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccJobDataAddr, "schedule_state", "Active"),
					resource.TestMatchResourceAttr(testAccJobDataAddr, "schedule_interval", regexp.MustCompile(`^PT\d+M$`)),
					resource.TestCheckResourceAttr(testAccJobDataAddr, "last_execution.state", "Succeeded"),
					resource.TestMatchResourceAttr(testAccJobDataAddr, "last_execution.began", regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)),
					resource.TestCheckResourceAttr(testAccJobDataAddr, "consecutive_failures", "0"),
					resource.TestCheckNoResourceAttr(testAccJobDataAddr, "quarantine.reason"),
				),
			},
			{
				Config: fmt.Sprintf(`
data "entra_provisioning_job" "test" {
  service_principal_id = %q
  job_id               = "scim.nope"
}`, app.ServicePrincipalID),
				ExpectError: regexp.MustCompile(`(?s)no\s+provisioning\s+job\s+"scim.nope"`),
			},
			{
				// A second job makes "the only job" ambiguous: the error lists both.
				PreConfig: func() {
					if err := testAccGraph(t).Do(testAccContext(t), "POST", servicePrincipalPath(app.ServicePrincipalID)+"/synchronization/jobs",
						map[string]string{"templateId": "scim"}, nil); err != nil {
						t.Fatalf("creating a second job: %v", err)
					}
				},
				Config:      bySP,
				ExpectError: regexp.MustCompile(`(?s)has\s+2\s+provisioning\s+jobs:.*` + regexp.QuoteMeta(app.JobID)),
			},
		},
	})
}

// testAccWaitForExecution waits until the simulator's engine has finished
// the job's first cycle.
func testAccWaitForExecution(t *testing.T, app testAccPortalApp) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		job := testAccJobStatus(t, app.ServicePrincipalID, app.JobID)
		if job.LastExecution != nil && job.LastExecution.State != "" && job.LastExecution.Ended.Valid {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatal("the job's first cycle did not finish within 60 s")
}

// A job whose target rejects the token fails its cycles and is quarantined;
// the data source reports the failure and the quarantine.
func TestAccProvisioningJobDataSource_quarantine(t *testing.T) {
	testAccPreCheck(t)
	app := testAccCreatePortalApp(t)
	ctx, c := testAccContext(t), testAccGraph(t)
	tenantURL, _ := testAccSCIMTarget(app.TargetName)
	wrongToken := map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": tenantURL},
		{"key": "SecretToken", "value": "not-the-target-token"},
	}}
	if err := c.Do(ctx, "PUT", servicePrincipalPath(app.ServicePrincipalID)+"/synchronization/secrets", wrongToken, nil); err != nil {
		t.Fatalf("saving a wrong token: %v", err)
	}
	testAccAssign(t, app.ServicePrincipalID, testAccFirstObjectID(t, "users"))
	if err := c.Do(ctx, "POST", jobPath(app.ServicePrincipalID, app.JobID)+"/start", nil, nil); err != nil {
		t.Fatalf("starting the job: %v", err)
	}
	testAccWaitForQuarantine(t, app)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
data "entra_provisioning_job" "test" {
  service_principal_id = %q
}
`, app.ServicePrincipalID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(testAccJobDataAddr, "status_code", "Quarantine"),
				resource.TestCheckResourceAttr(testAccJobDataAddr, "last_execution.state", "Failed"),
				resource.TestCheckResourceAttrSet(testAccJobDataAddr, "last_execution.error_code"),
				resource.TestCheckResourceAttr(testAccJobDataAddr, "quarantine.reason", "EncounteredQuarantineException"),
				resource.TestMatchResourceAttr(testAccJobDataAddr, "quarantine.next_attempt", regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)),
				resource.TestCheckResourceAttrWith(testAccJobDataAddr, "consecutive_failures", func(v string) error {
					if v == "0" || v == "" {
						return fmt.Errorf("consecutive_failures = %q for a quarantined job", v)
					}
					return nil
				}),
				resource.TestCheckNoResourceAttr(testAccJobDataAddr, "steady_state_first_achieved"),
			),
		}},
	})
}

// testAccWaitForQuarantine pushes the simulated clock forward until the
// engine has quarantined the job.
func testAccWaitForQuarantine(t *testing.T, app testAccPortalApp) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if job := testAccJobStatus(t, app.ServicePrincipalID, app.JobID); job.Code == "Quarantine" {
			return
		}
		if err := testAccEnv.Admin.Advance(41 * time.Minute); err != nil {
			t.Fatalf("advancing the simulated clock: %v", err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatal("the job was not quarantined within 90 s")
}

// testAccJobStatus reads a job's status as the data source decodes it.
func testAccJobStatus(t *testing.T, spID, jobID string) *jobstatus.Job {
	t.Helper()
	raw, err := portalAPI(testAccGraph(t)).FindJobJSON(testAccContext(t), spID, jobID)
	if err == nil {
		var job *jobstatus.Job
		if job, err = jobstatus.Parse(raw, jobstatus.Strict()); err == nil {
			return job
		}
	}
	t.Fatalf("reading job: %v", err)
	return nil
}
