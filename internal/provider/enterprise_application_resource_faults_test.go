package provider

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// With 20 % throttling, 2 s replication lag and instantiate answering 404
// half the time, an application with an assignment still applies and
// destroys cleanly: exactly one application, no placeholder-named orphans,
// nothing left behind.
func TestAccEnterpriseApplication_faultsConverge(t *testing.T) {
	testAccPreCheck(t)
	name := testAccName("faults")
	userID := testAccFirstObjectID(t, "users")
	testAccSetFaults(t, "throttle=0.2,retry-after=1s,lag=2s,instantiate404=0.5")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := testAccCheckAssignmentGone(t)(s); err != nil {
				return err
			}
			if err := testAccCheckEnterpriseAppGone(t)(s); err != nil {
				return err
			}
			if n := testAccCountApplicationsNamed(t, name); n != 0 {
				return fmt.Errorf("%d applications named %q remain after destroy", n, name)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: testAccAssignmentConfig(name, userID, `app_role = "User"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckServicePrincipal(t, name, true),
					testAccCheckAssignmentInSimulator(t, testAccUserRoleID, userID),
				),
			},
		},
	})
}

// TestAccEnterpriseApplication_requestCounts records how many Graph requests
// creating and refreshing an enterprise application with one assignment
// costs on a fast Graph, and keeps them from regressing.
func TestAccEnterpriseApplication_requestCounts(t *testing.T) {
	testAccPreCheck(t)
	name := testAccName("count")
	config := testAccEnterpriseAppConfig(name, false) + fmt.Sprintf(`
resource "entra_app_role_assignment" "test" {
  service_principal_id = entra_enterprise_application.test.service_principal_id
  principal_id         = %q
  app_role             = "User"
}
`, testAccFirstObjectID(t, "users"))
	var create, refresh graphsim.RequestCounts
	snapshot := func(into *graphsim.RequestCounts) {
		c, err := testAccEnv.Admin.RequestCounts()
		if err != nil {
			t.Fatalf("reading request counts: %v", err)
		}
		*into = c
	}
	reset := func() {
		if err := testAccEnv.Admin.ResetRequests(); err != nil {
			t.Fatalf("resetting request counts: %v", err)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{
			{
				PreConfig: reset,
				Config:    config,
				Check: func(*terraform.State) error {
					snapshot(&create)
					return nil
				},
			},
			{
				PreConfig: reset,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() { snapshot(&refresh) },
				Config:    config,
				PlanOnly:  true,
			},
		},
	})
	t.Logf("create: %d Graph requests %s", create.Total, routeSummary(create))
	t.Logf("plan-only step (refreshes): %d Graph requests %s", refresh.Total, routeSummary(refresh))
	// App: instantiate, confirm the service principal is visible, PATCH the
	// application, PATCH the service principal (name and assignment-required
	// together). Assignment: read the roles, POST, confirm visible.
	if create.Total > 7 {
		t.Errorf("create took %d Graph requests, want at most 7", create.Total)
	}
	// A refresh reads each object once and nothing else.
	want := map[string]int{"GET /v1.0/servicePrincipals/{id}": 1, "GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}": 1}
	if refresh.Total != 2 || refresh.Routes["GET /v1.0/servicePrincipals/{id}"] != 1 {
		t.Errorf("refresh made %d requests %s, want %v", refresh.Total, routeSummary(refresh), want)
	}
}

func routeSummary(c graphsim.RequestCounts) string {
	parts := make([]string, 0, len(c.Routes))
	for r, n := range c.Routes {
		parts = append(parts, fmt.Sprintf("%s×%d", r, n))
	}
	sort.Strings(parts)
	return "[" + strings.Join(parts, ", ") + "]"
}
