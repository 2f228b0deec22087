package graphsim_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/csdl"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// docExample is one HTTP example of a Microsoft Graph API reference page
// (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/),
// restated as test data: the request, the documented status and the shape
// of the documented response body. The shape lists the members the page
// shows with a value of the JSON kind it shows (string "s", number 0,
// boolean false, object, array with one element shape; null = any kind):
// the simulator's answer must have every member, with that kind or null
// where the metadata allows null. Where a page contradicts Graph's
// metadata (or itself) the test follows the metadata and says so in note.
type docExample struct {
	page   string // file under api-reference/v1.0/api/
	name   string // the example's name on the page
	method string
	path   string // with {sp}, {job}, {user}, {group}, {deleted}, {app2}, {rule}, {target}, … placeholders (newDocEnv)
	body   string // request body (JSON), "" for none
	status int
	shape  string // JSON skeleton of the documented response; "" = no body
	typ    string // metadata type the body is validated against ("" = not an entity body)
	note   string // where the page and the metadata disagree, what the test follows
	// headers are request headers the example sends (ConsistencyLevel).
	headers map[string]string
	// text: the documented body is text/plain (a $count), checked as an integer.
	text bool
	// gap names what graphsim does not model when the example is known to
	// fail; the test then requires it to still fail (so a fix updates the
	// table) and does not count it as passing.
	gap string
}

var docExamples = []docExample{
	// Synchronization jobs.
	{page: "synchronization-synchronization-list-jobs.md", name: "get_jobs_3", method: "GET", path: "/servicePrincipals/{sp}/synchronization/jobs/",
		status: 200, typ: "Collection(microsoft.graph.synchronizationJob)",
		shape: `{"value":[{"id":"s","templateId":"s","schedule":{"expiration":null,"interval":"s","state":"s"},
		  "status":{"countSuccessiveCompleteFailures":0,"escrowsPruned":false,"synchronizedEntryCountByType":[],"code":"s",
		  "lastExecution":null,"lastSuccessfulExecution":null,"lastSuccessfulExecutionWithExports":null,
		  "steadyStateFirstAchievedTime":"s","steadyStateLastAchievedTime":"s","quarantine":null}}]}`},
	{page: "synchronization-synchronization-post-jobs.md", name: "create_synchronizationjob_from_synchronization", method: "POST",
		path: "/servicePrincipals/{sp}/synchronization/jobs", body: `{"templateId":"scim"}`, status: 201, typ: "microsoft.graph.synchronizationJob",
		note: "the example's status line says 200 OK; the page's Response section (and Graph) say 201 Created",
		shape: `{"id":"s","templateId":"s","schedule":{"expiration":null,"interval":"s","state":"s"},
		  "status":{"countSuccessiveCompleteFailures":0,"escrowsPruned":false,"synchronizedEntryCountByType":[],"code":"s",
		  "lastExecution":null,"lastSuccessfulExecution":null,"lastSuccessfulExecutionWithExports":null,
		  "steadyStateFirstAchievedTime":"s","steadyStateLastAchievedTime":"s","quarantine":null,"troubleshootingUrl":null}}`},
	{page: "synchronization-synchronizationjob-get.md", name: "get_synchronizationjob", method: "GET", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}",
		status: 200, typ: "microsoft.graph.synchronizationJob",
		note: "the example's quarantine carries empty strings for its dates and reason; the metadata types them DateTimeOffset and an enum, so a job that is not quarantined has quarantine null",
		shape: `{"id":"s","templateId":"s","schedule":{"expiration":null,"interval":"s","state":"s"},
		  "status":{"countSuccessiveCompleteFailures":0,"escrowsPruned":false,"synchronizedEntryCountByType":[],"code":"s",
		  "lastExecution":null,"lastSuccessfulExecution":null,"progress":[],"lastSuccessfulExecutionWithExports":null,
		  "steadyStateFirstAchievedTime":"s","steadyStateLastAchievedTime":"s","quarantine":null,"troubleshootingUrl":null},
		  "synchronizationJobSettings":[{"name":"s","value":"s"}]}`},
	{page: "synchronization-synchronizationjob-start.md", name: "synchronizationjob_start", method: "POST", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/start", status: 204},
	{page: "synchronization-synchronizationjob-pause.md", name: "synchronizationjob_pause", method: "POST", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/pause", status: 204},
	{page: "synchronization-synchronizationjob-restart.md", name: "synchronizationjob_restart", method: "POST", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/restart",
		body: `{"criteria":{"resetScope":"Watermark, Escrows, QuarantineState"}}`, status: 204},
	{page: "synchronization-synchronizationjob-validatecredentials.md", name: "synchronizationjob_validatecredentials", method: "POST",
		path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/validateCredentials",
		body: `{"useSavedCredentials":false,"credentials":[{"key":"BaseAddress","value":"{target}"},{"key":"SecretToken","value":"sim-token-docs"}]}`, status: 204},
	{page: "synchronization-synchronizationjob-provisionondemand.md", name: "synchronizationjob_provisionondemand_ADto3P", method: "POST",
		path:   "/servicePrincipals/{sp}/synchronization/jobs/{job}/provisionOnDemand",
		body:   `{"parameters":[{"subjects":[{"objectId":"{user}","objectTypeName":"User"}],"ruleId":"{rule}"}]}`,
		status: 200, typ: "microsoft.graph.stringKeyStringValuePair",
		note:  "the page labels the body synchronizationSecretKeyStringValuePair; the operation's return type in the metadata is stringKeyStringValuePair",
		shape: `{"@odata.context":"s","key":"s","value":"s"}`},

	// Templates and schema.
	{page: "synchronization-synchronization-list-templates.md", name: "get_synchronizationtemplate", method: "GET", path: "/servicePrincipals/{sp}/synchronization/templates",
		status: 200, typ: "Collection(microsoft.graph.synchronizationTemplate)",
		note:  "the example expands schema inline; schema is a navigation property in the metadata and is not expanded without $expand",
		shape: `{"value":[{"id":"s","factoryTag":"s"}]}`},
	{page: "synchronization-synchronizationschema-get.md", name: "get_synchronizationschema", method: "GET", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
		status: 200, typ: "microsoft.graph.synchronizationSchema",
		shape: `{"directories":[{"name":"s","objects":[{"name":"s","attributes":[{"name":"s","type":"s"}]}]}],
		  "synchronizationRules":[{"name":"s","sourceDirectoryName":"s","targetDirectoryName":"s",
		  "objectMappings":[{"sourceObjectName":"s","targetObjectName":"s","attributeMappings":[{"source":{},"targetAttributeName":"s"}]}]}]}`},
	{page: "synchronization-synchronizationschema-filteroperators.md", name: "synchronizationschema_filteroperators", method: "GET",
		path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/filterOperators", status: 200, typ: "Collection(microsoft.graph.filterOperatorSchema)",
		note:  "entries carry \"name\" as the service sends it; the metadata keys filterOperatorSchema by \"id\", which graphsim writes too",
		shape: `{"value":[{"name":"s","arity":"s","multivaluedComparisonType":"s","supportedAttributeTypes":["s"]}]}`},
	{page: "synchronization-synchronizationschema-parseexpression.md", name: "synchronizationschema_parseexpression", method: "POST",
		path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/parseExpression",
		body: `{"expression":"Replace([preferredLanguage], \"-\", , , \"_\", , )","targetAttributeDefinition":null,
		  "testInputObject":{"definition":null,"properties":[{"key":"objectId","value":"66E4A8CC-1B7B-435E-95F8-F06CEA133828"},{"key":"preferredLanguage","value":"EN-US"}]}}`,
		status: 200, typ: "microsoft.graph.parseExpressionResponse",
		shape: `{"error":null,"evaluationSucceeded":false,"evaluationResult":["s"],
		  "parsedExpression":{"expression":"s","name":"s","parameters":[{"key":"s","value":{"expression":"s","name":"s","parameters":[],"type":"s"}}],"type":"s"},
		  "parsingSucceeded":false}`},

	// Applications, templates, service principals, assignments.
	{page: "applicationtemplate-get.md", name: "get_applicationtemplate", method: "GET", path: "/applicationTemplates/" + graphsim.SlackTemplateID,
		status: 200, typ: "microsoft.graph.applicationTemplate",
		shape: `{"id":"s","displayName":"s","homePageUrl":"s","supportedSingleSignOnModes":["s"],"logoUrl":"s","categories":["s"],"publisher":"s","description":"s"}`},
	{page: "applicationtemplate-instantiate.md", name: "applicationtemplate_instantiate", method: "POST", path: "/applicationTemplates/" + graphsim.CustomAppTemplateID + "/instantiate",
		body: `{"displayName":"Docs instantiate"}`, status: 201, typ: "microsoft.graph.applicationServicePrincipal",
		note: "the example's service principal shows endpoints (a navigation property) and publisherName (beta only): not in the v1.0 metadata, not required",
		shape: `{"servicePrincipal":{"accountEnabled":false,"addIns":[],"alternativeNames":[],"appDisplayName":"s","appId":"s","appOwnerOrganizationId":"s",
		  "appRoleAssignmentRequired":false,"appRoles":[],"displayName":"s","homepage":null,"id":"s",
		  "info":{"termsOfServiceUrl":null,"supportUrl":null,"privacyStatementUrl":null,"marketingUrl":null,"logoUrl":null},
		  "keyCredentials":[],"logoutUrl":null,"oauth2PermissionScopes":[],"passwordCredentials":[],"replyUrls":[],"servicePrincipalNames":[],
		  "servicePrincipalType":null,"tags":[],"tokenEncryptionKeyId":null},
		 "application":{"id":"s","isFallbackPublicClient":null,"appId":"s","applicationTemplateId":null,"identifierUris":[],"createdDateTime":"s",
		  "displayName":"s","isDeviceOnlyAuthSupported":null,"groupMembershipClaims":null,"optionalClaims":null,"addIns":[],"publisherDomain":"s",
		  "signInAudience":"s","tags":[],"tokenEncryptionKeyId":null,
		  "api":{"requestedAccessTokenVersion":null,"acceptMappedClaims":null,"knownClientApplications":[],"oauth2PermissionScopes":[],"preAuthorizedApplications":[]},
		  "appRoles":[],"publicClient":{"redirectUris":[]},"info":{"termsOfServiceUrl":null,"supportUrl":null,"privacyStatementUrl":null,"marketingUrl":null,"logoUrl":null},
		  "keyCredentials":[],"parentalControlSettings":{"countriesBlockedForMinors":[],"legalAgeGroupRule":"s"},"passwordCredentials":[],
		  "requiredResourceAccess":[],"web":{"redirectUris":[],"homePageUrl":null,"logoutUrl":null,"implicitGrantSettings":{"enableIdTokenIssuance":false,"enableAccessTokenIssuance":false}}}}`},
	{page: "serviceprincipal-get.md", name: "get_serviceprincipal", method: "GET", path: "/servicePrincipals/{sp}", status: 200, typ: "microsoft.graph.servicePrincipal",
		note: "endpoints (navigation property) and publisherName (beta only) are shown but are not v1.0 properties",
		shape: `{"accountEnabled":false,"addIns":[],"alternativeNames":[],"appDisplayName":"s","appId":"s","appOwnerOrganizationId":"s","appRoleAssignmentRequired":false,
		  "appRoles":[],"disabledByMicrosoftStatus":null,"displayName":"s","homepage":null,"id":"s",
		  "verifiedPublisher":{"displayName":null,"verifiedPublisherId":null,"addedDateTime":null},
		  "info":{"termsOfServiceUrl":null,"supportUrl":null,"privacyStatementUrl":null,"marketingUrl":null,"logoUrl":null},
		  "keyCredentials":[],"logoutUrl":null,"oauth2PermissionScopes":[],"passwordCredentials":[],"replyUrls":[],
		  "resourceSpecificApplicationPermissions":[],"servicePrincipalNames":[],"servicePrincipalType":null,"signInAudience":"s","tags":[],"tokenEncryptionKeyId":null}`},
	{page: "serviceprincipal-get.md", name: "get_serviceprincipal_select", method: "GET",
		path:   "/servicePrincipals/{sp}?$select=id,appId,displayName,appRoles,oauth2PermissionScopes,resourceSpecificApplicationPermissions",
		status: 200, typ: "microsoft.graph.servicePrincipal",
		note:  "the example's @odata.context names the beta root and publishedPermissionScopes; a v1.0 request gets the v1.0 root and the $select list as sent",
		shape: `{"@odata.context":"s","id":"s","appId":"s","displayName":"s","appRoles":[],"oauth2PermissionScopes":[]}`},
	{page: "serviceprincipal-get.md", name: "get_serviceprincipal_customsecurityattributes", method: "GET", path: "/servicePrincipals/{sp}?$select=customSecurityAttributes",
		status: 200, typ: "microsoft.graph.servicePrincipal", shape: `{"@odata.context":"s","customSecurityAttributes":null}`},
	{page: "serviceprincipal-post-approleassignedto.md", name: "serviceprincipal_create_approleassignedto", method: "POST", path: "/servicePrincipals/{sp}/appRoleAssignedTo",
		body:   `{"principalId":"{group}","resourceId":"{sp}","appRoleId":"` + graphsim.UserRoleID + `"}`,
		status: 201, typ: "microsoft.graph.appRoleAssignment",
		shape: `{"@odata.context":"s","id":"s","deletedDateTime":null,"appRoleId":"s","createdDateTime":"s","principalDisplayName":"s",
		  "principalId":"s","principalType":"s","resourceDisplayName":"s","resourceId":"s"}`},

	// Directory.
	{page: "group-get.md", name: "get_group", method: "GET", path: "/groups/{group}", status: 200, typ: "microsoft.graph.group",
		note: "the example is a Microsoft 365 group; graphsim's seeded groups are security groups, so values differ but every default property is there",
		shape: `{"@odata.context":"s","id":"s","deletedDateTime":null,"classification":null,"createdDateTime":null,"description":null,"displayName":"s",
		  "expirationDateTime":null,"groupTypes":[],"isAssignableToRole":null,"mail":null,"mailEnabled":false,"mailNickname":"s","membershipRule":null,
		  "membershipRuleProcessingState":null,"onPremisesDomainName":null,"onPremisesLastSyncDateTime":null,"onPremisesNetBiosName":null,
		  "onPremisesSamAccountName":null,"onPremisesSecurityIdentifier":null,"onPremisesSyncEnabled":null,"preferredDataLocation":null,
		  "preferredLanguage":null,"proxyAddresses":[],"renewedDateTime":null,"resourceBehaviorOptions":[],"resourceProvisioningOptions":[],
		  "securityEnabled":false,"securityIdentifier":null,"theme":null,"visibility":null,"onPremisesProvisioningErrors":[]}`},
	{page: "group-get.md", name: "get_group_non_default", method: "GET", path: "/groups/{group}?$select=allowExternalSenders,autoSubscribeNewMembers,isSubscribedByMail,unseenCount",
		status: 200, typ: "microsoft.graph.group",
		note:  "mailbox properties of Microsoft 365 groups are not modelled: they are selectable and null (the metadata allows null)",
		shape: `{"@odata.context":"s","allowExternalSenders":false,"autoSubscribeNewMembers":false,"isSubscribedByMail":false,"unseenCount":0}`},
	{page: "directory-deleteditems-get.md", name: "get_directory", method: "GET", path: "/directory/deletedItems/{deleted}", status: 200, typ: "microsoft.graph.directoryObject",
		note:  "the example shows a deleted group; graphsim soft-deletes applications, service principals and users, so the example is replayed with a deleted application",
		shape: `{"@odata.context":"s","id":"s"}`},
	{page: "provisioningobjectsummary-list.md", name: "list_provisioningobjectsummary", method: "GET", path: "/auditLogs/provisioning", status: 200,
		typ:  "Collection(microsoft.graph.provisioningObjectSummary)",
		note: "the example's initiatedBy says initiatingType and its step types are capitalised; the metadata declares initiatorType and lower-case provisioningStepType members",
		shape: `{"@odata.context":"s","value":[{"id":"s","activityDateTime":"s","tenantId":"s","jobId":"s","cycleId":"s","changeId":"s",
		  "provisioningAction":"s","durationInMilliseconds":0,"provisioningStatusInfo":{"status":"s","errorInformation":null},
		  "provisioningSteps":[{"name":"s","provisioningStepType":"s","status":"s","description":"s","details":{}}],
		  "modifiedProperties":[{"displayName":"s","oldValue":null,"newValue":"s"}],"servicePrincipal":{"id":"s","displayName":"s"},
		  "sourceSystem":{"id":null,"displayName":"s","details":{}},"targetSystem":{"id":null,"displayName":"s","details":{}},
		  "initiatedBy":{"id":null,"displayName":"s","initiatorType":"s"},
		  "sourceIdentity":{"identityType":"s","id":"s","displayName":"s","details":{}},"targetIdentity":{"identityType":"s","id":"s","displayName":null,"details":{}}}]}`},

	{page: "applicationtemplate-list.md", name: "get_applicationtemplates", method: "GET", path: "/applicationTemplates", status: 200,
		typ:  "Collection(microsoft.graph.applicationTemplate)",
		note: "the @microsoft.graph.tips annotation is advice text, not part of the data; not required",
		shape: `{"@odata.context":"s","value":[{"id":"s","displayName":"s","homePageUrl":"s","supportedSingleSignOnModes":["s"],
		  "supportedProvisioningTypes":[],"logoUrl":"s","categories":["s"],"publisher":"s","description":null}]}`},
	{page: "serviceprincipal-list-approleassignedto.md", name: "serviceprincipal_get_approleassignedto", method: "GET", path: "/servicePrincipals/{sp}/appRoleAssignedTo",
		status: 200, typ: "Collection(microsoft.graph.appRoleAssignment)",
		shape: `{"@odata.context":"s","value":[{"id":"s","deletedDateTime":null,"appRoleId":"s","createdDateTime":"s","principalDisplayName":"s",
		  "principalId":"s","principalType":"s","resourceDisplayName":"s","resourceId":"s"}]}`},
	{page: "user-get.md", name: "get_user_1", method: "GET", path: "/users/{user}", status: 200, typ: "microsoft.graph.user",
		shape: `{"businessPhones":["s"],"displayName":"s","givenName":"s","jobTitle":"s","mail":"s","mobilePhone":"s","officeLocation":"s",
		  "preferredLanguage":"s","surname":"s","userPrincipalName":"s","id":"s"}`},
	{page: "user-get.md", name: "get_user_select_e3", method: "GET", path: "/users/{user}?$select=displayName,givenName,postalCode,identities", status: 200,
		typ:   "microsoft.graph.user",
		note:  "sign-in identities are not modelled: identities is selectable and []",
		shape: `{"@odata.context":"s","displayName":"s","givenName":"s","postalCode":"s","identities":[{"signInType":"s","issuer":"s","issuerAssignedId":"s"}]}`},
	{page: "user-get.md", name: "get_user_customsecurityattributes", method: "GET", path: "/users/{user}?$select=customSecurityAttributes", status: 200,
		typ:   "microsoft.graph.user",
		note:  "custom security attributes are not modelled: the page's answer for a user without assignments (null) is the one replayed",
		shape: `{"@odata.context":"s","customSecurityAttributes":null}`},
	{page: "synchronization-synchronizationschema-functions.md", name: "synchronizationschema_functions", method: "GET",
		path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/functions", status: 200, typ: "Collection(microsoft.graph.attributeMappingFunctionSchema)",
		note:  "the example's context is $metadata#functions; entries carry \"name\" as the service sends it beside the metadata's \"id\"",
		shape: `{"@odata.context":"s","value":[{"name":"s","parameters":[{"allowMultipleOccurrences":false,"name":"s","required":false,"type":"s"}]}]}`},
	{page: "directory-deleteditems-list.md", name: "list_directory_deleteditems", method: "GET", path: "/directory/deletedItems/microsoft.graph.application", status: 200,
		typ:   "Collection(microsoft.graph.application)",
		note:  "the example lists deleted groups; graphsim deletes groups permanently, so the example is replayed for deleted applications",
		shape: `{"@odata.context":"s","value":[{"id":"s","displayName":"s"}]}`},
	{page: "directory-deleteditems-list.md", name: "list_directory_deleteditems_count", method: "GET",
		path:   "/directory/deletedItems/microsoft.graph.application?$count=true&$orderBy=deletedDateTime asc&$select=id,DisplayName,deletedDateTime",
		status: 200, typ: "Collection(microsoft.graph.application)",
		note:  "replayed for deleted applications (see above); $select names match case-insensitively (DisplayName)",
		shape: `{"@odata.context":"s","@odata.count":0,"value":[{"id":"s","displayName":"s","deletedDateTime":"s"}]}`},
	{page: "user-list.md", name: "get_users_2", method: "GET", path: "/users", status: 200, typ: "Collection(microsoft.graph.user)",
		shape: `{"@odata.context":"s","value":[{"businessPhones":[],"displayName":"s","givenName":null,"jobTitle":null,"mail":"s","mobilePhone":null,
		  "officeLocation":null,"preferredLanguage":null,"surname":null,"userPrincipalName":"s","id":"s"}]}`},
	{page: "user-list.md", name: "get_count_only", method: "GET", path: "/users/$count", headers: map[string]string{"ConsistencyLevel": "eventual"},
		status: 200, text: true},
	{page: "user-list.md", name: "get_a_count_endsWith", method: "GET", path: "/users?$filter=endswith(mail,'a@contoso.com')&$orderby=userPrincipalName&$count=true",
		headers: map[string]string{"ConsistencyLevel": "eventual"}, status: 200, typ: "Collection(microsoft.graph.user)",
		shape: `{"@odata.context":"s","@odata.count":0,"value":[{"displayName":"s","givenName":"s","jobTitle":"s","mail":"s","userPrincipalName":"s","id":"s"}]}`},
	{page: "user-list.md", name: "get_wa_count", method: "GET", path: `/users?$search="displayName:wa"&$orderby=displayName&$count=true`,
		headers: map[string]string{"ConsistencyLevel": "eventual"}, status: 200, typ: "Collection(microsoft.graph.user)",
		shape: `{"@odata.context":"s","@odata.count":0,"value":[{"displayName":"s","givenName":"s","mail":"s","userPrincipalName":"s"}]}`},
	{page: "directory-deleteditems-restore.md", name: "restore_directory_deleteditem", method: "POST", path: "/directory/deletedItems/{deleted}/restore", status: 200,
		typ:   "microsoft.graph.directoryObject",
		note:  "the example restores a group; replayed with the deleted application of get_directory",
		shape: `{"@odata.context":"s","@odata.type":"s","id":"s","displayName":"s"}`},
	{page: "application-delete.md", name: "delete_application", method: "DELETE", path: "/applications/{app2}", status: 204},

	{page: "synchronization-synchronizationtemplate-get.md", name: "get_synchronizationtemplate", method: "GET", path: "/servicePrincipals/{slacksp}/synchronization/templates/Slack",
		status: 200, typ: "microsoft.graph.synchronizationTemplate",
		note:  "the example shows schema inline; schema is a navigation property in the metadata and is not expanded without $expand",
		shape: `{"id":"s","factoryTag":"s"}`},
	{page: "synchronization-directorydefinition-discover.md", name: "discover_directorydefinition", method: "POST",
		path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema/directories/{dir}/discover", status: 200, typ: "microsoft.graph.directoryDefinition",
		shape: `{"discoverabilities":"s","discoveryDateTime":"s","id":"s","objects":[{"name":"s","attributes":[{"name":"s","type":"s"}]}],"version":"s"}`},

	// Service principals, applications and groups: lists, reads and writes.
	{page: "serviceprincipal-list.md", name: "get_serviceprincipals", method: "GET", path: "/servicePrincipals", status: 200,
		typ:  "Collection(microsoft.graph.servicePrincipal)",
		note: "the example shows publisherName, a beta-only property: not in the v1.0 metadata, not required",
		shape: `{"value":[{"id":"s","deletedDateTime":null,"accountEnabled":false,"appDisplayName":"s","appId":"s","appOwnerOrganizationId":"s",
		  "appRoleAssignmentRequired":false,"displayName":"s","homepage":null,"logoutUrl":null,"replyUrls":[],"servicePrincipalNames":["s"],
		  "tags":[],"addIns":[],"appRoles":[],"info":{"termsOfServiceUrl":null,"supportUrl":null,"privacyStatementUrl":null,"marketingUrl":null,"logoUrl":null},
		  "keyCredentials":[],"oauth2PermissionScopes":[],"passwordCredentials":[]}]}`},
	{page: "application-get.md", name: "get_application", method: "GET", path: "/applications/{app}", status: 200, typ: "microsoft.graph.application",
		note: "the example shows samlMetadataUrl and certification; samlMetadataUrl is beta-only and certification is returned only on $select, so neither is required",
		shape: `{"@odata.context":"s","id":"s","deletedDateTime":null,"isFallbackPublicClient":null,"appId":"s","applicationTemplateId":null,"identifierUris":[],
		  "createdDateTime":"s","disabledByMicrosoftStatus":null,"displayName":"s","isDeviceOnlyAuthSupported":null,"groupMembershipClaims":null,
		  "optionalClaims":null,"addIns":[],"publisherDomain":"s","signInAudience":"s",
		  "verifiedPublisher":{"displayName":"s","verifiedPublisherId":"s","addedDateTime":"s"},"tags":[],"tokenEncryptionKeyId":null,
		  "api":{"requestedAccessTokenVersion":0,"acceptMappedClaims":null,"knownClientApplications":[],"oauth2PermissionScopes":[],"preAuthorizedApplications":[]},
		  "appRoles":[],"publicClient":{"redirectUris":[]},"info":{"termsOfServiceUrl":null,"supportUrl":null,"privacyStatementUrl":null,"marketingUrl":null,"logoUrl":null},
		  "keyCredentials":[],"parentalControlSettings":{"countriesBlockedForMinors":[],"legalAgeGroupRule":"s"},"passwordCredentials":[],"requiredResourceAccess":[],
		  "web":{"redirectUris":[],"homePageUrl":null,"logoutUrl":null,"implicitGrantSettings":{"enableIdTokenIssuance":false,"enableAccessTokenIssuance":false}}}`},
	{page: "application-get.md", name: "get_application_by_appId_select", method: "GET",
		path: "/applications(appId='{appid}')?$select=id,appId,displayName,requiredResourceAccess", status: 200, typ: "microsoft.graph.application",
		note:  "the example's app requests Microsoft Graph scopes; an instantiated gallery app requests none, so requiredResourceAccess is []",
		shape: `{"@odata.context":"s","id":"s","appId":"s","displayName":"s","requiredResourceAccess":[{"resourceAppId":"s","resourceAccess":[{"id":"s","type":"s"}]}]}`},
	{page: "group-list.md", name: "get_groups", method: "GET", path: "/groups", status: 200, typ: "Collection(microsoft.graph.group)",
		shape: `{"@odata.context":"s","value":[{"id":"s","deletedDateTime":null,"classification":null,"createdDateTime":"s","description":"s","displayName":"s",
		  "expirationDateTime":null,"groupTypes":[],"isAssignableToRole":null,"mail":"s","mailEnabled":false,"mailNickname":"s","membershipRule":null,
		  "membershipRuleProcessingState":null,"onPremisesLastSyncDateTime":null,"onPremisesSecurityIdentifier":null,"onPremisesSyncEnabled":null,
		  "preferredDataLocation":"s","preferredLanguage":null,"proxyAddresses":["s"],"renewedDateTime":"s","resourceBehaviorOptions":[],
		  "resourceProvisioningOptions":[],"securityEnabled":false,"theme":null,"visibility":"s","onPremisesProvisioningErrors":[]}]}`},
	{page: "group-list.md", name: "get_groups_withlicenseerrors_count", method: "GET", path: "/groups?$count=true&$filter=hasMembersWithLicenseErrors+eq+true&$select=id,displayName",
		headers: map[string]string{"ConsistencyLevel": "eventual"}, status: 200, typ: "Collection(microsoft.graph.group)",
		note:  "licenses are not modelled: no group has members with license errors, so the answer is an empty page with its count",
		shape: `{"@odata.context":"s","@odata.count":0,"value":[{"id":"s","displayName":"s"}]}`},
	{page: "group-list.md", name: "get_count_only", method: "GET", path: "/groups/$count", headers: map[string]string{"ConsistencyLevel": "eventual"},
		status: 200, text: true},
	{page: "group-list.md", name: "get_groups_startswith", method: "GET", path: "/groups?$filter=startswith(displayName, 'a')&$count=true&$top=1&$orderby=displayName",
		headers: map[string]string{"ConsistencyLevel": "eventual"}, status: 200, typ: "Collection(microsoft.graph.group)",
		shape: `{"@odata.context":"s","@odata.count":0,"value":[{"displayName":"s","mailNickname":"s"}]}`},
	{page: "group-list.md", name: "get_video_count_search_notin_ADB2C", method: "GET", path: `/groups?$search="displayName:Video" OR "description:prod"&$orderby=displayName&$count=true`,
		headers: map[string]string{"ConsistencyLevel": "eventual"}, status: 200, typ: "Collection(microsoft.graph.group)",
		shape: `{"@odata.context":"s","@odata.count":0,"value":[{"displayName":"s","mail":"s","mailNickname":"s"}]}`},
	{page: "group-post-groups.md", name: "create_group", method: "POST", path: "/groups",
		body:   `{"description":"Self help community for library","displayName":"Library Assist","groupTypes":["Unified"],"mailEnabled":true,"mailNickname":"library","securityEnabled":false}`,
		status: 201, typ: "microsoft.graph.group",
		note: "the example's preferredDataLocation is inherited from the creator's; an app-only caller has none, so it is null",
		shape: `{"id":"s","deletedDateTime":null,"classification":null,"createdDateTime":"s","description":"s","displayName":"s","groupTypes":["s"],
		  "mail":"s","mailEnabled":false,"mailNickname":"s","onPremisesLastSyncDateTime":null,"onPremisesSecurityIdentifier":null,"onPremisesSyncEnabled":null,
		  "preferredDataLocation":"s","proxyAddresses":["s"],"renewedDateTime":"s","resourceBehaviorOptions":[],"resourceProvisioningOptions":[],
		  "securityEnabled":false,"visibility":"s","onPremisesProvisioningErrors":[]}`},
	{page: "group-post-groups.md", name: "create_prepopulated_group", method: "POST", path: "/groups",
		body: `{"description":"Group with designated owner and members","displayName":"Operations group","groupTypes":[],"mailEnabled":false,
		  "mailNickname":"operations2019","securityEnabled":true,"owners@odata.bind":["https://graph.microsoft.com/v1.0/users/{user}"],
		  "members@odata.bind":["https://graph.microsoft.com/v1.0/users/{user}","https://graph.microsoft.com/v1.0/users/{user2}"]}`,
		status: 201, typ: "microsoft.graph.group",
		note: "the example's @odata.id names an internal v2 endpoint; @odata.* annotations are not required",
		shape: `{"@odata.context":"s","id":"s","deletedDateTime":null,"classification":null,"createdDateTime":"s","description":"s","displayName":"s",
		  "expirationDateTime":null,"groupTypes":[],"isAssignableToRole":null,"mail":null,"mailEnabled":false,"mailNickname":"s","membershipRule":null,
		  "membershipRuleProcessingState":null,"onPremisesDomainName":null,"onPremisesLastSyncDateTime":null,"onPremisesNetBiosName":null,
		  "onPremisesSamAccountName":null,"onPremisesSecurityIdentifier":null,"onPremisesSyncEnabled":null,"preferredDataLocation":null,
		  "preferredLanguage":null,"proxyAddresses":[],"renewedDateTime":"s","resourceBehaviorOptions":[],"resourceProvisioningOptions":[],
		  "securityEnabled":false,"securityIdentifier":"s","theme":null,"visibility":null,"onPremisesProvisioningErrors":[]}`},
	{page: "group-post-groups.md", name: "create_role_enabled_group", method: "POST", path: "/groups",
		body: `{"description":"Group assignable to a role","displayName":"Role assignable group","groupTypes":["Unified"],"isAssignableToRole":true,
		  "mailEnabled":true,"securityEnabled":true,"mailNickname":"contosohelpdeskadministrators",
		  "owners@odata.bind":["https://graph.microsoft.com/v1.0/users/{user}"],
		  "members@odata.bind":["https://graph.microsoft.com/v1.0/users/{user}","https://graph.microsoft.com/v1.0/users/{user2}"]}`,
		status: 201, typ: "microsoft.graph.group",
		note: "the example also shows createdByAppId, organizationId, infoCatalogs, isManagementRestricted and writebackConfiguration, which the v1.0 metadata does not declare on group: not required",
		shape: `{"@odata.context":"s","id":"s","deletedDateTime":null,"classification":null,"createdDateTime":"s","description":"s","displayName":"s",
		  "expirationDateTime":null,"groupTypes":["s"],"isAssignableToRole":false,"mail":"s","mailEnabled":false,"mailNickname":"s","membershipRule":null,
		  "membershipRuleProcessingState":null,"onPremisesDomainName":null,"onPremisesLastSyncDateTime":null,"onPremisesNetBiosName":null,
		  "onPremisesSamAccountName":null,"onPremisesSecurityIdentifier":null,"onPremisesSyncEnabled":null,"preferredDataLocation":"s",
		  "preferredLanguage":null,"proxyAddresses":["s"],"renewedDateTime":"s","resourceBehaviorOptions":[],"resourceProvisioningOptions":[],
		  "securityEnabled":false,"securityIdentifier":"s","theme":null,"visibility":"s","onPremisesProvisioningErrors":[]}`},
	{page: "serviceprincipal-update.md", name: "update_serviceprincipal", method: "PATCH", path: "/servicePrincipals/{sp3}",
		body: `{"appRoleAssignmentRequired":true}`, status: 204,
		note: "the page's Response section says 204 with the updated object in the body; the examples (and Graph) answer 204 without a body"},
	{page: "serviceprincipal-update.md", name: "assign_serviceprincipal_customsecurityattribute_string", method: "PATCH", path: "/servicePrincipals/{sp3}",
		body:   `{"customSecurityAttributes":{"Engineering":{"@odata.type":"#Microsoft.DirectoryServices.CustomSecurityAttributeValue","ProjectDate":"2022-10-01"}}}`,
		status: 204},
	{page: "synchronization-serviceprincipal-put-synchronization.md", name: "synchronization_secrets", method: "PUT", path: "/servicePrincipals/{sp3}/synchronization/secrets",
		body: `{"value":[{"key":"BaseAddress","value":"user@domain.com"},{"key":"SecretToken","value":"password-value"},
		  {"key":"SyncNotificationSettings","value":"{\"Enabled\":false,\"DeleteThresholdEnabled\":false}"},{"key":"SyncAll","value":"false"}]}`,
		status: 204},
	{page: "synchronization-synchronization-acquireaccesstoken.md", name: "synchronization_acquireaccesstoken", method: "POST", path: "/applications/{app}/synchronization/acquireAccessToken",
		body:   `{"credentials":[{"key":"BaseAddress","value":"{target}"},{"key":"SecretToken","value":"sim-token-docs"}]}`,
		status: 204,
		note:   "the example's single credential is a placeholder with only @odata.type (no key or value); it is replayed with the app's real credentials, since accepting an empty credential would loosen validation"},
	{page: "synchronization-synchronizationschema-update.md", name: "update_synchronizationschema", method: "PUT", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}/schema",
		body: `{"directories":[{"name":"Azure Active Directory","objects":[{"name":"User","attributes":[{"name":"userPrincipalName","type":"string"}]}]},{"name":"Salesforce","objects":[{"name":"User","attributes":[{"name":"userName","type":"string"}]}]}],
		  "synchronizationRules":[{"id":"{rule}","name":"USER_TO_USER","sourceDirectoryName":"Azure Active Directory","targetDirectoryName":"Salesforce",
		  "objectMappings":[{"sourceObjectName":"User","targetObjectName":"User","attributeMappings":[{"source":{"type":"Attribute","name":"userPrincipalName"},"targetAttributeName":"userName"}]}]}]}`,
		status: 204,
		note:   "the page's body has trailing commas (not JSON) and is marked shortened (\"supply all the properties\"); it is replayed as the JSON it means, with what a full schema carries: the rule's id, the target directory's User object that the mapping names and the mapping's source (the page shows {}); graphsim rejects a mapping to an object the target lacks or without a source"},
	{page: "synchronization-synchronizationtemplate-update.md", name: "update_synchronizationtemplate", method: "PUT", path: "/applications/{slackapp}/synchronization/templates/Slack",
		body: `{"id":"Slack","applicationId":"{slackappid}","factoryTag":"CustomSCIM"}`, status: 204,
		note: "the page's body is shortened (\"include all the properties\"); replayed as shown on the Slack app's own template. The page writes applicationId with the path's {id} placeholder; it is replayed with the app's appId, which a template's GET answers and graphsim checks"},
	{page: "serviceprincipal-delete-approleassignedto.md", name: "serviceprincipal_delete_approleassignedto", method: "DELETE",
		path: "/servicePrincipals/{sp}/appRoleAssignedTo/{assignment}", status: 204},
	{page: "serviceprincipal-delete.md", name: "delete_serviceprincipal", method: "DELETE", path: "/servicePrincipals/{sp3}", status: 204},
	{page: "serviceprincipal-post-serviceprincipals.md", name: "create_serviceprincipal_from_serviceprincipals", method: "POST", path: "/serviceprincipals",
		body: `{"appId":"{appid3}"}`, status: 201, typ: "microsoft.graph.servicePrincipal",
		note: "the page's body has a trailing comma (not JSON) and shows publisherName (beta only); replayed for the application whose service principal delete_serviceprincipal removed",
		shape: `{"@odata.context":"s","id":"s","deletedDateTime":null,"accountEnabled":false,"appDisplayName":"s","appId":"s","appOwnerOrganizationId":"s",
		  "appRoleAssignmentRequired":false,"displayName":"s","homepage":null,"logoutUrl":null,"replyUrls":[],"servicePrincipalNames":["s"],
		  "tags":[],"addIns":[],"appRoles":[],"info":{"termsOfServiceUrl":null,"supportUrl":null,"privacyStatementUrl":null,"marketingUrl":null,"logoUrl":null},
		  "keyCredentials":[],"oauth2PermissionScopes":[],"passwordCredentials":[]}`},
	{page: "directory-deleteditems-delete.md", name: "delete_directory", method: "DELETE", path: "/directory/deletedItems/{app2}", status: 204,
		note: "replayed with the application delete_application soft-deleted"},

	// Last: deleting the job the examples above use.
	{page: "synchronization-synchronizationjob-delete.md", name: "delete_synchronizationjob", method: "DELETE", path: "/servicePrincipals/{sp}/synchronization/jobs/{job}", status: 204},
}

// docEnv is a simulator prepared with the objects the examples address.
type docEnv struct {
	env  *simtest.Env
	vars map[string]string
}

func newDocEnv(t *testing.T) *docEnv {
	t.Helper()
	env := startSim(t, graphsim.Options{Users: 4, Groups: 2})
	sp, app := instantiate(t, env, graphsim.CustomAppTemplateID, "Docs app")
	_, doomed := instantiate(t, env, graphsim.CustomAppTemplateID, "Docs deleted app")
	_, app2 := instantiate(t, env, graphsim.CustomAppTemplateID, "Docs app to delete")
	slackSP, slackApp := instantiate(t, env, graphsim.SlackTemplateID, "Docs Slack")
	sp3, app3 := instantiate(t, env, graphsim.CustomAppTemplateID, "Docs app to update")
	spID := sp["id"].(string)
	users := userIDs(t, env, 2)
	groups := values(t, mustGraph(t, env, 200, "GET", "/groups", nil))
	assignment := assign(t, env, spID, users[0])
	putSecrets(t, env, spID, "BaseAddress", targetURL(env, "docs"), "SecretToken", "sim-token-docs")
	jobID := createJob(t, env, spID, "scim")
	schema := obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/schema", nil))
	mustGraph(t, env, 204, "POST", "/servicePrincipals/"+spID+"/synchronization/jobs/"+jobID+"/start", nil)
	runEngine(t, env, 0) // one cycle, so the provisioning log has events
	mustGraph(t, env, 204, "DELETE", "/applications/"+doomed["id"].(string), nil)
	return &docEnv{env: env, vars: map[string]string{
		"{sp}": spID, "{job}": jobID, "{user}": users[0], "{group}": groups[0]["id"].(string),
		"{deleted}": doomed["id"].(string), "{app2}": app2["id"].(string), "{target}": targetURL(env, "docs"),
		"{sp3}": sp3["id"].(string), "{appid3}": app3["appId"].(string), "{app}": app["id"].(string), "{appid}": app["appId"].(string),
		"{slacksp}": slackSP["id"].(string), "{slackapp}": slackApp["id"].(string), "{slackappid}": slackApp["appId"].(string),
		"{dir}": schema["directories"].([]any)[1].(map[string]any)["id"].(string), "{assignment}": assignment, "{user2}": users[1],
		"{rule}": schema["synchronizationRules"].([]any)[0].(map[string]any)["id"].(string),
	}}
}

func (d *docEnv) expand(s string) string {
	for k, v := range d.vars {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// TestDocumentedExamples replays the HTTP examples of Graph's API reference
// pages for the routes graphsim serves and checks the documented status and
// body shape, and the body against the metadata. Examples run in the listed
// order against one tenant (the job is deleted last).
func TestDocumentedExamples(t *testing.T) {
	d := newDocEnv(t)
	passed := 0
	for _, ex := range docExamples {
		t.Run(strings.TrimSuffix(ex.page, ".md")+"/"+ex.name, func(t *testing.T) {
			var body any
			if ex.body != "" {
				if err := json.Unmarshal([]byte(d.expand(ex.body)), &body); err != nil {
					t.Fatalf("example body: %v", err)
				}
			}
			path := strings.NewReplacer(" ", "%20", `"`, "%22").Replace(d.expand(ex.path))
			status, _, data := rawGraph(t, d.env, ex.method, "/v1.0"+path, ex.headers, body)
			problems := d.check(ex, status, data)
			switch {
			case ex.gap != "" && len(problems) == 0:
				t.Fatalf("known gap %q no longer fails: remove gap from the table", ex.gap)
			case ex.gap != "":
				t.Logf("known gap (%s): %s", ex.gap, problems[0])
			case len(problems) > 0:
				t.Fatalf("%d differences from the documented example (%s):\n  %s\nbody: %s", len(problems), ex.note, strings.Join(problems, "\n  "), data)
			default:
				passed++
			}
		})
	}
	t.Logf("documented examples: %d of %d pass (%d pages)", passed, len(docExamples), countPages())
}

// check compares one answer with the documented example.
func (d *docEnv) check(ex docExample, status int, data []byte) []string {
	if status != ex.status {
		return []string{fmt.Sprintf("status %d, documented %d: %s", status, ex.status, data)}
	}
	if ex.text {
		if _, err := strconv.Atoi(string(data)); err != nil {
			return []string{fmt.Sprintf("documented a text/plain count, got %q", data)}
		}
		return nil
	}
	if ex.shape == "" {
		if len(strings.TrimSpace(string(data))) != 0 {
			return []string{fmt.Sprintf("documented without a body, got %s", data)}
		}
		return nil
	}
	var got, want any
	if err := json.Unmarshal(data, &got); err != nil {
		return []string{fmt.Sprintf("body is not JSON: %s", data)}
	}
	if err := json.Unmarshal([]byte(ex.shape), &want); err != nil {
		return []string{fmt.Sprintf("shape of the example: %v", err)}
	}
	problems := shapeDiff("$", ex.typ, want, got)
	if ex.typ != "" {
		v := got
		if strings.HasPrefix(ex.typ, "Collection(") {
			v = got.(map[string]any)["value"]
		}
		for _, p := range graphsim.Metadata().Validate(ex.typ, v) {
			if !serviceExtras[p.Undeclared] {
				problems = append(problems, "metadata: "+p.String())
			}
		}
	}
	return problems
}

func countPages() int {
	pages := map[string]bool{}
	for _, ex := range docExamples {
		pages[ex.page] = true
	}
	return len(pages)
}

// shapeDiff lists the members of want that got lacks or holds with another
// JSON kind. A null in want matches any kind; a null in got matches any
// documented kind when the metadata allows the property to be null
// (typ names the type of the object at path, when known).
func shapeDiff(path, typ string, want, got any) []string {
	var out []string
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: documented an object, got %s", path, csdl.KindOf(got))}
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		elemType := strings.TrimSuffix(strings.TrimPrefix(typ, "Collection("), ")")
		for _, k := range keys {
			gv, present := g[k]
			if !present {
				out = append(out, fmt.Sprintf("%s.%s: documented, missing", path, k))
				continue
			}
			propType := ""
			nullable := true
			if p, ok := graphsim.Metadata().Property(elemType, k); ok {
				propType, nullable = p.Type, p.Nullable || strings.HasPrefix(p.Type, "Collection(")
			} else if k == "value" && strings.HasPrefix(typ, "Collection(") {
				propType = typ
			}
			if gv == nil && w[k] != nil && nullable {
				continue
			}
			out = append(out, shapeDiff(path+"."+k, propType, w[k], gv)...)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: documented an array, got %s", path, csdl.KindOf(got))}
		}
		if len(w) > 0 && len(g) > 0 {
			out = append(out, shapeDiff(path+"[0]", strings.TrimSuffix(strings.TrimPrefix(typ, "Collection("), ")"), w[0], g[0])...)
		}
	case nil:
	default:
		if csdl.KindOf(want) != csdl.KindOf(got) {
			out = append(out, fmt.Sprintf("%s: documented a %s, got %s", path, csdl.KindOf(want), csdl.KindOf(got)))
		}
	}
	return out
}
