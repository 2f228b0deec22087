package graphsim

import "time"

// This file holds the state types shared between the directory half of the
// simulator (templates, applications, service principals, users, groups,
// assignments) and the synchronization half (jobs, secrets, schema, engine,
// logs). All state is guarded by Sim.mu; functions documented "caller holds
// s.mu" must only be called with it held.

// Well-known identifiers.
const (
	// CustomAppTemplateID is the global cloud's non-gallery ("Custom") application template.
	CustomAppTemplateID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
	// EntraDirectoryID is the source directory id in every synchronization schema.
	EntraDirectoryID = "66e4a8cc-1b7b-435e-95f8-f06cea133828"
	// UserRoleID and MsiamAccessRoleID are the app roles the custom template creates.
	UserRoleID        = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
	MsiamAccessRoleID = "b9632174-c057-4f7e-951b-be3adc52bfe6"
	// DefaultAccessRoleID is the "default app role" for apps that declare no roles.
	DefaultAccessRoleID = "00000000-0000-0000-0000-000000000000"
)

// AppTemplate is an applicationTemplate plus the synchronization template id
// that service principals instantiated from it offer (e.g. "scim").
type AppTemplate struct {
	ID                         string   `json:"id"`
	DisplayName                string   `json:"displayName"`
	Description                string   `json:"description"`
	HomePageURL                string   `json:"homePageUrl"`
	LogoURL                    string   `json:"logoUrl"`
	Publisher                  string   `json:"publisher"`
	Categories                 []string `json:"categories"`
	SupportedProvisioningTypes []string `json:"supportedProvisioningTypes"`
	SupportedSingleSignOnModes []string `json:"supportedSingleSignOnModes"`
	SyncTemplateID             string   `json:"-"`
}

// AppRole is an appRole of an application / service principal.
type AppRole struct {
	AllowedMemberTypes []string `json:"allowedMemberTypes"`
	Description        string   `json:"description"`
	DisplayName        string   `json:"displayName"`
	ID                 string   `json:"id"`
	IsEnabled          bool     `json:"isEnabled"`
	Origin             string   `json:"origin"`
	Value              *string  `json:"value"`
}

// ServicePrincipal is the part of a servicePrincipal the engine needs; the
// directory half may keep more.
type ServicePrincipal struct {
	ID                        string
	AppID                     string
	ApplicationObjectID       string
	DisplayName               string
	AppRoleAssignmentRequired bool
	ApplicationTemplateID     string
	SyncTemplateID            string // synchronization template offered ("scim", ...)
	AppRoles                  []AppRole
	Tags                      []string
	CreatedAt                 time.Time // simulated time, for replication-lag faults
}

// AppRoleAssignment is an appRoleAssignment on a resource service principal.
type AppRoleAssignment struct {
	ID                   string    `json:"id"`
	DeletedDateTime      *string   `json:"deletedDateTime"`
	AppRoleID            string    `json:"appRoleId"`
	CreatedDateTime      string    `json:"createdDateTime"`
	PrincipalDisplayName string    `json:"principalDisplayName"`
	PrincipalID          string    `json:"principalId"`
	PrincipalType        string    `json:"principalType"` // User | Group | ServicePrincipal
	ResourceDisplayName  string    `json:"resourceDisplayName"`
	ResourceID           string    `json:"resourceId"`
	CreatedAt            time.Time `json:"-"`
}

// User is a seeded directory user. Attributes() exposes it under the source
// attribute names the synchronization schema uses.
type User struct {
	ID                         string
	UserPrincipalName          string
	Mail                       string
	MailNickname               string
	DisplayName                string
	GivenName                  string
	Surname                    string
	JobTitle                   string
	Department                 string
	CompanyName                string
	Country                    string
	City                       string
	State                      string
	StreetAddress              string
	PostalCode                 string
	PhysicalDeliveryOfficeName string
	TelephoneNumber            string
	Mobile                     string
	FacsimileTelephoneNumber   string
	PreferredLanguage          string
	EmployeeID                 string
	ManagerID                  string
	AccountEnabled             bool
	SoftDeleted                bool
	// props holds the other settable properties as stored (ageGroup,
	// otherMails, employeeOrgData, …; see userStoredProps). Replaced, never
	// mutated in place: copies of a User share it.
	props map[string]any
}

// Attributes returns the user's values keyed by Entra source attribute name
// (as in the scim template's "Azure Active Directory" User object). Empty
// strings are omitted: null values are not provisioned.
func (u *User) Attributes() map[string]any {
	m := map[string]any{
		"objectId":       u.ID,
		"accountEnabled": u.AccountEnabled,
		"IsSoftDeleted":  u.SoftDeleted || !u.AccountEnabled,
	}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("userPrincipalName", u.UserPrincipalName)
	put("mail", u.Mail)
	put("mailNickname", u.MailNickname)
	put("displayName", u.DisplayName)
	put("givenName", u.GivenName)
	put("surname", u.Surname)
	put("jobTitle", u.JobTitle)
	put("department", u.Department)
	put("companyName", u.CompanyName)
	put("country", u.Country)
	put("city", u.City)
	put("state", u.State)
	put("streetAddress", u.StreetAddress)
	put("postalCode", u.PostalCode)
	put("physicalDeliveryOfficeName", u.PhysicalDeliveryOfficeName)
	put("telephoneNumber", u.TelephoneNumber)
	put("mobile", u.Mobile)
	put("facsimileTelephoneNumber", u.FacsimileTelephoneNumber)
	put("preferredLanguage", u.PreferredLanguage)
	put("employeeId", u.EmployeeID)
	put("manager", u.ManagerID)
	return m
}

// Group is a directory group: seeded (mail-enabled security groups) or
// created through POST /groups.
type Group struct {
	ID           string
	DisplayName  string
	Description  string
	Mail         string
	MailNickname string
	// MemberIDs are directory object ids: users, groups or service
	// principals; provisioning follows only the users among them.
	MemberIDs []string
	// OwnerIDs are directory object ids (users or service principals).
	OwnerIDs        []string
	MailEnabled     bool
	SecurityEnabled bool
	GroupTypes      []string
	// Properties stored as sent (visibility, isAssignableToRole,
	// resourceBehaviorOptions, …): see groupWritable.
	props     map[string]any
	CreatedAt time.Time // simulated; zero for seeded groups
}

// Attributes returns the group's values keyed by source attribute name.
func (g *Group) Attributes() map[string]any {
	m := map[string]any{"objectId": g.ID, "displayName": g.DisplayName}
	if g.Description != "" {
		m["description"] = g.Description
	}
	if g.Mail != "" {
		m["mail"] = g.Mail
	}
	if g.MailNickname != "" {
		m["mailNickname"] = g.MailNickname
	}
	if len(g.MemberIDs) > 0 {
		members := make([]any, len(g.MemberIDs))
		for i, id := range g.MemberIDs {
			members[i] = id
		}
		m["members"] = members
	}
	return m
}

// The directory half implements these for the synchronization half
// (directory_access.go; caller holds s.mu):
//
//	func (s *Sim) servicePrincipal(id string) *ServicePrincipal   // nil when unknown or deleted
//	func (s *Sim) assignments(spID string) []*AppRoleAssignment   // assignments on the resource SP
//	func (s *Sim) user(id string) *User                           // nil when unknown
//	func (s *Sim) group(id string) *Group                         // nil when unknown
//	func (s *Sim) users() []*User                                 // all users, stable order
//	func (s *Sim) groups() []*Group                               // all groups, stable order
//
// The synchronization half implements these for the directory half
// (sync_hooks.go; caller holds s.mu):
//
//	func (s *Sim) onServicePrincipalCreated(sp *ServicePrincipal) // sets up synchronization for it
//	func (s *Sim) onServicePrincipalDeleted(spID string)          // stops and drops its jobs/secrets
//	func (s *Sim) syncRoutes(mux *http.ServeMux)                  // registers every sync/engine/log/scim route
//	func (s *Sim) startEngine(ctx context.Context)                // starts the provisioning engine loop
