package graphsim_test

import (
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// hasMembersWithLicenseErrors is a select-only property Graph filters on;
// licenses are not modelled, so every group has the value false.
func TestGroupFilterHasMembersWithLicenseErrors(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 2, Groups: 3})
	all := values(t, mustGraph(t, env, 200, "GET", "/groups", nil))
	if n := len(values(t, mustGraph(t, env, 200, "GET", "/groups?$filter=hasMembersWithLicenseErrors%20eq%20true", nil))); n != 0 {
		t.Fatalf("eq true: %d groups, want 0", n)
	}
	if n := len(values(t, mustGraph(t, env, 200, "GET", "/groups?$filter=hasMembersWithLicenseErrors%20eq%20false", nil))); n != len(all) || n == 0 {
		t.Fatalf("eq false: %d groups, want all %d", n, len(all))
	}
	// The property stays select-only: a default GET does not carry it.
	if _, ok := all[0]["hasMembersWithLicenseErrors"]; ok {
		t.Fatalf("default GET carries hasMembersWithLicenseErrors: %v", all[0])
	}
	// An undeclared property is still refused.
	if status, _ := env.Graph(t, "GET", "/groups?$filter=noSuchProperty%20eq%20true", nil); status != 400 {
		t.Fatalf("unknown property in $filter: %d, want 400", status)
	}
}
