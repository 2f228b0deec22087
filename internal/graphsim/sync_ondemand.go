package graphsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// onDemandMembers is how many members of a group provisionOnDemand
// provisions with it (Entra's documented limit is 5).
const onDemandMembers = 5

// handleProvisionOnDemand provisions one subject now, through the same
// export code as cycles, and answers Graph's stringKeyStringValuePair whose
// key and value are JSON documents encoded as strings (first doc example).
func (s *Sim) handleProvisionOnDemand(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.onDemandLimiter().allow("pod:" + r.PathValue("id")); !ok {
		writeThrottled(w, r, wait, "provisionOnDemand")
		return
	}
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	params := asSlice(body["parameters"])
	if len(params) == 0 {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "parameters must hold one {ruleId, subjects:[{objectId, objectTypeName}]} entry.")
		return
	}
	param := asMap(params[0])
	ruleID, _ := param["ruleId"].(string)
	subjects := asSlice(param["subjects"])
	if len(subjects) == 0 {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "parameters[0].subjects must name one user or group to provision.")
		return
	}
	subject := asMap(subjects[0])
	objectID, _ := subject["objectId"].(string)
	typeName, _ := subject["objectTypeName"].(string)

	s.mu.Lock()
	p, j, found := s.lookupJob(w, r)
	if !found {
		s.mu.Unlock()
		return
	}
	cs := s.jobCompiled(j)
	if !slices.Contains(cs.ruleIDs, ruleID) {
		s.mu.Unlock()
		writeError(w, r, http.StatusBadRequest, "BadRequest",
			fmt.Sprintf("ruleId '%s' is not a synchronization rule of this job; use the id of synchronizationRules[0] from GET …/jobs/{jobId}/schema (%s).", ruleID, strings.Join(cs.ruleIDs, ", ")))
		return
	}
	// Graph checks the saved credentials before it looks at the subject:
	// without them the request is a 400 CredentialsMissing (the AzureAD
	// provider's acceptance test, run against Entra, expects exactly that).
	if p.secret("BaseAddress") == "" || p.secret("SecretToken") == "" {
		s.mu.Unlock()
		writeError(w, r, http.StatusBadRequest, "CredentialsMissing",
			"Please configure provisioning by providing your admin credentials (BaseAddress and SecretToken in …/synchronization/secrets), then retry the provision on-demand.")
		return
	}
	plan, subjectEntry, skipReason, fail := s.planOnDemand(p, j, cs, objectID, typeName)
	if fail != nil {
		s.mu.Unlock()
		fail.write(w, r)
		return
	}
	client := s.targetClient()
	s.mu.Unlock()

	start := s.clock.Now()
	var res *cycleResult
	if skipReason == "" {
		res = executeOnDemand(r, client, plan)
	}

	s.mu.Lock()
	now := s.clock.Now()
	if res != nil && !j.deleted {
		if j.exported == nil {
			j.exported = map[string]exportedEntry{}
		}
		for id, e := range res.exports {
			j.exported[id] = e
		}
		for _, ev := range res.events {
			ev.at = now
			s.sync.logs.add(ev)
		}
	}
	s.mu.Unlock()
	resp := onDemandResponse(plan, subjectEntry, typeName, res, skipReason, start, now)
	resp["@odata.context"] = metadataURL(r) + "microsoft.graph.stringKeyStringValuePair"
	writeJSON(w, http.StatusOK, resp)
}

// onDemandLimiter is the 5-per-10-s limiter (created lazily for Sims built
// without initSyncState).
func (s *Sim) onDemandLimiter() *rateLimiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initSyncState()
	return s.sync.onDemand
}

// planOnDemand builds a one-subject plan. skipReason is set when the subject
// is out of scope (nothing is sent). Caller holds s.mu.
func (s *Sim) planOnDemand(p *spSync, j *syncJob, cs *compiledSchema, objectID, typeName string) (*cyclePlan, *planEntry, string, *httpFailure) {
	sp := s.servicePrincipal(j.SPID)
	plan := &cyclePlan{
		job: j, jobID: j.ID, spID: j.SPID, spName: sp.DisplayName, cycleID: uuid.NewString(),
		targetDir: s.sync.templates[j.TemplateID].targetDir,
		base:      p.secret("BaseAddress"), token: p.secret("SecretToken"),
		began: s.clock.Now(), refTargets: map[string]string{},
	}
	for id, e := range j.exported {
		plan.refTargets[id] = e.targetID
	}
	users, groups := s.entitledPrincipals(j.SPID, strings.EqualFold(p.secret("SyncAll"), "true"))
	switch typeName {
	case "User", "user":
		u := s.user(objectID)
		if u == nil {
			return nil, nil, "", &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("User '%s' does not exist in the directory.", objectID)}
		}
		get := caseInsensitive(u.Attributes())
		entry := &planEntry{sourceID: u.ID, display: u.DisplayName}
		if cs.user == nil {
			return plan, entry, "The job's schema has no enabled User mapping.", nil
		}
		entry = buildEntry(cs.user, u.ID, u.DisplayName, false, get)
		if !slices.ContainsFunc(users, func(x *User) bool { return x.ID == u.ID }) {
			return plan, entry, "NotEffectivelyEntitled: the user is not assigned to the application (or not in the sync scope).", nil
		}
		if !inScope(cs.user.scope, get) {
			return plan, entry, "The user does not pass the scoping filter.", nil
		}
		plan.users = []*planEntry{entry}
		return plan, entry, "", nil
	case "Group":
		g := s.group(objectID)
		if g == nil {
			return nil, nil, "", &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("Group '%s' does not exist in the directory.", objectID)}
		}
		entry := &planEntry{sourceID: g.ID, display: g.DisplayName, group: true}
		if cs.group == nil {
			return plan, entry, "The job's schema has no enabled Group mapping.", nil
		}
		entry = buildEntry(cs.group, g.ID, g.DisplayName, true, caseInsensitive(g.Attributes()))
		if !slices.ContainsFunc(groups, func(x *Group) bool { return x.ID == g.ID }) {
			return plan, entry, "NotEffectivelyEntitled: the group is not assigned to the application.", nil
		}
		if cs.user != nil {
			for _, id := range g.MemberIDs {
				if len(plan.users) == onDemandMembers {
					break
				}
				if u := s.user(id); u != nil {
					get := caseInsensitive(u.Attributes())
					if inScope(cs.user.scope, get) {
						plan.users = append(plan.users, buildEntry(cs.user, u.ID, u.DisplayName, false, get))
					}
				}
			}
		}
		plan.groups = []*planEntry{entry}
		return plan, entry, "", nil
	}
	return nil, nil, "", &httpFailure{http.StatusBadRequest, "BadRequest", fmt.Sprintf("objectTypeName '%s' is not supported; use User or Group.", typeName)}
}

// executeOnDemand runs the plan's exports, recording on-demand events.
func executeOnDemand(r *http.Request, client *http.Client, plan *cyclePlan) *cycleResult {
	res := &cycleResult{exports: map[string]exportedEntry{}}
	if plan.base == "" || plan.token == "" {
		res.fatal = &syncError{codeCredentialsMissing, "No tenant URL or secret token is saved for this application.", true}
		return res
	}
	if err := validateTenantURL(plan.base); err != nil {
		res.fatal = &syncError{codeTargetUnreachable, err.Error(), true}
		return res
	}
	x := &executor{ctx: r.Context(), call: &targetCall{client: client, base: plan.base, token: plan.token},
		plan: plan, res: res, targetIDs: plan.refTargets, onDemand: true}
	for _, e := range append(append([]*planEntry{}, plan.users...), plan.groups...) {
		if f := x.export(e); f != nil {
			res.fatal = &syncError{f.code, f.message, true}
			return res
		}
	}
	return res
}

// onDemandResponse renders the stringKeyStringValuePair.
func onDemandResponse(plan *cyclePlan, e *planEntry, typeName string, res *cycleResult, skip string, start, end time.Time) map[string]any {
	result, status, action := "Success", "Success", "Other"
	var errCode, reason any
	var modified []map[string]any
	targetID := ""
	if e == nil {
		e = &planEntry{}
	}
	switch {
	case skip != "":
		result, status, reason = "Skipped", "Skipped", skip
		errCode = "NotEffectivelyEntitled"
	case res.fatal != nil:
		result, status, errCode, reason = "Failure", "Failed", res.fatal.Code, res.fatal.Message
	default:
		// The subject's own event (the last one) decides the action; no
		// event means it was already in sync.
		var own *provisioningEvent
		for i := range res.events {
			if res.events[i].sourceID == e.sourceID {
				own = &res.events[i]
			}
		}
		if own == nil {
			result, status, errCode = "Skipped", "Skipped", "RedundantExport"
			reason = "The object is already in sync with the target; nothing was exported."
			targetID = res.exports[e.sourceID].targetID
		} else {
			action = strings.ToUpper(own.action[:1]) + own.action[1:]
			targetID = own.targetID
			for _, m := range own.modified {
				modified = append(modified, map[string]any{"displayName": m.name, "oldValue": nilIfEmpty(m.oldValue), "newValue": m.newValue})
			}
		}
	}
	details := map[string]any{}
	if errCode != nil {
		details = map[string]any{"errorCode": errCode, "errorMessage": reason}
	}
	key, _ := json.Marshal(map[string]any{"result": result, "details": details})
	steps := onDemandSteps(onDemandCase{plan: plan, entry: e, typeName: typeName, res: res, skip: skip,
		action: action, at: end})
	value, _ := json.Marshal(map[string]any{
		"action":               action,
		"changeId":             uuid.NewString(),
		"startTime":            start.UTC().Format(time.RFC3339),
		"endTime":              end.UTC().Format(time.RFC3339),
		"modifiedProperties":   orEmpty(modified),
		"provisioningSteps":    steps,
		"reportableIdentifier": e.matchValue,
		"statusInfo": map[string]any{"status": status, "errorCode": errCode, "reason": reason,
			"additionalDetails": nil, "errorCategory": nil, "recommendedAction": nil},
		"sourceIdentity": map[string]any{"id": e.sourceID, "type": typeName, "displayName": e.display, "details": nil},
		"sourceSystem":   map[string]any{"id": nil, "name": "Azure Active Directory", "details": nil},
		"targetIdentity": map[string]any{"id": targetID, "type": typeName, "displayName": nil, "details": nil},
		"targetSystem":   map[string]any{"id": nil, "name": plan.targetDir, "details": nil},
	})
	return map[string]any{
		"key":   string(key),
		"value": string(value),
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orEmpty(m []map[string]any) []map[string]any {
	if m == nil {
		return []map[string]any{}
	}
	return m
}
