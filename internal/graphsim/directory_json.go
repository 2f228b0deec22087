package graphsim

import "time"

// graphTime formats a simulated time the way Graph does (UTC, seconds, Z).
func graphTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

func appRolesJSON(roles []AppRole) []AppRole {
	if roles == nil {
		return []AppRole{}
	}
	return roles
}

// applicationJSON renders an application. Caller holds s.mu.
func (s *Sim) applicationJSON(a *application) map[string]any {
	m := map[string]any{
		"api":                        emptyAPIApplication(),
		"publicClient":               emptyRedirectURIs(),
		"spa":                        emptyRedirectURIs(),
		"verifiedPublisher":          emptyVerifiedPublisher(),
		"parentalControlSettings":    defaultParentalControlSettings(),
		"id":                         a.ID,
		"deletedDateTime":            graphTime(a.DeletedAt),
		"appId":                      a.AppID,
		"applicationTemplateId":      nullIfEmpty(a.ApplicationTemplateID),
		"createdDateTime":            graphTime(a.CreatedAt),
		"displayName":                a.DisplayName,
		"description":                nullIfEmpty(a.Description),
		"notes":                      nullIfEmpty(a.Notes),
		"serviceManagementReference": nullIfEmpty(a.ServiceManagementReference),
		"signInAudience":             "AzureADMyOrg",
		"publisherDomain":            "contoso.onmicrosoft.com",
		"identifierUris":             []string{},
		"tags":                       stringsOrEmpty(a.Tags),
		"appRoles":                   appRolesJSON(a.AppRoles),
		"groupMembershipClaims":      nil,
		"isFallbackPublicClient":     nil,
		"keyCredentials":             []any{},
		"passwordCredentials":        []any{},
		"requiredResourceAccess":     []any{},
		"info":                       map[string]any{"logoUrl": nil, "marketingUrl": nil, "privacyStatementUrl": nil, "supportUrl": nil, "termsOfServiceUrl": nil},
		"web":                        map[string]any{"homePageUrl": nil, "logoutUrl": nil, "redirectUris": []string{}, "implicitGrantSettings": map[string]any{"enableAccessTokenIssuance": false, "enableIdTokenIssuance": false}, "redirectUriSettings": []any{}},
	}
	for k, v := range a.props {
		m[k] = v
	}
	return withDefaultProperties("microsoft.graph.application", m)
}

// servicePrincipalJSON renders a service principal. Caller holds s.mu.
func (s *Sim) servicePrincipalJSON(sp *servicePrincipal) map[string]any {
	emails := sp.NotificationEmailAddresses
	if emails == nil {
		emails = []string{}
	}
	m := map[string]any{
		"verifiedPublisher":          emptyVerifiedPublisher(),
		"id":                         sp.ID,
		"deletedDateTime":            graphTime(sp.DeletedAt),
		"accountEnabled":             sp.AccountEnabled,
		"appDisplayName":             s.appDisplayName(sp),
		"appDescription":             nil,
		"appId":                      sp.AppID,
		"applicationTemplateId":      nullIfEmpty(sp.ApplicationTemplateID),
		"appOwnerOrganizationId":     s.tenantID,
		"appRoleAssignmentRequired":  sp.AppRoleAssignmentRequired,
		"description":                nullIfEmpty(sp.Description),
		"displayName":                sp.DisplayName,
		"homepage":                   nil,
		"loginUrl":                   nil,
		"logoutUrl":                  nil,
		"notes":                      nullIfEmpty(sp.Notes),
		"notificationEmailAddresses": emails,
		"preferredSingleSignOnMode":  nullIfEmpty(sp.PreferredSingleSignOnMode),
		"servicePrincipalNames":      []string{sp.AppID},
		"servicePrincipalType":       "Application",
		"signInAudience":             "AzureADMyOrg",
		"tags":                       stringsOrEmpty(sp.Tags),
		"appRoles":                   appRolesJSON(sp.AppRoles),
		"alternativeNames":           []string{},
		"keyCredentials":             []any{},
		"passwordCredentials":        []any{},
		"oauth2PermissionScopes":     s.appPermissionScopes(sp),
		"replyUrls":                  []string{},
		"info":                       map[string]any{"logoUrl": nil, "marketingUrl": nil, "privacyStatementUrl": nil, "supportUrl": nil, "termsOfServiceUrl": nil},
	}
	s.fromApplication(sp, m)
	for k, v := range sp.props {
		m[k] = v
	}
	return withDefaultProperties("microsoft.graph.servicePrincipal", m)
}

// fromApplication fills the service principal properties Graph derives from
// its application registration (homepage, logoutUrl, replyUrls,
// servicePrincipalNames with the identifier URIs, signInAudience,
// appDescription). Caller holds s.mu.
func (s *Sim) fromApplication(sp *servicePrincipal, m map[string]any) {
	a := s.dir.apps[sp.ApplicationObjectID]
	if a == nil {
		return
	}
	m["appDescription"] = nullIfEmpty(a.Description)
	if web, ok := a.props["web"].(map[string]any); ok {
		m["homepage"] = web["homePageUrl"]
		m["logoutUrl"] = web["logoutUrl"]
		if uris, ok := web["redirectUris"].([]any); ok {
			m["replyUrls"] = uris
		}
	}
	if uris, ok := a.props["identifierUris"].([]any); ok {
		names := []any{sp.AppID}
		m["servicePrincipalNames"] = append(names, uris...)
	}
	if aud, ok := a.props["signInAudience"].(string); ok {
		m["signInAudience"] = aud
	}
}

// appPermissionScopes are the delegated permissions a service principal
// publishes: its application's api.oauth2PermissionScopes, as Graph copies
// them. Caller holds s.mu.
func (s *Sim) appPermissionScopes(sp *servicePrincipal) []any {
	if a := s.dir.apps[sp.ApplicationObjectID]; a != nil {
		if api, ok := a.props["api"].(map[string]any); ok {
			if scopes, ok := api["oauth2PermissionScopes"].([]any); ok {
				return scopes
			}
		}
	}
	return []any{}
}

// appDisplayName is the application's display name (which PATCHing the
// service principal does not change). Caller holds s.mu.
func (s *Sim) appDisplayName(sp *servicePrincipal) string {
	if a := s.dir.apps[sp.ApplicationObjectID]; a != nil {
		return a.DisplayName
	}
	if d := s.dir.deleted[sp.ApplicationObjectID]; d != nil && d.app != nil {
		return d.app.DisplayName
	}
	return sp.DisplayName
}

func assignmentJSON(a *AppRoleAssignment) map[string]any {
	return map[string]any{
		"id":                   a.ID,
		"deletedDateTime":      nil,
		"appRoleId":            a.AppRoleID,
		"createdDateTime":      a.CreatedDateTime,
		"principalDisplayName": a.PrincipalDisplayName,
		"principalId":          a.PrincipalID,
		"principalType":        a.PrincipalType,
		"resourceDisplayName":  a.ResourceDisplayName,
		"resourceId":           a.ResourceID,
	}
}

// userJSON renders every property the simulator models; the default view is
// userDefaultSelect (as Graph returns without $select).
func userJSON(u *User) map[string]any {
	phones := []string{}
	if u.TelephoneNumber != "" {
		phones = []string{u.TelephoneNumber}
	}
	m := map[string]any{
		"id":                u.ID,
		"userPrincipalName": u.UserPrincipalName,
		"mail":              nullIfEmpty(u.Mail),
		"mailNickname":      u.MailNickname,
		"displayName":       u.DisplayName,
		"givenName":         nullIfEmpty(u.GivenName),
		"surname":           nullIfEmpty(u.Surname),
		"jobTitle":          nullIfEmpty(u.JobTitle),
		"department":        nullIfEmpty(u.Department),
		"companyName":       nullIfEmpty(u.CompanyName),
		"country":           nullIfEmpty(u.Country),
		"city":              nullIfEmpty(u.City),
		"state":             nullIfEmpty(u.State),
		"streetAddress":     nullIfEmpty(u.StreetAddress),
		"postalCode":        nullIfEmpty(u.PostalCode),
		"officeLocation":    nullIfEmpty(u.PhysicalDeliveryOfficeName),
		"businessPhones":    phones,
		"mobilePhone":       nullIfEmpty(u.Mobile),
		"faxNumber":         nullIfEmpty(u.FacsimileTelephoneNumber),
		"preferredLanguage": nullIfEmpty(u.PreferredLanguage),
		"employeeId":        nullIfEmpty(u.EmployeeID),
		"accountEnabled":    u.AccountEnabled,
		"usageLocation":     nullIfEmpty(u.Country),
		"userType":          "Member",
		// Stored as sent (userStoredProps); null/[] until set.
		"ageGroup": nil, "consentProvidedForMinor": nil, "employeeType": nil, "employeeHireDate": nil,
		"employeeOrgData": nil, "otherMails": []string{}, "passwordPolicies": nil, "showInAddressList": nil,
		"onPremisesImmutableId": nil,
		// Read-only properties of a cloud-only member user.
		"creationType": nil, "externalUserState": nil, "imAddresses": []string{}, "proxyAddresses": []string{},
		"onPremisesDistinguishedName": nil, "onPremisesDomainName": nil, "onPremisesSamAccountName": nil,
		"onPremisesSecurityIdentifier": nil, "onPremisesSyncEnabled": nil, "onPremisesUserPrincipalName": nil,
	}
	for k, v := range u.props {
		m[k] = v
	}
	return m
}

// userDefaultSelect is what GET /users returns without $select.
var userDefaultSelect = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}

func groupJSON(g *Group) map[string]any {
	m := map[string]any{
		"id":                            g.ID,
		"displayName":                   g.DisplayName,
		"description":                   nullIfEmpty(g.Description),
		"mail":                          nullIfEmpty(g.Mail),
		"mailNickname":                  g.MailNickname,
		"mailEnabled":                   g.MailEnabled,
		"securityEnabled":               g.SecurityEnabled,
		"groupTypes":                    stringsOrEmpty(g.GroupTypes),
		"createdDateTime":               graphTime(g.CreatedAt),
		"visibility":                    nil,
		"isAssignableToRole":            nil,
		"membershipRule":                nil,
		"membershipRuleProcessingState": nil,
		"classification":                nil,
		"preferredLanguage":             nil,
		"theme":                         nil,
		"proxyAddresses":                []string{},
		"resourceBehaviorOptions":       []string{},
		"resourceProvisioningOptions":   []string{},
		"securityIdentifier":            groupSecurityIdentifier(g.ID),
		"onPremisesSyncEnabled":         nil,
		"renewedDateTime":               graphTime(g.CreatedAt),
		"deletedDateTime":               nil,
		// Microsoft 365 (Exchange) settings: only on $select in Graph; the
		// simulator models no mailbox, so they are null.
		"allowExternalSenders": nil, "autoSubscribeNewMembers": nil, "hideFromAddressLists": nil, "hideFromOutlookClients": nil,
	}
	for k, v := range g.props {
		m[k] = v
	}
	return withDefaultProperties("microsoft.graph.group", m)
}

// deletedItemJSON renders a deleted object with its @odata.type. Caller holds s.mu.
func (s *Sim) deletedItemJSON(d *deletedItem) map[string]any {
	if d.user != nil {
		m := userJSON(d.user)
		m["@odata.type"] = "#microsoft.graph.user"
		m["deletedDateTime"] = graphTime(d.deletedAt)
		return m
	}
	if d.app != nil {
		m := s.applicationJSON(d.app)
		m["@odata.type"] = "#microsoft.graph.application"
		return m
	}
	m := s.servicePrincipalJSON(d.sp)
	m["@odata.type"] = "#microsoft.graph.servicePrincipal"
	return m
}

// keysOf returns a set of a rendered object's property names (for $filter
// whitelists).
func keysOf(m map[string]any) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

var timeZero time.Time
