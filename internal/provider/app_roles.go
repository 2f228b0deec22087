package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// appRoleIDs maps each enabled role's display name to its id (the
// enterprise application's app_role_ids).
func appRoleIDs(roles []entra.AppRole) map[string]string {
	m := make(map[string]string, len(roles))
	for _, r := range roles {
		if r.DisplayName != "" {
			m[r.DisplayName] = r.ID
		}
	}
	return m
}

// resolveAppRole finds a role by display name or value (case-insensitive),
// or by id. ok is false when nothing matches.
func resolveAppRole(roles []entra.AppRole, want string) (entra.AppRole, bool) {
	for _, r := range roles {
		if strings.EqualFold(r.ID, want) {
			return r, true
		}
	}
	for _, r := range roles {
		if strings.EqualFold(r.DisplayName, want) || (r.Value != nil && *r.Value != "" && strings.EqualFold(*r.Value, want)) {
			return r, true
		}
	}
	return entra.AppRole{}, false
}

// describeAppRoles lists roles for error messages: "User" (id …), ….
func describeAppRoles(roles []entra.AppRole) string {
	if len(roles) == 0 {
		return "the application declares no app roles (assign with app_role_id = \"00000000-0000-0000-0000-000000000000\", the default access role)"
	}
	parts := make([]string, 0, len(roles))
	for _, r := range roles {
		s := fmt.Sprintf("%q (id %s", r.DisplayName, r.ID)
		if r.Value != nil && *r.Value != "" {
			s += fmt.Sprintf(", value %q", *r.Value)
		}
		if !r.IsEnabled {
			s += ", disabled"
		}
		parts = append(parts, s+")")
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
