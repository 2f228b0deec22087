package graphsim

// selectOnly are the properties Graph's default GET of a type leaves out
// (the API reference marks them "Returned only on $select"); every other
// property the metadata declares is in a default GET, null or [] when it
// has no value. Edm.Stream properties (application.logo) are never inlined.
var selectOnly = map[string]map[string]bool{
	"microsoft.graph.application": {
		"logo": true, "authenticationBehaviors": true, "managerApplications": true,
	},
	"microsoft.graph.servicePrincipal": {
		"customSecurityAttributes": true,
	},
	"microsoft.graph.group": {
		"accessType": true, "allowExternalSenders": true, "assignedLabels": true, "assignedLicenses": true,
		"autoSubscribeNewMembers": true, "hasMembersWithLicenseErrors": true, "hideFromAddressLists": true,
		"hideFromOutlookClients": true, "infoCatalogs": true, "isArchived": true, "isFavorite": true,
		"isManagementRestricted": true, "isSubscribedByMail": true, "licenseProcessingState": true,
		"onPremisesExtensionAttributes": true, "organizationId": true, "unseenConversationsCount": true,
		"unseenCount": true, "unseenMessagesCount": true, "welcomeMessageEnabled": true,
	},
}

// withDefaultProperties completes a rendered entity with every property of
// a default Graph GET of typeName that it has no value for. The simulator's
// own values win.
func withDefaultProperties(typeName string, obj map[string]any) map[string]any {
	skip := selectOnly[typeName]
	for _, name := range metadata.PropertyNames(typeName) {
		if _, set := obj[name]; set || skip[name] {
			continue
		}
		p, _ := metadata.Property(typeName, name)
		if p.Type == "Edm.Stream" {
			continue
		}
		obj[name] = zeroValue(p)
	}
	return obj
}

// Complex values Graph writes for an application or service principal that
// never set them (rather than null): empty containers with their lists.
func emptyAPIApplication() map[string]any {
	return map[string]any{"acceptMappedClaims": nil, "knownClientApplications": []any{}, "oauth2PermissionScopes": []any{},
		"preAuthorizedApplications": []any{}, "requestedAccessTokenVersion": nil}
}

func emptyRedirectURIs() map[string]any { return map[string]any{"redirectUris": []any{}} }

func emptyVerifiedPublisher() map[string]any {
	return map[string]any{"displayName": nil, "verifiedPublisherId": nil, "addedDateTime": nil}
}

func defaultParentalControlSettings() map[string]any {
	return map[string]any{"countriesBlockedForMinors": []any{}, "legalAgeGroupRule": "Allow"}
}
