package graphsim

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// lookupSP resolves {id} to its synchronization state, writing a Graph-like
// 404 when the service principal is unknown. Caller holds s.mu.
func (s *Sim) lookupSP(w http.ResponseWriter, r *http.Request) (*spSync, bool) {
	spID := r.PathValue("id")
	p := s.spSyncFor(spID)
	if p == nil {
		writeSPNotFound(w, r, spID)
		return nil, false
	}
	return p, true
}

// lookupJob resolves {id} and {jobId}, writing a Graph-like 404 when either is
// unknown. Caller holds s.mu.
func (s *Sim) lookupJob(w http.ResponseWriter, r *http.Request) (*spSync, *syncJob, bool) {
	p, ok := s.lookupSP(w, r)
	if !ok {
		return nil, nil, false
	}
	jobID := r.PathValue("jobId")
	j := p.jobs[jobID]
	if j == nil {
		writeJobNotFound(w, r, jobID)
		return nil, nil, false
	}
	return p, j, true
}

func writeJobNotFound(w http.ResponseWriter, r *http.Request, jobID string) {
	writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Synchronization job '%s' was not found for service principal '%s'; list …/synchronization/jobs for the existing jobs.", jobID, r.PathValue("id")))
}

// syncTenantIDNoDashes is the tenant id as it appears inside job ids.
func (s *Sim) syncTenantIDNoDashes() string {
	return strings.ReplaceAll(s.tenantID, "-", "")
}

func (s *Sim) handleListJobs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	// The only filter seen in the wild is templateId eq 'X'.
	wantTemplate, err := templateIDFilter(r.URL.Query().Get("$filter"))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	value := []any{}
	for _, id := range p.jobOrder {
		j := p.jobs[id]
		if wantTemplate != "" && j.TemplateID != wantTemplate {
			continue
		}
		value = append(value, j.jobJSON(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": odataContext(r, "synchronization/jobs"),
		"value":          value,
	})
}

// templateIDFilter parses "templateId eq 'X'" (the only jobs filter).
func templateIDFilter(f string) (string, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return "", nil
	}
	const prefix = "templateId eq '"
	if strings.HasPrefix(f, prefix) && strings.HasSuffix(f, "'") && len(f) > len(prefix) {
		return f[len(prefix) : len(f)-1], nil
	}
	return "", fmt.Errorf("Invalid filter clause: only \"templateId eq '<id>'\" is supported on synchronization jobs, got %q.", f)
}

func (s *Sim) handleCreateJob(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupSP(w, r)
	if !ok {
		return
	}
	spID := p.spID
	if s.replicationLagging(spID) {
		writeReplicationConflict(w, r, spID)
		return
	}
	templateID, valid := p.offeredTemplate(asString(body["templateId"]))
	if !valid {
		templateID = asString(body["templateId"])
		writeError(w, r, http.StatusBadRequest, "BadRequest",
			fmt.Sprintf("templateId '%s' is not one of this service principal's synchronization templates (%s).", templateID, strings.Join(p.templateIDs, ", ")))
		return
	}
	j := &syncJob{
		ID:            fmt.Sprintf("%s.%s.%s", templateID, s.syncTenantIDNoDashes(), uuid.NewString()),
		TemplateID:    templateID,
		SPID:          spID,
		createdAt:     s.clock.Now(),
		scheduleState: "Disabled",
		interval:      defaultJobInterval,
		heapIndex:     -1,
		needsFull:     true,
	}
	p.jobs[j.ID] = j
	p.jobOrder = append(p.jobOrder, j.ID)
	out := j.jobJSON(p)
	out["@odata.context"] = odataContext(r, "synchronization/jobs/$entity")
	w.Header().Set("Location", "https://graph.microsoft.com/"+apiVersion(r)+"/servicePrincipals/"+spID+"/synchronization/jobs/"+j.ID)
	writeJSON(w, http.StatusCreated, out)
}

func (s *Sim) handleGetJob(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	// Replication lag: a job created moments ago may not be readable yet.
	if s.lagging(j.createdAt) {
		writeJobNotFound(w, r, j.ID)
		return
	}
	out := j.jobJSON(p)
	out["@odata.context"] = odataContext(r, "synchronization/jobs/$entity")
	writeJSON(w, http.StatusOK, out)
}

func (s *Sim) handleDeleteJob(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	s.sync.engine.unschedule(j)
	j.deleted = true
	delete(p.jobs, j.ID)
	for i, id := range p.jobOrder {
		if id == j.ID {
			p.jobOrder = append(p.jobOrder[:i], p.jobOrder[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleStartJob(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	// Start resumes a paused job or clears quarantine; calling it on a
	// running job is harmless here (Microsoft advises against it).
	if j.quarantine != nil {
		j.quarantine = nil
		j.code = "Active"
		if j.scheduleState == "Active" {
			// Retry now instead of at the quarantine's nextAttempt.
			s.sync.engine.schedule(j, s.clock.Now())
			s.sync.engine.kick()
		}
	}
	s.activateJob(j)
	w.WriteHeader(http.StatusNoContent)
}

// activateJob sets the schedule Active and queues a cycle now. Caller holds
// s.mu.
func (s *Sim) activateJob(j *syncJob) {
	j.disabledByService = false
	if j.scheduleState != "Active" || j.heapIndex < 0 {
		j.scheduleState = "Active"
		if j.lastSuccessful == nil {
			j.code = "NotRun"
		} else if j.quarantine == nil {
			j.code = "Active"
		}
		j.everStarted = true
		s.sync.engine.schedule(j, s.clock.Now())
		s.sync.engine.kick()
	}
}

func (s *Sim) handlePauseJob(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	// UNVERIFIED whether schedule.state becomes Paused or Disabled; Paused
	// keeps "enabled = state == Active" readers correct either way.
	j.scheduleState = "Paused"
	j.code = "Paused"
	j.everStarted = true
	s.sync.engine.unschedule(j)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleRestartJob(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, true)
	if !ok {
		return
	}
	scopeText := ""
	if c, present := body["criteria"]; present && c != nil {
		cm, isObj := c.(map[string]any)
		if !isObj {
			writeError(w, r, http.StatusBadRequest, "BadRequest", "criteria must be an object like {\"resetScope\":\"Watermark,Escrows\"}.")
			return
		}
		if v, present := cm["resetScope"]; present && v != nil {
			str, isStr := v.(string)
			if !isStr {
				writeError(w, r, http.StatusBadRequest, "BadRequest", "criteria.resetScope must be a comma-separated string of flags.")
				return
			}
			scopeText = str
		}
	}
	scope, err := parseResetScope(scopeText)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	j.applyRestart(scope)
	if j.quarantine == nil && j.code == "Quarantine" {
		j.code = "Active"
	}
	// Restart reprocesses now: the job runs even if it was paused.
	s.sync.engine.unschedule(j)
	j.scheduleState = ""
	s.activateJob(j)
	w.WriteHeader(http.StatusNoContent)
}

// replicationLagging reports whether writes to a brand-new SP's
// synchronization should still fail with a replication error (only with the
// lag fault configured). Caller holds s.mu.
func (s *Sim) replicationLagging(spID string) bool {
	sp := s.servicePrincipal(spID)
	return sp != nil && s.lagging(sp.CreatedAt)
}

// writeReplicationConflict answers a synchronization write on a brand-new
// SP the way the azuread provider has observed during replication (it retries
// on 409 and 403); the simulator uses 409 so that a real permission problem
// (403) is never confused with lag.
func writeReplicationConflict(w http.ResponseWriter, r *http.Request, spID string) {
	writeError(w, r, http.StatusConflict, "Conflict",
		fmt.Sprintf("The service principal '%s' is not yet replicated to the synchronization service; retry in a few seconds.", spID))
}
