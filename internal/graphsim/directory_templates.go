package graphsim

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Gallery application templates. Where Microsoft's id of a gallery app is
// public it is used (Azure Databricks SCIM Provisioning Connector: the id in
// Microsoft's and Databricks' provisioning scripts); for the others no id is
// published (⚠ UNVERIFIED), so the ids below are invented constants.
// Clients should find templates by displayName, as the AzureAD provider's
// azuread_application_template does.
const (
	// DatabricksTemplateID is Azure Databricks SCIM Provisioning Connector
	// (synchronization template dataBricks), Microsoft's real id.
	DatabricksTemplateID        = "9c9818d2-2900-49e8-8ba4-22688be7c675"
	ServiceNowTemplateID        = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a01"
	SalesforceTemplateID        = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a02"
	ZoomTemplateID              = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a03"
	DropboxBusinessTemplateID   = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a04"
	GitHubEnterpriseEMUTemplate = "0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a05"
	// MarketoTemplateID is Marketo's real gallery id (SSO only), with its
	// real User role id: the AzureAD provider's acceptance tests use both.
	MarketoTemplateID        = "4601ed45-8ff3-4599-8377-b6649007e876"
	marketoUserAppRoleID     = "dfd0e7dd-26fb-4b2c-98d2-e444486c1e37"
	MyPoliciesTemplateID     = "6d3d6f7a-4d2e-4a51-9a3c-0b5b1e6f2a11"
	SlackTemplateID          = "9c5a1b3e-2f4d-4c6a-8e7b-1d2c3b4a5f60"
	AtlassianCloudTemplateID = "3b8e2c1d-7a6f-4e5d-9c4b-2a1f0e9d8c72"
	// SSO-only gallery apps: no provisioning (SyncTemplateID "").
	ContosoExpensesTemplateID  = "4f1e2d3c-5b6a-4798-8a7b-6c5d4e3f2a83"
	FabrikamIntranetTemplateID = "5a2b3c4d-6e7f-4a8b-9c0d-1e2f3a4b5c94"
)

// catalogTemplate is an application template plus what instantiating it
// creates (app roles and feature tags).
type catalogTemplate struct {
	AppTemplate
	roles []AppRole
	tags  []string
}

func appRole(id, name, description string) AppRole {
	return AppRole{AllowedMemberTypes: []string{"User"}, Description: description, DisplayName: name, ID: id, IsEnabled: true, Origin: "Application"}
}

func appRoleWithValue(id, name, value string) AppRole {
	r := appRole(id, name, name)
	r.Value = &value
	return r
}

// Tags Entra puts on service principals of enterprise applications.
const (
	tagIntegratedApp = "WindowsAzureActiveDirectoryIntegratedApp"
	tagCustomSSO     = "WindowsAzureActiveDirectoryCustomSingleSignOnApplication"
	tagGallery       = "WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1"
)

// templateCatalog is the simulator's application gallery, in listing order.
func templateCatalog() []*catalogTemplate {
	catalog := galleryCatalog()
	for _, c := range catalog {
		if c.ID != CustomAppTemplateID && c.LogoURL == "" {
			c.LogoURL = galleryLogoURL(c.DisplayName)
		}
	}
	return catalog
}

// galleryLogoURL follows the gallery's logo address pattern
// (…/app-logo/{name}_215.png); the simulator serves no images.
func galleryLogoURL(displayName string) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, displayName)
	return "https://az495088.vo.msecnd.net/app-logo/" + slug + "_215.png"
}

func galleryCatalog() []*catalogTemplate {
	scimSSO := []string{"saml", "password", "notSupported"}
	return []*catalogTemplate{
		{
			AppTemplate: AppTemplate{ID: CustomAppTemplateID, DisplayName: "Custom",
				Description:                "Integrate any other application that you don't find in the gallery (non-gallery application).",
				Publisher:                  "Microsoft Corporation",
				Categories:                 []string{},
				SupportedProvisioningTypes: []string{"sync"},
				SupportedSingleSignOnModes: scimSSO,
				SyncTemplateID:             "scim"},
			roles: []AppRole{appRole(UserRoleID, "User", "User"), appRole(MsiamAccessRoleID, "msiam_access", "msiam_access")},
			tags:  []string{tagIntegratedApp, tagCustomSSO},
		},
		{
			AppTemplate: AppTemplate{ID: MyPoliciesTemplateID, DisplayName: "myPolicies",
				Description:                "myPolicies is a policy management platform: publish policies, track acceptance and prove compliance.",
				HomePageURL:                "https://mypolicies.com/",
				Publisher:                  "myPolicies",
				Categories:                 []string{"compliance", "productivity"},
				SupportedProvisioningTypes: []string{"sync"},
				SupportedSingleSignOnModes: []string{"saml"},
				SyncTemplateID:             "mypolicies"},
			roles: []AppRole{appRole("1f8a6a0e-8c3b-4d6e-9b2a-7e5d4c3b2a10", "User", "User"), appRole("2e9b7b1f-9d4c-4e7f-8c3b-6f5e4d3c2b21", "msiam_access", "msiam_access")},
			tags:  []string{tagIntegratedApp, tagGallery},
		},
		{
			AppTemplate: AppTemplate{ID: SlackTemplateID, DisplayName: "Slack",
				Description:                "Slack is a channel-based messaging platform.",
				HomePageURL:                "https://slack.com/",
				Publisher:                  "Slack Technologies",
				Categories:                 []string{"collaboration", "productivity"},
				SupportedProvisioningTypes: []string{"sync"},
				SupportedSingleSignOnModes: []string{"saml"},
				SyncTemplateID:             "slack"},
			roles: []AppRole{appRole("3a0c8c2a-0e5d-4f8a-9d4c-5a6f5e4d3c32", "User", "User"), appRole("4b1d9d3b-1f6e-4a9b-8e5d-4b7a6f5e4d43", "msiam_access", "msiam_access"),
				appRoleWithValue("5c2e0e4c-2a7f-4b0c-9f6e-3c8b7a6f5e54", "Workspace Admin", "workspace_admin")},
			tags: []string{tagIntegratedApp, tagGallery},
		},
		{
			AppTemplate: AppTemplate{ID: AtlassianCloudTemplateID, DisplayName: "Atlassian Cloud",
				Description:                "Atlassian Cloud: Jira, Confluence and other Atlassian products.",
				HomePageURL:                "https://www.atlassian.com/",
				Publisher:                  "Atlassian",
				Categories:                 []string{"developerServices", "collaboration"},
				SupportedProvisioningTypes: []string{"sync"},
				SupportedSingleSignOnModes: []string{"saml"},
				SyncTemplateID:             "atlassianCloud"},
			roles: []AppRole{appRole("6d3f1f5d-3b8a-4c1d-8a7f-2d9c8b7a6f65", "User", "User"), appRole("7e4a2a6e-4c9b-4d2e-9b8a-1e0d9c8b7a76", "msiam_access", "msiam_access")},
			tags:  []string{tagIntegratedApp, tagGallery},
		},
		galleryScimApp(DatabricksTemplateID, "Azure Databricks SCIM Provisioning Connector", "Databricks",
			"Provision users and groups from Microsoft Entra ID to Azure Databricks workspaces and accounts (SCIM 2.0).",
			"https://databricks.com/", []string{"developerServices", "dataServices"}, []string{"notSupported"}, "dataBricks"),
		galleryScimApp(ServiceNowTemplateID, "ServiceNow", "ServiceNow",
			"ServiceNow: IT service management, with single sign-on and user provisioning.",
			"https://www.servicenow.com/", []string{"itInfrastructure", "businessMgmt"}, []string{"saml", "password"}, "serviceNow"),
		galleryScimApp(SalesforceTemplateID, "Salesforce", "Salesforce",
			"Salesforce CRM, with single sign-on and user provisioning.",
			"https://www.salesforce.com/", []string{"crm", "businessMgmt"}, []string{"saml", "password"}, "SfOutDelta"),
		galleryScimApp(ZoomTemplateID, "Zoom", "Zoom Video Communications",
			"Zoom video meetings, with single sign-on and user provisioning.",
			"https://zoom.us/", []string{"collaboration", "productivity"}, []string{"saml"}, "zoom"),
		galleryScimApp(DropboxBusinessTemplateID, "Dropbox Business", "Dropbox",
			"Dropbox Business file sharing, with single sign-on and user provisioning.",
			"https://www.dropbox.com/business", []string{"contentManagement", "collaboration"}, []string{"saml"}, "dropboxBusiness"),
		galleryScimApp(GitHubEnterpriseEMUTemplate, "GitHub Enterprise Managed User", "GitHub",
			"GitHub Enterprise Managed Users: enterprise accounts provisioned from Microsoft Entra ID.",
			"https://github.com/enterprise", []string{"developerServices", "collaboration"}, []string{"saml", "oidc"}, "gitHubEnterpriseManagedUser"),
		{
			AppTemplate: AppTemplate{ID: MarketoTemplateID, DisplayName: "Marketo",
				Description:                "Marketo marketing automation (single sign-on only; no provisioning).",
				HomePageURL:                "https://www.marketo.com/",
				Publisher:                  "Marketo",
				Categories:                 []string{"marketing"},
				SupportedProvisioningTypes: []string{},
				SupportedSingleSignOnModes: []string{"saml"}},
			roles: []AppRole{appRole(marketoUserAppRoleID, "User", "User"), appRole(uuid.NewSHA1(uuid.NameSpaceOID, []byte("graphsim-role-marketo-msiam")).String(), "msiam_access", "msiam_access")},
			tags:  []string{tagIntegratedApp, tagGallery},
		},
		{
			AppTemplate: AppTemplate{ID: ContosoExpensesTemplateID, DisplayName: "Contoso Expenses",
				Description:                "Expense reporting (single sign-on only; no provisioning).",
				HomePageURL:                "https://expenses.contoso.example/",
				Publisher:                  "Contoso",
				Categories:                 []string{"businessMgmt"},
				SupportedProvisioningTypes: []string{},
				SupportedSingleSignOnModes: []string{"saml"}},
			roles: []AppRole{appRole("8f5b3b7f-5d0c-4e3f-8c9b-0f1e0d9c8b87", "User", "User"), appRole("9a6c4c8a-6e1d-4f4a-9d0c-9a2f1e0d9c98", "msiam_access", "msiam_access")},
			tags:  []string{tagIntegratedApp, tagGallery},
		},
		{
			AppTemplate: AppTemplate{ID: FabrikamIntranetTemplateID, DisplayName: "Fabrikam Intranet",
				Description:                "Intranet portal with password single sign-on (no provisioning).",
				HomePageURL:                "https://intranet.fabrikam.example/",
				Publisher:                  "Fabrikam",
				Categories:                 []string{"collaboration"},
				SupportedProvisioningTypes: []string{},
				SupportedSingleSignOnModes: []string{"password"}},
			roles: []AppRole{appRole("0b7d5d9b-7f2e-4a5b-8e1d-8b3a2f1e0da9", "User", "User")},
			tags:  []string{tagIntegratedApp, tagGallery},
		},
	}
}

// galleryScimApp is a gallery app with automatic provisioning: User and
// msiam_access roles with ids derived from the template id (stable across
// runs), and the gallery service-principal tags.
func galleryScimApp(id, name, publisher, description, homePage string, categories, sso []string, syncTemplateID string) *catalogTemplate {
	roleID := func(role string) string {
		return uuid.NewSHA1(uuid.NameSpaceOID, []byte("graphsim-role-"+id+"-"+role)).String()
	}
	return &catalogTemplate{
		AppTemplate: AppTemplate{ID: id, DisplayName: name, Description: description, HomePageURL: homePage,
			Publisher: publisher, Categories: categories, SupportedProvisioningTypes: []string{"sync"},
			SupportedSingleSignOnModes: sso, SyncTemplateID: syncTemplateID},
		roles: []AppRole{appRole(roleID("User"), "User", "User"), appRole(roleID("msiam_access"), "msiam_access", "msiam_access")},
		tags:  []string{tagIntegratedApp, tagGallery},
	}
}

var templateSpec = listSpec{
	context:    "applicationTemplates",
	resource:   "applicationTemplate",
	filterable: map[string]bool{"displayName": true, "categories": true, "id": true, "publisher": true},
	defaultTop: 100,
	maxTop:     999,
}

func templateJSON(t *AppTemplate) map[string]any {
	return withDefaultProperties("microsoft.graph.applicationTemplate", map[string]any{
		"id":                         t.ID,
		"displayName":                t.DisplayName,
		"description":                t.Description,
		"homePageUrl":                nullIfEmpty(t.HomePageURL),
		"logoUrl":                    nullIfEmpty(t.LogoURL),
		"publisher":                  t.Publisher,
		"categories":                 stringsOrEmpty(t.Categories),
		"supportedProvisioningTypes": stringsOrEmpty(t.SupportedProvisioningTypes),
		"supportedSingleSignOnModes": stringsOrEmpty(t.SupportedSingleSignOnModes),
	})
}

func (s *Sim) handleListAppTemplates(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.dir.templates))
	for _, t := range s.dir.templates {
		items = append(items, templateJSON(t))
	}
	s.mu.Unlock()
	s.writeList(w, r, templateSpec, items)
}

func (s *Sim) handleGetAppTemplate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validObjectID(w, r, id) {
		return
	}
	s.mu.Lock()
	t := s.dir.templateByID[strings.ToLower(id)]
	var obj map[string]any
	if t != nil {
		obj = templateJSON(t)
	}
	s.mu.Unlock()
	if obj == nil {
		writeNotFound(w, r, id)
		return
	}
	s.writeObject(w, r, templateSpec, http.StatusOK, obj)
}

// handleInstantiate creates an application and its service principal from a
// template: 201 applicationServicePrincipal. With the instantiate404 fault it
// creates both and then answers 404, as Graph sometimes does.
func (s *Sim) handleInstantiate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validObjectID(w, r, id) {
		return
	}
	var body struct {
		DisplayName                *string `json:"displayName"`
		ServiceManagementReference *string `json:"serviceManagementReference"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.DisplayName == nil || strings.TrimSpace(*body.DisplayName) == "" {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Application': a non-empty displayName is required.")
		return
	}
	if len(*body.DisplayName) > 256 {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Application': at most 256 characters.")
		return
	}
	s.mu.Lock()
	t := s.dir.templateByID[strings.ToLower(id)]
	if t == nil {
		s.mu.Unlock()
		writeNotFound(w, r, id)
		return
	}
	app, sp := s.createFromTemplate(t, *body.DisplayName, body.ServiceManagementReference)
	resp := map[string]any{
		"@odata.context":   metadataURL(r) + "microsoft.graph.applicationServicePrincipal",
		"application":      s.applicationJSON(app),
		"servicePrincipal": s.servicePrincipalJSON(sp),
	}
	s.mu.Unlock()
	if s.faults.roll(s.faults.spec().Instantiate404) {
		// ⚠ UNVERIFIED body: the azuread provider only reports seeing a 404.
		writeNotFound(w, r, id)
		return
	}
	writeJSON(w, http.StatusCreated, resp)
}

// createFromTemplate creates the application and service principal. Caller holds s.mu.
func (s *Sim) createFromTemplate(t *AppTemplate, displayName string, smr *string) (*application, *servicePrincipal) {
	now := s.clock.Now()
	roles, tags := s.templateRolesAndTags(t.ID)
	app := &application{
		ID: uuid.NewString(), AppID: uuid.NewString(), DisplayName: displayName,
		ApplicationTemplateID: t.ID, AppRoles: roles, CreatedAt: now,
	}
	if smr != nil {
		app.ServiceManagementReference = *smr
	}
	s.dir.apps[app.ID] = app
	s.dir.appOrder = append(s.dir.appOrder, app.ID)
	sp := s.newServicePrincipal(app, t.SyncTemplateID, tags)
	return app, sp
}

// newServicePrincipal creates and registers the service principal of app and
// tells the synchronization half. Caller holds s.mu.
func (s *Sim) newServicePrincipal(app *application, syncTemplateID string, tags []string) *servicePrincipal {
	sp := &servicePrincipal{
		ServicePrincipal: &ServicePrincipal{
			ID: uuid.NewString(), AppID: app.AppID, ApplicationObjectID: app.ID, DisplayName: app.DisplayName,
			AppRoleAssignmentRequired: true, ApplicationTemplateID: app.ApplicationTemplateID,
			SyncTemplateID: syncTemplateID, AppRoles: append([]AppRole(nil), app.AppRoles...),
			Tags: append([]string(nil), tags...), CreatedAt: s.clock.Now(),
		},
		AccountEnabled: true,
	}
	s.dir.sps[sp.ID] = sp
	s.dir.spOrder = append(s.dir.spOrder, sp.ID)
	s.dir.spByAppID[sp.AppID] = sp.ID
	s.onServicePrincipalCreated(sp.ServicePrincipal)
	return sp
}

// templateRolesAndTags returns fresh copies of what a template's apps get.
func (s *Sim) templateRolesAndTags(templateID string) ([]AppRole, []string) {
	for _, c := range templateCatalog() {
		if c.ID == templateID {
			return c.roles, c.tags
		}
	}
	return []AppRole{appRole(UserRoleID, "User", "User")}, []string{tagIntegratedApp}
}

// syncTemplateFor returns the synchronization template id a template's
// service principals offer ("" for none).
func (s *Sim) syncTemplateFor(templateID string) string {
	if t := s.dir.templateByID[strings.ToLower(templateID)]; t != nil {
		return t.SyncTemplateID
	}
	return ""
}

func nullIfEmpty(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func stringsOrEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// validObjectID answers 400 "Invalid object identifier" for ids that are not
// GUIDs, as Graph's directory does, and reports whether id is usable.
func validObjectID(w http.ResponseWriter, r *http.Request, id string) bool {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid object identifier '%s'.", id))
		return false
	}
	return true
}

// writeNotFound answers Graph's 404 for an unknown directory object.
func writeNotFound(w http.ResponseWriter, r *http.Request, id string) {
	writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id))
}
