package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const testAccOnDemandAddr = "entra_provisioning_on_demand.test"

func testAccOnDemandConfig(app testAccPortalApp, assignedUser, otherUser, trigger string) string {
	return fmt.Sprintf(`
resource "entra_provisioning_on_demand" "test" {
  service_principal_id = %q
  job_id               = %q
  subjects = [
    { object_id = %q, object_type = "User" },
    { object_id = %q, object_type = "User" },
  ]
  triggers = { run = %q }
}
`, app.ServicePrincipalID, app.JobID, assignedUser, otherUser, trigger)
}

func testAccSeededUsers(t *testing.T, n int) []string {
	t.Helper()
	var page struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	if err := testAccGet(t, fmt.Sprintf("/users?$top=%d", n), &page); err != nil || len(page.Value) < n {
		t.Fatalf("listing %d seeded users: %v (%d found)", n, err, len(page.Value))
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = page.Value[i].ID
	}
	return ids
}

func TestAccProvisioningOnDemand(t *testing.T) {
	testAccPreCheck(t)
	app := testAccCreatePortalApp(t)
	users := testAccSeededUsers(t, 2)
	testAccAssign(t, app.ServicePrincipalID, users[0]) // users[1] stays unassigned: out of scope
	var firstRun string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccOnDemandConfig(app, users[0], users[1], "1"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.#", "2"),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.0.object_id", users[0]),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.0.object_type", "User"),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.0.status", "Success"),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.0.action", "Create"),
					resource.TestCheckNoResourceAttr(testAccOnDemandAddr, "results.0.error_code"),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.1.object_id", users[1]),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.1.status", "Skipped"),
					resource.TestCheckResourceAttrSet(testAccOnDemandAddr, "results.1.error_code"),
					func(s *terraform.State) error {
						firstRun = s.RootModule().Resources[testAccOnDemandAddr].Primary.ID
						return nil
					},
				),
			},
			{
				// Nothing changed: nothing runs.
				Config:   testAccOnDemandConfig(app, users[0], users[1], "1"),
				PlanOnly: true,
			},
			{
				// A new trigger value runs it again; the user now exists in the target.
				Config: testAccOnDemandConfig(app, users[0], users[1], "2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccOnDemandAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrWith(testAccOnDemandAddr, "id", func(id string) error {
						if id == firstRun {
							return fmt.Errorf("on-demand run was not repeated after a trigger change")
						}
						return nil
					}),
					resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.0.object_id", users[0]),
					resource.TestMatchResourceAttr(testAccOnDemandAddr, "results.0.status", regexp.MustCompile(`^(Success|Skipped)$`)),
				),
			},
		},
	})
}

func TestAccProvisioningOnDemand_errors(t *testing.T) {
	testAccPreCheck(t)
	app := testAccCreatePortalApp(t)
	users := testAccSeededUsers(t, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
resource "entra_provisioning_on_demand" "test" {
  service_principal_id = %q
  job_id               = "scim.does.not.exist"
  subjects             = [{ object_id = %q, object_type = "User" }]
}`, app.ServicePrincipalID, users[0]),
				ExpectError: regexp.MustCompile(`(?s)no\s+provisioning\s+job\s+"scim.does.not.exist"`),
			},
			{
				Config: fmt.Sprintf(`
resource "entra_provisioning_on_demand" "test" {
  service_principal_id = %q
  job_id               = %q
  subjects             = [{ object_id = %q, object_type = "Device" }]
}`, app.ServicePrincipalID, app.JobID, users[0]),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)object_type.*value\s+must\s+be\s+one\s+of`),
			},
			{
				Config: fmt.Sprintf(`
resource "entra_provisioning_on_demand" "test" {
  service_principal_id = %q
  job_id               = %q
  subjects             = []
}`, app.ServicePrincipalID, app.JobID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)subjects.*at\s+least\s+1`),
			},
			{
				Config: fmt.Sprintf(`
resource "entra_provisioning_on_demand" "test" {
  service_principal_id = %q
  job_id               = %q
  subjects             = [{ object_id = %q, object_type = "User" }]
}`, app.ServicePrincipalID, app.JobID, users[0]),
				ResourceName:  testAccOnDemandAddr,
				ImportState:   true,
				ImportStateId: "anything",
				ExpectError:   regexp.MustCompile(`(?s)cannot\s+be\s+imported.*action`),
			},
		},
	})
}

// Seven subjects exceed Graph's 5 on-demand requests per 10 seconds: the
// graph layer waits out the 429s and every subject still gets its result.
func TestAccProvisioningOnDemand_rateLimit(t *testing.T) {
	testAccPreCheck(t)
	app := testAccCreatePortalApp(t)
	users := testAccSeededUsers(t, 7)
	subjects := ""
	for _, u := range users {
		testAccAssign(t, app.ServicePrincipalID, u)
		subjects += fmt.Sprintf("    { object_id = %q, object_type = \"User\" },\n", u)
	}
	checks := []resource.TestCheckFunc{resource.TestCheckResourceAttr(testAccOnDemandAddr, "results.#", "7")}
	for i, u := range users {
		checks = append(checks,
			resource.TestCheckResourceAttr(testAccOnDemandAddr, fmt.Sprintf("results.%d.object_id", i), u),
			resource.TestCheckResourceAttr(testAccOnDemandAddr, fmt.Sprintf("results.%d.status", i), "Success"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "entra_provisioning_on_demand" "test" {
  service_principal_id = %q
  job_id               = %q
  subjects = [
%s  ]
}
`, app.ServicePrincipalID, app.JobID, subjects),
			Check: resource.ComposeAggregateTestCheckFunc(checks...),
		}},
	})
}
