package graphsim

import "net/http"

// routes registers every route on mux: identity, admin, directory, $batch
// and (through syncRoutes) the synchronization half's routes.
func (s *Sim) routes(mux *http.ServeMux) {
	s.authRoutes(mux)
	s.adminRoutes(mux)
	s.directoryRoutes(mux)
	s.extensionRoutes(mux)
	mux.HandleFunc(batchPattern, s.handleBatch)
	s.syncRoutes(mux)
}

func (s *Sim) directoryRoutes(mux *http.ServeMux) {
	const v = graphPrefix
	mux.HandleFunc("GET "+v+"/applicationTemplates", s.handleListAppTemplates)
	mux.HandleFunc("GET "+v+"/applicationTemplates/{id}", s.handleGetAppTemplate)
	mux.HandleFunc("POST "+v+"/applicationTemplates/{id}/instantiate", s.handleInstantiate)

	mux.HandleFunc("GET "+v+"/applications", s.handleListApplications)
	mux.HandleFunc("GET "+v+"/applications/{id}", s.handleGetApplication)
	mux.HandleFunc("POST "+v+"/applications", s.handleCreateApplication)
	mux.HandleFunc("PATCH "+v+"/applications/{id}", s.handlePatchApplication)
	mux.HandleFunc("DELETE "+v+"/applications/{id}", s.handleDeleteApplication)

	mux.HandleFunc("GET "+v+"/servicePrincipals", s.handleListServicePrincipals)
	mux.HandleFunc("POST "+v+"/servicePrincipals", s.handleCreateServicePrincipal)
	mux.HandleFunc("GET "+v+"/servicePrincipals/{id}", s.handleGetServicePrincipal)
	mux.HandleFunc("PATCH "+v+"/servicePrincipals/{id}", s.handlePatchServicePrincipal)
	mux.HandleFunc("DELETE "+v+"/servicePrincipals/{id}", s.handleDeleteServicePrincipal)
	mux.HandleFunc("GET "+v+"/servicePrincipals/{id}/appRoleAssignedTo", s.handleListAssignments)
	mux.HandleFunc("POST "+v+"/servicePrincipals/{id}/appRoleAssignedTo", s.handleCreateAssignment)
	mux.HandleFunc("GET "+v+"/servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}", s.handleGetAssignment)
	mux.HandleFunc("DELETE "+v+"/servicePrincipals/{id}/appRoleAssignedTo/{assignmentId}", s.handleDeleteAssignment)

	mux.HandleFunc("GET "+v+"/directory/deletedItems/microsoft.graph.application", s.handleListDeleted("application"))
	mux.HandleFunc("GET "+v+"/directory/deletedItems/microsoft.graph.servicePrincipal", s.handleListDeleted("servicePrincipal"))
	mux.HandleFunc("GET "+v+"/directory/deletedItems/microsoft.graph.user", s.handleListDeleted("user"))
	mux.HandleFunc("GET "+v+"/directory/deletedItems/{id}", s.handleGetDeleted)
	mux.HandleFunc("DELETE "+v+"/directory/deletedItems/{id}", s.handlePurgeDeleted)
	mux.HandleFunc("POST "+v+"/directory/deletedItems/{id}/restore", s.handleRestoreDeleted)

	mux.HandleFunc("GET "+v+"/users", s.handleListUsers)
	mux.HandleFunc("GET "+v+"/users/{id}", s.handleGetUser)
	mux.HandleFunc("POST "+v+"/users", s.handleCreateUser)
	mux.HandleFunc("PATCH "+v+"/users/{id}", s.handlePatchUser)
	mux.HandleFunc("DELETE "+v+"/users/{id}", s.handleDeleteUser)
	mux.HandleFunc("GET "+v+"/users/{id}/manager", s.handleGetManager)
	mux.HandleFunc("PUT "+v+"/users/{id}/manager/$ref", s.handleSetManager)
	mux.HandleFunc("DELETE "+v+"/users/{id}/manager/$ref", s.handleRemoveManager)
	mux.HandleFunc("GET "+v+"/groups", s.handleListGroups)
	mux.HandleFunc("GET "+v+"/groups/{id}", s.handleGetGroup)
	mux.HandleFunc("GET "+v+"/groups/{id}/members", s.handleListMembers)
	mux.HandleFunc("POST "+v+"/groups", s.handleCreateGroup)
	mux.HandleFunc("PATCH "+v+"/groups/{id}", s.handlePatchGroup)
	mux.HandleFunc("DELETE "+v+"/groups/{id}", s.handleDeleteGroup)
	mux.HandleFunc("GET "+v+"/groups/{id}/owners", s.handleListGroupObjects(true))
	mux.HandleFunc("POST "+v+"/groups/{id}/owners/$ref", s.handleAddOwner)
	mux.HandleFunc("DELETE "+v+"/groups/{id}/owners/{ownerId}/$ref", s.handleRemoveOwner)
	mux.HandleFunc("GET "+v+"/groups/{id}/memberOf", s.handleListMemberOf)
	mux.HandleFunc("GET "+v+"/directoryObjects/{id}", s.handleGetDirectoryObject)

	mux.HandleFunc("GET "+v+"/applications/$count", s.handleCount(s.handleListApplications))
	mux.HandleFunc("GET "+v+"/servicePrincipals/$count", s.handleCount(s.handleListServicePrincipals))
	mux.HandleFunc("GET "+v+"/users/$count", s.handleCount(s.handleListUsers))
	mux.HandleFunc("GET "+v+"/groups/$count", s.handleCount(s.handleListGroups))
	mux.HandleFunc("GET "+v+"/groups/{id}/members/$count", s.handleCount(s.handleListMembers))
	mux.HandleFunc("GET "+v+"/domains", s.handleListDomains)
	mux.HandleFunc("GET "+v+"/applications/{id}/owners", s.handleListAppOwners(false))
	mux.HandleFunc("POST "+v+"/applications/{id}/owners/$ref", s.handleAddAppOwner(false))
	mux.HandleFunc("DELETE "+v+"/applications/{id}/owners/{ownerId}/$ref", s.handleRemoveAppOwner(false))
	mux.HandleFunc("POST "+v+"/servicePrincipals/{id}/owners/$ref", s.handleAddAppOwner(true))
	mux.HandleFunc("DELETE "+v+"/servicePrincipals/{id}/owners/{ownerId}/$ref", s.handleRemoveAppOwner(true))
	mux.HandleFunc("GET "+v+"/servicePrincipals/{id}/owners", s.handleListAppOwners(true))
	mux.HandleFunc("POST "+v+"/groups/{id}/members/$ref", s.handleAddMember)
	mux.HandleFunc("DELETE "+v+"/groups/{id}/members/{memberId}/$ref", s.handleRemoveMember)
}
