package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const testAccEnterpriseAppAddr = "entra_enterprise_application.test"

func testAccEnterpriseAppConfig(name string, required bool) string {
	return fmt.Sprintf(`
resource "entra_enterprise_application" "test" {
  display_name                 = %q
  app_role_assignment_required = %t
}
`, name, required)
}

// testAccCheckEnterpriseAppGone verifies in the simulator that both the
// service principal and the application are gone.
func testAccCheckEnterpriseAppGone(t *testing.T) func(*terraform.State) error {
	spGone := testAccCheckGone(t, "entra_enterprise_application", func(rs *terraform.ResourceState) string {
		return servicePrincipalPath(rs.Primary.ID)
	})
	appGone := testAccCheckGone(t, "entra_enterprise_application", func(rs *terraform.ResourceState) string {
		return applicationPath(rs.Primary.Attributes["application_object_id"])
	})
	return func(s *terraform.State) error {
		if err := spGone(s); err != nil {
			return err
		}
		return appGone(s)
	}
}

// testAccCheckServicePrincipal checks the simulator's view of the app.
func testAccCheckServicePrincipal(t *testing.T, wantName string, wantRequired bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[testAccEnterpriseAppAddr]
		if !ok {
			return fmt.Errorf("%s not in state", testAccEnterpriseAppAddr)
		}
		var sp entra.ServicePrincipal
		if err := testAccGet(t, servicePrincipalPath(rs.Primary.ID), &sp); err != nil {
			return fmt.Errorf("reading the service principal from the simulator: %w", err)
		}
		if sp.DisplayName != wantName || sp.AppRoleAssignmentRequired != wantRequired {
			return fmt.Errorf("simulator has displayName %q, appRoleAssignmentRequired %t; want %q, %t", sp.DisplayName, sp.AppRoleAssignmentRequired, wantName, wantRequired)
		}
		var app entra.Application
		if err := testAccGet(t, applicationPath(rs.Primary.Attributes["application_object_id"]), &app); err != nil {
			return fmt.Errorf("reading the application from the simulator: %w", err)
		}
		if app.DisplayName != wantName || app.AppID != sp.AppID {
			return fmt.Errorf("application has displayName %q appId %s; want %q and the service principal's appId %s", app.DisplayName, app.AppID, wantName, sp.AppID)
		}
		if n := testAccCountApplicationsNamed(t, wantName); n != 1 {
			return fmt.Errorf("%d applications are named %q, want exactly 1", n, wantName)
		}
		if n := testAccCountTemporaryApplications(t); n != 0 {
			return fmt.Errorf("%d applications still carry the %s placeholder name", n, instantiateNamePrefix)
		}
		return nil
	}
}

func TestAccEnterpriseApplication_lifecycle(t *testing.T) {
	name, renamed := testAccName("app"), testAccName("app-renamed")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{
			{
				Config: testAccEnterpriseAppConfig(name, true),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "display_name", name),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "template_id", testAccCustomTemplateID),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "app_role_assignment_required", "true"),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "permanently_delete_on_destroy", "false"),
					resource.TestCheckResourceAttrPair(testAccEnterpriseAppAddr, "id", testAccEnterpriseAppAddr, "service_principal_id"),
					resource.TestMatchResourceAttr(testAccEnterpriseAppAddr, "application_object_id", uuidPattern),
					resource.TestMatchResourceAttr(testAccEnterpriseAppAddr, "client_id", uuidPattern),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "app_role_ids.User", testAccUserRoleID),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "app_role_ids.msiam_access", testAccMsiamRoleID),
					testAccCheckServicePrincipal(t, name, true),
				),
			},
			{
				ResourceName:            testAccEnterpriseAppAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"permanently_delete_on_destroy"},
			},
			{
				Config: testAccEnterpriseAppConfig(renamed, false),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "display_name", renamed),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "app_role_assignment_required", "false"),
					testAccCheckServicePrincipal(t, renamed, false),
				),
			},
			{
				// An administrator renames the app and turns assignment back on in the portal.
				PreConfig: func() {
					sps, err := findServicePrincipalsByName(t, renamed)
					if err != nil || len(sps) != 1 {
						t.Fatalf("finding the service principal named %q: %v (%d found)", renamed, err, len(sps))
					}
					testAccPortalPatch(t, servicePrincipalPath(sps[0].ID), map[string]any{"displayName": "renamed in the portal", "appRoleAssignmentRequired": true})
				},
				Config:             testAccEnterpriseAppConfig(renamed, false),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// The next apply puts the configuration back.
				Config: testAccEnterpriseAppConfig(renamed, false),
				Check:  testAccCheckServicePrincipal(t, renamed, false),
			},
		},
	})
}

// findServicePrincipalsByName lists service principals with a display name.
func findServicePrincipalsByName(t *testing.T, name string) ([]entra.ServicePrincipal, error) {
	var page struct {
		Value []entra.ServicePrincipal `json:"value"`
	}
	err := testAccGet(t, "/servicePrincipals?$filter="+queryEscape(fmt.Sprintf("displayName eq '%s'", odataString(name))), &page)
	return page.Value, err
}

func TestAccEnterpriseApplication_deletedOutsideTerraform(t *testing.T) {
	name := testAccName("app-deleted")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{
			{Config: testAccEnterpriseAppConfig(name, true)},
			{
				PreConfig: func() {
					apps, err := findApplicationsByFilter(testAccContext(t), testAccGraph(t), fmt.Sprintf("displayName eq '%s'", name))
					if err != nil || len(apps) != 1 {
						t.Fatalf("finding application %q: %v (%d found)", name, err, len(apps))
					}
					testAccPortalDelete(t, applicationPath(apps[0].ID))
				},
				Config:             testAccEnterpriseAppConfig(name, true),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccEnterpriseApplication_galleryTemplatePermanentDelete(t *testing.T) {
	name := testAccName("gallery")
	var appObjectID string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := testAccCheckEnterpriseAppGone(t)(s); err != nil {
				return err
			}
			// Purged: not even restorable from deleted items.
			err := testAccGet(t, "/directory/deletedItems/"+appObjectID, nil)
			if err == nil {
				return fmt.Errorf("application %s is still in deleted items after permanently_delete_on_destroy", appObjectID)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
data "entra_application_template" "mypolicies" {
  display_name = "MYPOLICIES"
}

resource "entra_enterprise_application" "test" {
  display_name                  = %q
  template_id                   = data.entra_application_template.mypolicies.id
  permanently_delete_on_destroy = true
}
`, name),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPair(testAccEnterpriseAppAddr, "template_id", "data.entra_application_template.mypolicies", "id"),
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "app_role_assignment_required", "true"),
					func(s *terraform.State) error {
						appObjectID = s.RootModule().Resources[testAccEnterpriseAppAddr].Primary.Attributes["application_object_id"]
						return nil
					},
				),
			},
		},
	})
}

// Instantiate answers 404 although it created the objects (a documented
// Entra quirk): the provider must find them and create nothing twice.
func TestAccEnterpriseApplication_instantiate404CreatesOnlyOneApp(t *testing.T) {
	name := testAccName("app-404")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); testAccSetFaults(t, "instantiate404=1,lag=2s") },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{
			{
				Config: testAccEnterpriseAppConfig(name, true),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(testAccEnterpriseAppAddr, "display_name", name),
					testAccCheckServicePrincipal(t, name, true),
				),
			},
		},
	})
}

func TestAccEnterpriseApplication_readOnlyIdentityNamesPermission(t *testing.T) {
	testAccPreCheck(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccReadOnlyProvider() + testAccEnterpriseAppConfig(testAccName("denied"), true),
				ExpectError: regexp.MustCompile(`(?s)403.*Application\.ReadWrite\.OwnedBy`),
			},
		},
	})
}

func TestAccEnterpriseApplication_badInput(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
resource "entra_enterprise_application" "test" {
  display_name = "x"
  template_id  = "not-a-guid"
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)template_id.*must\s+be\s+a\s+GUID`),
			},
			{
				Config: `
resource "entra_enterprise_application" "test" {
  display_name = ""
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)display_name.*length`),
			},
			{
				Config:        `resource "entra_enterprise_application" "test" { display_name = "x" }`,
				ResourceName:  testAccEnterpriseAppAddr,
				ImportState:   true,
				ImportStateId: "my-app",
				ExpectError:   regexp.MustCompile(`(?s)"my-app"\s+is\s+not\s+a\s+service\s+principal\s+object\s+id`),
			},
		},
	})
}
