package graphsim

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Every Entra tenant holds the service principals of Microsoft's first-party
// applications; clients look them up (azuread's data source by display
// name or client id, `use_existing`) and assign their app roles (a
// Microsoft Graph application permission is an app role assignment to the
// Microsoft Graph service principal). The simulator seeds Microsoft Graph's.

// SeededServicePrincipals is how many first-party service principals every
// simulated tenant starts with (Microsoft Graph's); clients and tests that
// count service principals must not assume an empty tenant.
const SeededServicePrincipals = 1

// MicrosoftGraphAppID is the well-known appId of Microsoft Graph.
const MicrosoftGraphAppID = "00000003-0000-0000-c000-000000000000"

// microsoftServicesTenantID owns Microsoft's first-party applications
// (appOwnerOrganizationId of their service principals).
const microsoftServicesTenantID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

// msGraphAppRoles are a subset of Microsoft Graph's application permissions
// (ids from Microsoft's Graph permissions reference), enough for the
// permissions a provisioning setup and its automation grant.
var msGraphAppRoles = []struct{ id, value, name, desc string }{
	{"9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All", "Read all applications", "Allows the app to read all applications and service principals without a signed-in user."},
	{"1bfefb4e-e0b5-418b-a88f-73c46d2cf8e9", "Application.ReadWrite.All", "Read and write all applications", "Allows the app to create, read, update and delete applications and service principals without a signed-in user."},
	{"18a4783c-866b-4cc7-a460-3d5e5b65410c", "Application.ReadWrite.OwnedBy", "Manage apps that this app creates or owns", "Allows the app to create other applications, and fully manage those applications, without a signed-in user."},
	{"06b708a9-e830-4db3-a914-8e69da51d44f", "AppRoleAssignment.ReadWrite.All", "Manage app permission grants and app role assignments", "Allows the app to manage permission grants for application permissions to any API and application assignments for any app, without a signed-in user."},
	{"7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All", "Read directory data", "Allows the app to read data in your organization's directory, such as users, groups and apps, without a signed-in user."},
	{"19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All", "Read and write directory data", "Allows the app to read and write data in your organization's directory, such as users, and groups, without a signed-in user."},
	{"5b567255-7703-4780-807c-7be8301ae99b", "Group.Read.All", "Read all groups", "Allows the app to read group properties and memberships, and read conversations for all groups, without a signed-in user."},
	{"62a82d76-70ea-41e2-9197-370581804d09", "Group.ReadWrite.All", "Read and write all groups", "Allows the app to create groups, read all group properties and memberships, update group properties and memberships, and delete groups, without a signed-in user."},
	{"b0afded3-3588-46d8-8b3d-9842eff778da", "AuditLog.Read.All", "Read all audit log data", "Allows the app to read and query your audit log activities, without a signed-in user."},
	{"5e1e9171-754d-478c-812c-f1755a9a4c2d", "Synchronization.Read.All", "Read all Azure AD synchronization data", "Allows the app to read synchronization data without a signed-in user."},
	{"9b50c33d-700f-43b1-b2eb-87e89b703581", "Synchronization.ReadWrite.All", "Read and write all Azure AD synchronization data", "Allows the app to configure the Azure AD synchronization service, without a signed-in user."},
	{"df021288-bdef-4463-88db-98f22de89214", "User.Read.All", "Read all users' full profiles", "Allows the app to read user profiles without a signed in user."},
	{"741f803b-c850-494e-b5df-cde7c675a1ca", "User.ReadWrite.All", "Read and write all users' full profiles", "Allows the app to read and update user profiles without a signed in user."},
}

// msGraphScopes are a subset of Microsoft Graph's delegated permissions.
var msGraphScopes = []struct{ id, value, adminName, userName string }{
	{"e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read", "Sign in and read user profile", "Sign you in and read your profile"},
	{"b4e74841-8e56-480b-be8b-910348b18b4c", "User.ReadWrite", "Read and write access to user profile", "Read and update your profile"},
	{"a154be20-db9c-4678-8ab7-66f6cc099a59", "User.Read.All", "Read all users' full profiles", "Read all users' full profiles"},
	{"5f8c59db-677d-491f-a6b8-5f174b11ec1d", "Group.Read.All", "Read all groups", "Read all groups"},
	{"c79f8feb-a9db-4090-85f9-90d820caa0eb", "Application.Read.All", "Read applications", "Read applications"},
}

// seedFirstPartyServicePrincipals adds Microsoft Graph's service principal,
// with an id stable for a given Options.Seed. Caller holds s.mu or is New.
func (s *Sim) seedFirstPartyServicePrincipals() {
	roles := make([]AppRole, 0, len(msGraphAppRoles))
	for _, r := range msGraphAppRoles {
		value := r.value
		roles = append(roles, AppRole{AllowedMemberTypes: []string{"Application"}, Description: r.desc, DisplayName: r.name,
			ID: r.id, IsEnabled: true, Origin: "Application", Value: &value})
	}
	scopes := make([]any, 0, len(msGraphScopes))
	for _, sc := range msGraphScopes {
		scopes = append(scopes, map[string]any{"adminConsentDescription": "Allows the app to " + strings.ToLower(sc.adminName) + ".",
			"adminConsentDisplayName": sc.adminName, "id": sc.id, "isEnabled": true, "origin": "Application", "type": "Admin",
			"userConsentDescription": sc.userName + ".", "userConsentDisplayName": sc.userName, "value": sc.value})
	}
	sp := &servicePrincipal{
		ServicePrincipal: &ServicePrincipal{
			ID:          uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "graphsim/%d/%s", s.opts.Seed, MicrosoftGraphAppID)).String(),
			AppID:       MicrosoftGraphAppID,
			DisplayName: "Microsoft Graph",
			AppRoles:    roles,
			CreatedAt:   timeZero,
		},
		AccountEnabled: true,
		props: map[string]any{
			"appDisplayName":         "Microsoft Graph",
			"appOwnerOrganizationId": microsoftServicesTenantID,
			"servicePrincipalNames":  []string{MicrosoftGraphAppID, "https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us", "https://canary.graph.microsoft.com", "https://graph.microsoft.com/", "https://ags.windows.net"},
			"oauth2PermissionScopes": scopes,
			"publisherName":          "Microsoft Services",
			"signInAudience":         "AzureADMultipleOrgs",
		},
	}
	sp.AppRoleAssignmentRequired = false
	s.dir.sps[sp.ID] = sp
	s.dir.spOrder = append(s.dir.spOrder, sp.ID)
	s.dir.spByAppID[sp.AppID] = sp.ID
	s.onServicePrincipalCreated(sp.ServicePrincipal)
}
