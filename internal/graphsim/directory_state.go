package graphsim

import "time"

// directoryState holds applications, service principals, templates, users,
// groups, assignments and deleted items. Owned by the directory half; guarded
// by Sim.mu like all state.
type directoryState struct {
	templates     []*AppTemplate          // gallery order (stable listing)
	templateByID  map[string]*AppTemplate // id → template
	apps          map[string]*application // live applications by object id
	appOrder      []string                // creation order of live applications
	sps           map[string]*servicePrincipal
	spOrder       []string                        // creation order of live service principals
	assignments   map[string][]*AppRoleAssignment // resource SP id → assignments
	deleted       map[string]*deletedItem         // soft-deleted objects by id
	deletedOrder  []string                        // deletion order
	users         []*User                         // seed order
	userByID      map[string]*User                // id → user
	userByUPN     map[string]*User                // lower-case UPN → user
	groups        []*Group                        // seed order
	groupByID     map[string]*Group               // id → group
	assignmentIDs map[string]*AppRoleAssignment   // assignment id → assignment (any SP)
	spByAppID     map[string]string               // appId → live SP id
	extensions    []*extensionProperty            // directory extension properties, registration order
}

// application is an application object as instantiate creates it.
type application struct {
	ID                         string
	AppID                      string
	DisplayName                string
	Description                string
	Notes                      string
	ApplicationTemplateID      string
	ServiceManagementReference string
	Tags                       []string
	AppRoles                   []AppRole
	OwnerIDs                   []string // users and service principals, lower-case
	// props are the other declared properties a client set by POST or
	// PATCH (signInAudience, identifierUris, api, web, …), stored as sent
	// after validation against Graph's metadata and echoed by GET.
	props     map[string]any
	CreatedAt time.Time // simulated
	DeletedAt time.Time // simulated; zero while live
}

// servicePrincipal is the directory half's full record of a service
// principal; the embedded ServicePrincipal is what the sync half sees.
type servicePrincipal struct {
	*ServicePrincipal
	Description                string
	Notes                      string
	AccountEnabled             bool
	PreferredSingleSignOnMode  string
	NotificationEmailAddresses []string
	OwnerIDs                   []string // users and service principals, lower-case
	// props override rendered properties (first-party service principals:
	// appOwnerOrganizationId, servicePrincipalNames, oauth2PermissionScopes…).
	props     map[string]any
	DeletedAt time.Time // simulated; zero while live
}

// deletedItem is an object in /directory/deletedItems.
type deletedItem struct {
	app  *application      // set for applications
	sp   *servicePrincipal // set for service principals
	user *User             // set for users (still in dir.users with SoftDeleted)
	// deletedAt is when a user was deleted (applications and service
	// principals carry their own DeletedAt).
	deletedAt time.Time
	// assignments removed with a deleted service principal; restored never
	// (Graph does not restore service principals with their applications).
	assignments []*AppRoleAssignment
}

func newDirectoryState() directoryState {
	return directoryState{
		templateByID:  map[string]*AppTemplate{},
		apps:          map[string]*application{},
		sps:           map[string]*servicePrincipal{},
		assignments:   map[string][]*AppRoleAssignment{},
		deleted:       map[string]*deletedItem{},
		userByID:      map[string]*User{},
		userByUPN:     map[string]*User{},
		groupByID:     map[string]*Group{},
		assignmentIDs: map[string]*AppRoleAssignment{},
		spByAppID:     map[string]string{},
	}
}
