package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// The directory calls below use raw JSON (Client.Do) and decode only the
// fields the provider models; nothing is written back from these structs,
// so unknown fields cannot be lost.

type appRoleJSON struct {
	ID                 string   `json:"id"`
	DisplayName        string   `json:"displayName"`
	Value              *string  `json:"value"`
	IsEnabled          bool     `json:"isEnabled"`
	AllowedMemberTypes []string `json:"allowedMemberTypes"`
}

type servicePrincipalJSON struct {
	ID                        string        `json:"id"`
	AppID                     string        `json:"appId"`
	DisplayName               string        `json:"displayName"`
	AppRoleAssignmentRequired bool          `json:"appRoleAssignmentRequired"`
	ApplicationTemplateID     *string       `json:"applicationTemplateId"`
	AppRoles                  []appRoleJSON `json:"appRoles"`
}

type applicationJSON struct {
	ID          string `json:"id"`
	AppID       string `json:"appId"`
	DisplayName string `json:"displayName"`
}

type applicationServicePrincipalJSON struct {
	Application      *applicationJSON      `json:"application"`
	ServicePrincipal *servicePrincipalJSON `json:"servicePrincipal"`
}

func servicePrincipalPath(id string) string { return "/servicePrincipals/" + url.PathEscape(id) }
func applicationPath(id string) string      { return "/applications/" + url.PathEscape(id) }

// findServicePrincipalByID reads a service principal; a deleted one answers 404.
func findServicePrincipalByID(ctx context.Context, c *graph.Client, id string) (*servicePrincipalJSON, error) {
	var sp servicePrincipalJSON
	if err := c.Do(ctx, "GET", servicePrincipalPath(id), nil, &sp); err != nil {
		return nil, err
	}
	return &sp, nil
}

// findApplicationsByFilter lists applications matching an OData filter.
func findApplicationsByFilter(ctx context.Context, c *graph.Client, filter string) ([]applicationJSON, error) {
	var out []applicationJSON
	err := c.GetAll(ctx, "/applications?$filter="+queryEscape(filter), func(raw json.RawMessage) error {
		var a applicationJSON
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("decoding an application: %w", err)
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// findApplicationByAppID returns the application object behind a service
// principal (404-shaped error when none).
func findApplicationByAppID(ctx context.Context, c *graph.Client, appID string) (*applicationJSON, error) {
	apps, err := findApplicationsByFilter(ctx, c, fmt.Sprintf("appId eq '%s'", odataString(appID)))
	if err != nil {
		return nil, err
	}
	if len(apps) == 0 {
		return nil, &graph.Error{StatusCode: 404, Code: "Request_ResourceNotFound", Message: "no application has appId " + appID, Method: "GET", Path: "/applications"}
	}
	return &apps[0], nil
}

// findServicePrincipalByAppID returns the service principal of an application.
func findServicePrincipalByAppID(ctx context.Context, c *graph.Client, appID string) (*servicePrincipalJSON, error) {
	var found []servicePrincipalJSON
	err := c.GetAll(ctx, "/servicePrincipals?$filter="+queryEscape(fmt.Sprintf("appId eq '%s'", odataString(appID))), func(raw json.RawMessage) error {
		var sp servicePrincipalJSON
		if err := json.Unmarshal(raw, &sp); err != nil {
			return fmt.Errorf("decoding a servicePrincipal: %w", err)
		}
		found = append(found, sp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, &graph.Error{StatusCode: 404, Code: "Request_ResourceNotFound", Message: "no service principal has appId " + appID, Method: "GET", Path: "/servicePrincipals"}
	}
	return &found[0], nil
}

// appRoleIDs maps each enabled role's display name to its id (the
// enterprise application's app_role_ids).
func appRoleIDs(roles []appRoleJSON) map[string]string {
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
func resolveAppRole(roles []appRoleJSON, want string) (appRoleJSON, bool) {
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
	return appRoleJSON{}, false
}

// describeAppRoles lists roles for error messages: "User" (id …), ….
func describeAppRoles(roles []appRoleJSON) string {
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
