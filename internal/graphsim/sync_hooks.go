package graphsim

import (
	"context"
	"net/http"
)

// onServicePrincipalCreated sets up synchronization for a new service
// principal: the templates it offers, no secrets, no jobs. Caller holds s.mu.
func (s *Sim) onServicePrincipalCreated(sp *ServicePrincipal) {
	s.initSyncState()
	if sp == nil || s.sync.sps[sp.ID] != nil {
		return
	}
	s.sync.sps[sp.ID] = &spSync{
		spID:                sp.ID,
		applicationObjectID: sp.ApplicationObjectID,
		templateIDs:         s.templatesFor(sp.SyncTemplateID),
		jobs:                map[string]*syncJob{},
	}
}

// onServicePrincipalDeleted stops and drops the SP's jobs and secrets (a
// restored SP comes back without synchronization, as in Entra). Caller holds
// s.mu.
func (s *Sim) onServicePrincipalDeleted(spID string) {
	s.initSyncState()
	p := s.sync.sps[spID]
	if p == nil {
		return
	}
	for _, j := range p.jobs {
		s.sync.engine.unschedule(j)
		j.deleted = true
	}
	delete(s.sync.sps, spID)
}

// syncRoutes registers every synchronization, engine, provisioning-log and
// SCIM-target route on the simulator's mux. appId addressing and the
// "functions()" suffixes are rewritten to these paths before routing.
func (s *Sim) syncRoutes(mux *http.ServeMux) {
	const sp = "/v1.0/servicePrincipals/{id}/synchronization"
	const app = "/v1.0/applications/{id}/synchronization"
	const job = sp + "/jobs/{jobId}"

	// Templates (sync_templates.go).
	mux.HandleFunc("GET "+sp+"/templates", s.handleListTemplates(bySP))
	mux.HandleFunc("GET "+sp+"/templates/{templateId}", s.handleGetTemplate(bySP))
	mux.HandleFunc("GET "+sp+"/templates/{templateId}/schema", s.handleGetTemplateSchema(bySP))
	mux.HandleFunc("GET "+sp+"/templates/{templateId}/schema/functions", s.handleFunctions)
	mux.HandleFunc("GET "+sp+"/templates/{templateId}/schema/filterOperators", s.handleFilterOperators)
	mux.HandleFunc("GET "+app+"/templates", s.handleListTemplates(byApplication))
	mux.HandleFunc("GET "+app+"/templates/{templateId}", s.handleGetTemplate(byApplication))
	mux.HandleFunc("GET "+app+"/templates/{templateId}/schema", s.handleGetTemplateSchema(byApplication))
	mux.HandleFunc("PUT "+app+"/templates/{templateId}", s.handleUpdateTemplate)
	mux.HandleFunc("PATCH "+app+"/templates/{templateId}", s.handleUpdateTemplate)
	mux.HandleFunc("POST "+sp+"/acquireAccessToken", s.handleAcquireAccessToken(bySP))
	mux.HandleFunc("POST "+app+"/acquireAccessToken", s.handleAcquireAccessToken(byApplication))

	// Jobs (sync_jobs.go, sync_validate.go, sync_ondemand.go).
	mux.HandleFunc("GET "+sp+"/jobs", s.handleListJobs)
	mux.HandleFunc("POST "+sp+"/jobs", s.handleCreateJob)
	mux.HandleFunc("POST "+sp+"/jobs/validateCredentials", s.handleValidateCredentials(false))
	mux.HandleFunc("GET "+job, s.handleGetJob)
	mux.HandleFunc("DELETE "+job, s.handleDeleteJob)
	mux.HandleFunc("POST "+job+"/start", s.handleStartJob)
	mux.HandleFunc("POST "+job+"/pause", s.handlePauseJob)
	mux.HandleFunc("POST "+job+"/restart", s.handleRestartJob)
	mux.HandleFunc("POST "+job+"/validateCredentials", s.handleValidateCredentials(true))
	mux.HandleFunc("POST "+job+"/provisionOnDemand", s.handleProvisionOnDemand)

	// Schema (sync_schema.go).
	mux.HandleFunc("GET "+job+"/schema", s.handleGetJobSchema)
	mux.HandleFunc("PUT "+job+"/schema", s.handlePutJobSchema)
	mux.HandleFunc("PATCH "+job+"/schema", s.handlePatchJobSchema)
	mux.HandleFunc("DELETE "+job+"/schema", s.handleDeleteJobSchema)
	mux.HandleFunc("GET "+job+"/schema/functions", s.handleFunctions)
	mux.HandleFunc("GET "+job+"/schema/filterOperators", s.handleFilterOperators)
	mux.HandleFunc("POST "+job+"/schema/parseExpression", s.handleParseExpression)
	mux.HandleFunc("POST "+job+"/schema/directories/{directoryId}/discover", s.handleDiscover)

	// Secrets (sync_secrets.go).
	mux.HandleFunc("GET "+sp, s.handleGetSynchronization)
	mux.HandleFunc("PUT "+sp, s.handlePutSynchronization)
	mux.HandleFunc("PUT "+sp+"/secrets", s.handlePutSecrets)
	mux.HandleFunc("GET "+sp+"/secrets", s.handleGetSecrets)
	mux.HandleFunc("GET "+sp+"/secrets/$count", s.handleCountSecrets)

	// Provisioning logs (auditlogs.go).
	mux.HandleFunc("GET /v1.0/auditLogs/provisioning", s.handleProvisioningLogs)

	// Admin and SCIM targets (unauthenticated /_sim paths).
	mux.HandleFunc("GET /_sim/secrets/{id}", s.handleAdminSecrets)
	mux.HandleFunc("POST /_sim/engine/run", s.handleAdminEngineRun)
	mux.HandleFunc("GET /_sim/engine", s.handleAdminEngineState)
	s.scimRoutes(mux)
}

// startEngine starts the provisioning engine's single scheduling loop; it
// stops when ctx is done. It takes no lock itself, so it is safe whether or
// not the caller holds s.mu.
func (s *Sim) startEngine(ctx context.Context) {
	go s.engineLoop(ctx)
}
