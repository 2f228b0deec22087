package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const testAccAssignmentAddr = "entra_app_role_assignment.test"

func testAccAssignmentConfig(appName, principalID, roleAttr string) string {
	return fmt.Sprintf(`
resource "entra_enterprise_application" "test" {
  display_name = %q
}

resource "entra_app_role_assignment" "test" {
  service_principal_id = entra_enterprise_application.test.service_principal_id
  principal_id         = %q
  %s
}
`, appName, principalID, roleAttr)
}

func testAccCheckAssignmentGone(t *testing.T) func(*terraform.State) error {
	return testAccCheckGone(t, "entra_app_role_assignment", func(rs *terraform.ResourceState) string {
		return assignmentPath(rs.Primary.Attributes["service_principal_id"], rs.Primary.ID)
	})
}

// testAccCheckAssignmentInSimulator verifies the assignment as Graph has it.
func testAccCheckAssignmentInSimulator(t *testing.T, wantRoleID, wantPrincipal string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[testAccAssignmentAddr]
		a, err := portalAPI(testAccGraph(t)).FindAppRoleAssignment(testAccContext(t), rs.Primary.Attributes["service_principal_id"], rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading the assignment from the simulator: %w", err)
		}
		if a.AppRoleID != wantRoleID || a.PrincipalID != wantPrincipal {
			return fmt.Errorf("simulator assignment has role %s principal %s; want %s, %s", a.AppRoleID, a.PrincipalID, wantRoleID, wantPrincipal)
		}
		return nil
	}
}

func TestAccAppRoleAssignment_lifecycle(t *testing.T) {
	testAccPreCheck(t)
	appName := testAccName("assign")
	userID := testAccFirstObjectID(t, "users")
	groupID := testAccFirstObjectID(t, "groups")
	var firstID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := testAccCheckAssignmentGone(t)(s); err != nil {
				return err
			}
			return testAccCheckEnterpriseAppGone(t)(s)
		},
		Steps: []resource.TestStep{
			{
				// The role by display name, resolved while the app is created.
				Config: testAccAssignmentConfig(appName, userID, `app_role = "user"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccAssignmentAddr, "app_role_id", testAccUserRoleID),
					resource.TestCheckResourceAttr(testAccAssignmentAddr, "principal_type", "User"),
					resource.TestCheckResourceAttrSet(testAccAssignmentAddr, "principal_display_name"),
					testAccCheckAssignmentInSimulator(t, testAccUserRoleID, userID),
					func(s *terraform.State) error {
						firstID = s.RootModule().Resources[testAccAssignmentAddr].Primary.ID
						return nil
					},
				),
			},
			{
				ResourceName:      testAccAssignmentAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					rs := s.RootModule().Resources[testAccAssignmentAddr]
					return rs.Primary.Attributes["service_principal_id"] + "/" + rs.Primary.ID, nil
				},
				// Import cannot know whether the configuration names the role or its id.
				ImportStateVerifyIgnore: []string{"app_role"},
			},
			{
				// Naming the same role by id is not a change.
				Config: testAccAssignmentConfig(appName, userID, fmt.Sprintf("app_role_id = %q", testAccUserRoleID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccAssignmentAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.TestCheckResourceAttrWith(testAccAssignmentAddr, "id", func(id string) error {
					if id != firstID {
						return fmt.Errorf("assignment was recreated (%s → %s) although the role did not change", firstID, id)
					}
					return nil
				}),
			},
			{
				// Another role and a group: the assignment is replaced.
				Config: testAccAssignmentConfig(appName, groupID, `app_role = "msiam_access"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testAccAssignmentAddr, plancheck.ResourceActionDestroyBeforeCreate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccAssignmentAddr, "app_role_id", testAccMsiamRoleID),
					resource.TestCheckResourceAttr(testAccAssignmentAddr, "principal_type", "Group"),
					testAccCheckAssignmentInSimulator(t, testAccMsiamRoleID, groupID),
				),
			},
			{
				// Removed in the portal: the next plan recreates it.
				PreConfig: func() {
					var page struct {
						Value []entra.AppRoleAssignment `json:"value"`
					}
					sps, err := findServicePrincipalsByName(t, appName)
					if err != nil || len(sps) != 1 {
						t.Fatalf("finding %q: %v", appName, err)
					}
					if err := testAccGet(t, servicePrincipalPath(sps[0].ID)+"/appRoleAssignedTo", &page); err != nil || len(page.Value) != 1 {
						t.Fatalf("listing assignments: %v (%d found, want 1)", err, len(page.Value))
					}
					testAccPortalDelete(t, assignmentPath(sps[0].ID, page.Value[0].ID))
				},
				Config:             testAccAssignmentConfig(appName, groupID, `app_role = "msiam_access"`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// With the application already known, an unknown role fails the plan and
// lists the roles the application has.
func TestAccAppRoleAssignment_unknownRoleIsPlanError(t *testing.T) {
	testAccPreCheck(t)
	appName := testAccName("assign-bad")
	userID := testAccFirstObjectID(t, "users")
	appOnly := fmt.Sprintf(`
resource "entra_enterprise_application" "test" {
  display_name = %q
}
`, appName)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{
			{Config: appOnly},
			{
				Config:      testAccAssignmentConfig(appName, userID, `app_role = "Administrator"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown\s+app\s+role.*no\s+app\s+role\s+named\s+"Administrator".*"User"\s+\(id\s+18d14569.*"msiam_access"`),
			},
		},
	})
}

// When the application is created in the same apply, the unknown role is
// reported by apply, again with the list of roles.
func TestAccAppRoleAssignment_unknownRoleAtApply(t *testing.T) {
	testAccPreCheck(t)
	userID := testAccFirstObjectID(t, "users")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{
			{
				Config:      testAccAssignmentConfig(testAccName("assign-bad2"), userID, `app_role = "Administrator"`),
				ExpectError: regexp.MustCompile(`(?s)no\s+app\s+role\s+named\s+"Administrator".*"User"`),
			},
		},
	})
}

func TestAccAppRoleAssignment_badInput(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "entra_app_role_assignment" "test" {
  service_principal_id = "00000000-0000-0000-0000-000000000001"
  principal_id         = "00000000-0000-0000-0000-000000000002"
  app_role             = "User"
  app_role_id          = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)app_role.*app_role_id`),
			},
			{
				Config: `
resource "entra_app_role_assignment" "test" {
  service_principal_id = "00000000-0000-0000-0000-000000000001"
  principal_id         = "alice@example.com"
  app_role_id          = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)principal_id.*must\s+be\s+a\s+GUID`),
			},
			{
				Config: `
resource "entra_app_role_assignment" "test" {
  service_principal_id = "00000000-0000-0000-0000-000000000001"
  principal_id         = "00000000-0000-0000-0000-000000000002"
  app_role_id          = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
}`,
				ResourceName:  testAccAssignmentAddr,
				ImportState:   true,
				ImportStateId: "just-an-assignment-id",
				ExpectError:   regexp.MustCompile(`(?s)is\s+not\s+of\s+the\s+form\s+<service_principal_id>/<assignment_id>`),
			},
		},
	})
}
