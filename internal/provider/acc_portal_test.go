package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// Helpers that act on the simulator directly, as an administrator clicking
// in the portal would, and read it to verify what Terraform did. They use
// the simulator's full-permission client, never the provider under test.

// testAccGraph is the direct ("portal") Graph client.
func testAccGraph(t *testing.T) *graph.Client {
	t.Helper()
	if testAccPortalClient == nil {
		t.Fatal("the simulator harness provides no Graph client: run with TF_ACC=1")
	}
	return testAccPortalClient
}

// testAccName returns a unique display name for objects a test creates.
func testAccName(what string) string {
	return fmt.Sprintf("tf-acc-%s-%s", what, acctest.RandString(8))
}

// testAccPortalPatch PATCHes an object as an administrator would.
func testAccPortalPatch(t *testing.T, path string, body map[string]any) {
	t.Helper()
	if err := testAccGraph(t).Do(testAccContext(t), "PATCH", path, body, nil); err != nil {
		t.Fatalf("portal change PATCH %s: %v", path, err)
	}
}

// testAccPortalDelete DELETEs an object as an administrator would.
func testAccPortalDelete(t *testing.T, path string) {
	t.Helper()
	if err := testAccGraph(t).Do(testAccContext(t), "DELETE", path, nil, nil); err != nil {
		t.Fatalf("portal change DELETE %s: %v", path, err)
	}
}

// testAccGet reads a Graph path into out; a 404 is returned as an error.
func testAccGet(t *testing.T, path string, out any) error {
	t.Helper()
	return testAccGraph(t).Do(testAccContext(t), "GET", path, nil, out)
}

// testAccFirstObjectID returns the id of the first seeded user or group.
func testAccFirstObjectID(t *testing.T, collection string) string {
	t.Helper()
	var page struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	if err := testAccGet(t, "/"+collection+"?$top=2", &page); err != nil {
		t.Fatalf("listing seeded %s: %v", collection, err)
	}
	if len(page.Value) == 0 {
		t.Fatalf("the simulator has no seeded %s", collection)
	}
	return page.Value[0].ID
}

// testAccCountApplicationsNamed counts live applications with a display name.
func testAccCountApplicationsNamed(t *testing.T, name string) int {
	t.Helper()
	apps, err := findApplicationsByFilter(testAccContext(t), testAccGraph(t), fmt.Sprintf("displayName eq '%s'", odataString(name)))
	if err != nil {
		t.Fatalf("listing applications named %q: %v", name, err)
	}
	return len(apps)
}

// testAccCountTemporaryApplications counts applications still carrying the
// instantiate placeholder name: any is an orphan of a failed create.
func testAccCountTemporaryApplications(t *testing.T) int {
	t.Helper()
	n := 0
	err := testAccGraph(t).GetAll(testAccContext(t), "/applications", func(raw json.RawMessage) error {
		var a entra.Application
		if err := json.Unmarshal(raw, &a); err != nil {
			return err
		}
		if strings.HasPrefix(a.DisplayName, instantiateNamePrefix) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("listing applications: %v", err)
	}
	return n
}

// testAccSetFaults changes the shared simulator's faults and restores "none"
// when the test ends.
func testAccSetFaults(t *testing.T, spec string) {
	t.Helper()
	if err := testAccEnv.Admin.SetFaults(spec); err != nil {
		t.Fatalf("setting simulator faults %q: %v", spec, err)
	}
	t.Cleanup(func() {
		if err := testAccEnv.Admin.SetFaults(""); err != nil {
			t.Errorf("restoring simulator faults: %v", err)
		}
	})
}

// testAccCheckGone returns a CheckDestroy that verifies, in the simulator,
// that every resource of the given type is gone (pathOf maps its state to
// the Graph path that must answer 404).
func testAccCheckGone(t *testing.T, resourceType string, pathOf func(*terraform.ResourceState) string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != resourceType {
				continue
			}
			p := pathOf(rs)
			err := testAccGraph(t).Do(testAccContext(t), "GET", p, nil, nil)
			if err == nil {
				return fmt.Errorf("%s %s still exists in the simulator (GET %s answered 200)", resourceType, rs.Primary.ID, p)
			}
			if !graph.IsNotFound(err) {
				return fmt.Errorf("checking %s %s is gone: %w", resourceType, rs.Primary.ID, err)
			}
		}
		return nil
	}
}

// testAccProviderBlock returns a provider block that authenticates as the
// given client of the simulator (for least-privilege tests).
func testAccProviderBlock(clientID, clientSecret string) string {
	return fmt.Sprintf(`
provider "entra" {
  client_id     = %q
  client_secret = %q
}
`, clientID, clientSecret)
}

// testAccReadOnlyProvider authenticates as the simulator's read-only client.
func testAccReadOnlyProvider() string {
	return testAccProviderBlock(testAccEnv.Ready.ReadOnlyClientID, testAccEnv.Ready.ReadOnlyClientSecret)
}

// Well-known simulator identifiers used in assertions.
const (
	testAccCustomTemplateID = graphsim.CustomAppTemplateID
	testAccUserRoleID       = graphsim.UserRoleID
	testAccMsiamRoleID      = graphsim.MsiamAccessRoleID
)

// testAccPortalApp is an enterprise application with a provisioning job,
// set up directly in the simulator (as if configured in the portal) so that
// tests of on-demand provisioning and the job data source do not depend on
// the entra_provisioning_job resource.
type testAccPortalApp struct {
	ServicePrincipalID string
	ApplicationID      string
	JobID              string
	TargetName         string
}

// testAccCreatePortalApp instantiates the custom template, creates a "scim"
// job and saves credentials for one of the simulator's SCIM targets. The
// application is deleted when the test ends.
func testAccCreatePortalApp(t *testing.T) testAccPortalApp {
	t.Helper()
	ctx, c := testAccContext(t), testAccGraph(t)
	app, sp, err := instantiateTemplate(ctx, portalAPI(c), testAccCustomTemplateID)
	if err != nil {
		t.Fatalf("instantiating the custom template: %v", err)
	}
	t.Cleanup(func() {
		// t.Context() is already cancelled when cleanups run.
		if err := c.Do(context.Background(), "DELETE", applicationPath(app.ID), nil, nil); err != nil && !graph.IsNotFound(err) {
			t.Errorf("deleting test application %s: %v", app.ID, err)
		}
	})
	name := testAccName("portal")
	testAccPortalPatch(t, applicationPath(app.ID), map[string]any{"displayName": name})
	testAccPortalPatch(t, servicePrincipalPath(sp.ID), map[string]any{"displayName": name})

	var job struct {
		ID string `json:"id"`
	}
	if err := retryNotFoundAfterCreate(ctx, func() error {
		return c.Do(ctx, "POST", servicePrincipalPath(sp.ID)+"/synchronization/jobs", map[string]string{"templateId": "scim"}, &job)
	}); err != nil {
		t.Fatalf("creating the provisioning job: %v", err)
	}
	target := acctestTargetName()
	tenantURL, token := testAccSCIMTarget(target)
	secrets := map[string]any{"value": []map[string]string{
		{"key": "BaseAddress", "value": tenantURL},
		{"key": "SecretToken", "value": token},
	}}
	if err := c.Do(ctx, "PUT", servicePrincipalPath(sp.ID)+"/synchronization/secrets", secrets, nil); err != nil {
		t.Fatalf("saving provisioning credentials: %v", err)
	}
	return testAccPortalApp{ServicePrincipalID: sp.ID, ApplicationID: app.ID, JobID: job.ID, TargetName: target}
}

// acctestTargetName names a fresh SCIM target so tests do not share data.
func acctestTargetName() string {
	return "acc" + strings.ToLower(acctest.RandString(10))
}

// testAccAssign assigns a principal to the app in the User role.
func testAccAssign(t *testing.T, spID, principalID string) {
	t.Helper()
	ctx, c := testAccContext(t), testAccGraph(t)
	body := map[string]string{"principalId": principalID, "resourceId": spID, "appRoleId": testAccUserRoleID}
	if err := retryAssignmentWrite(ctx, func() error {
		return c.Do(ctx, "POST", servicePrincipalPath(spID)+"/appRoleAssignedTo", body, nil)
	}); err != nil {
		t.Fatalf("assigning %s: %v", principalID, err)
	}
}
