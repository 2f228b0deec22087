package graphsim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/google/uuid"
)

// Error codes the engine reports. Entra's SCIM connector reports codes of
// this family ("SystemForCrossDomainIdentityManagement…"); the exact set is
// UNVERIFIED, so these names are stable simulator choices that clients and
// the exporter can group by.
const (
	codeTargetUnreachable  = "SystemForCrossDomainIdentityManagementServiceUnreachable"
	codeTargetUnauthorized = "SystemForCrossDomainIdentityManagementUnauthorized"
	codeTargetBadResponse  = "SystemForCrossDomainIdentityManagementBadResponse"
	codeTargetConflict     = "SystemForCrossDomainIdentityManagementEntryConflict"
	codeCredentialsMissing = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable"
	codeMatchingMissing    = "SystemForCrossDomainIdentityManagementMatchingAttributeMissing"
)

// cycleResult is what executeCycle learned; applyCycle records it.
type cycleResult struct {
	fatal         *syncError
	exports       map[string]exportedEntry // source id → new watermark
	removed       []string                 // source ids no longer tracked
	events        []provisioningEvent
	countExported int64
	countExports  int64
	escrowed      int64
	heldDeletes   int // removals held back by the deletion threshold
}

// failure is a classified target answer: fatal failures abort the cycle.
type failure struct {
	fatal   bool
	code    string
	message string
}

// classify turns a transport error or an HTTP status into a failure (nil
// when the status is one of ok).
func classify(resp *targetResponse, err error, what string, ok ...int) *failure {
	if err != nil {
		return &failure{true, codeTargetUnreachable, fmt.Sprintf("Failed to %s: the SCIM endpoint could not be reached: %v", what, err)}
	}
	for _, s := range ok {
		if resp.status == s {
			return nil
		}
	}
	msg := fmt.Sprintf("Failed to %s. We received this unexpected response from your application: Status Code: %d %s Response Content: %s",
		what, resp.status, http.StatusText(resp.status), snippet(resp.body))
	switch {
	case resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden:
		return &failure{true, codeTargetUnauthorized, msg}
	case resp.status >= 500 || resp.status == http.StatusTooManyRequests:
		return &failure{true, codeTargetBadResponse, msg}
	case resp.status == http.StatusConflict:
		return &failure{false, codeTargetConflict, msg}
	}
	return &failure{false, codeTargetBadResponse, msg}
}

// executor runs one cycle's exports against the tenant URL.
type executor struct {
	ctx       context.Context
	call      *targetCall
	plan      *cyclePlan
	res       *cycleResult
	targetIDs map[string]string
	contacted bool
	onDemand  bool
}

// executeCycle performs the plan's HTTP calls; it holds no lock.
func executeCycle(ctx context.Context, client *http.Client, plan *cyclePlan) *cycleResult {
	res := &cycleResult{exports: map[string]exportedEntry{}}
	if plan.base == "" || plan.token == "" {
		res.fatal = &syncError{codeCredentialsMissing, "No tenant URL (BaseAddress) or secret token (SecretToken) is saved for this application; save credentials, then start the job.", true}
		return res
	}
	if err := validateTenantURL(plan.base); err != nil {
		res.fatal = &syncError{codeTargetUnreachable, err.Error(), true}
		return res
	}
	x := &executor{ctx: ctx, call: &targetCall{client: client, base: plan.base, token: plan.token}, plan: plan, res: res, targetIDs: plan.refTargets}
	// Users first, so that group members and managers can be resolved.
	for _, list := range [][]*planEntry{plan.users, plan.groups} {
		for _, e := range list {
			if f := x.export(e); f != nil && f.fatal {
				res.fatal = &syncError{f.code, f.message, true}
				return res
			}
		}
	}
	// Accidental-deletion prevention: a cycle that would delete or disable
	// threshold or more objects holds them all back (at most threshold−1
	// pass) until a restart with ForceDeletes.
	if plan.deleteThreshold > 0 && !plan.forceDeletes && !plan.skipOutOfScopeDeletes && len(plan.removals) >= plan.deleteThreshold {
		res.heldDeletes = len(plan.removals)
		plan.removals = nil
	}
	for _, r := range plan.removals {
		if f := x.remove(r); f != nil && f.fatal {
			res.fatal = &syncError{f.code, f.message, true}
			return res
		}
	}
	if !x.contacted {
		// Nothing changed: an incremental cycle still queries the target,
		// which is how an outage (and a recovery) is noticed.
		probe := plan.probe
		if probe == "" {
			probe = uuid.NewString()
		}
		resp, err := x.call.do(ctx, http.MethodGet, filterPath("Users", "userName", probe), nil)
		if f := classify(resp, err, "query Users", http.StatusOK); f != nil {
			res.fatal = &syncError{f.code, f.message, true}
		}
	}
	return res
}

func resourceOf(group bool) string {
	if group {
		return "Groups"
	}
	return "Users"
}

// resolved returns the value to send for a plan attribute (references
// mapped to target ids; nil when none resolves).
func (x *executor) resolved(a planAttr) any {
	if a.refs == nil {
		return a.value
	}
	var ids []any
	for _, ref := range a.refs {
		if id := x.targetIDs[ref]; id != "" {
			ids = append(ids, map[string]any{"value": id})
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if a.multi {
		return ids
	}
	return ids[0]
}

// export matches one object in the target and creates or updates it.
func (x *executor) export(e *planEntry) *failure {
	res := resourceOf(e.group)
	identity := "User"
	if e.group {
		identity = "Group"
	}
	if e.matchValue == "" {
		f := &failure{false, codeMatchingMissing, fmt.Sprintf("The matching attribute %q has no value for %s %s.", e.matchPath, strings.ToLower(identity), e.sourceID)}
		x.event(e, "create", "", f, nil)
		x.res.escrowed++
		return f
	}
	x.contacted = true
	resp, err := x.call.do(x.ctx, http.MethodGet, filterPath(res, e.matchPath, e.matchValue), nil)
	if f := classify(resp, err, "query "+res, http.StatusOK); f != nil {
		x.event(e, "other", "", f, nil)
		x.res.escrowed++
		return f
	}
	var list struct {
		Resources []map[string]any `json:"Resources"`
	}
	if err := json.Unmarshal(resp.body, &list); err != nil {
		f := &failure{false, codeTargetBadResponse, "The SCIM endpoint answered the query with invalid JSON: " + err.Error()}
		x.event(e, "other", "", f, nil)
		x.res.escrowed++
		return f
	}
	if len(list.Resources) == 0 {
		return x.create(e, res)
	}
	return x.update(e, res, list.Resources[0])
}

func (x *executor) create(e *planEntry, res string) *failure {
	schema := coreUserSchema
	if e.group {
		schema = coreGroupSchema
	}
	doc := map[string]any{"schemas": []any{schema}}
	var modified []modifiedProperty
	for _, a := range e.attrs {
		v := x.resolved(a)
		if v == nil {
			continue
		}
		if err := scimSet(doc, a.path, v); err == nil {
			modified = append(modified, modifiedProperty{name: a.path, newValue: displayValue(v)})
		}
	}
	resp, err := x.call.do(x.ctx, http.MethodPost, "/"+res, doc)
	if f := classify(resp, err, "create "+strings.TrimSuffix(res, "s"), http.StatusCreated, http.StatusOK); f != nil {
		x.event(e, "create", "", f, modified)
		x.res.escrowed++
		return f
	}
	var created map[string]any
	_ = json.Unmarshal(resp.body, &created)
	id := asString(created["id"])
	x.recordExport(e, id)
	x.res.countExported++
	x.res.countExports++
	x.event(e, "create", id, nil, modified)
	return nil
}

func (x *executor) update(e *planEntry, res string, existing map[string]any) *failure {
	id := asString(existing["id"])
	var ops []any
	var modified []modifiedProperty
	for _, a := range e.attrs {
		if a.addOnly {
			continue
		}
		v := x.resolved(a)
		if v == nil {
			continue
		}
		cur := scimGet(existing, a.path)
		if jsonEqual(cur, v) {
			continue
		}
		ops = append(ops, map[string]any{"op": "replace", "path": a.path, "value": v})
		modified = append(modified, modifiedProperty{name: a.path, oldValue: displayValue(cur), newValue: displayValue(v)})
	}
	if len(ops) == 0 {
		x.recordExport(e, id) // already in sync: only the watermark moves
		return nil
	}
	body := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": ops}
	resp, err := x.call.do(x.ctx, http.MethodPatch, "/"+res+"/"+id, body)
	if f := classify(resp, err, "update "+strings.TrimSuffix(res, "s"), http.StatusOK, http.StatusNoContent); f != nil {
		x.event(e, "update", id, f, modified)
		x.res.escrowed++
		return f
	}
	x.recordExport(e, id)
	x.res.countExported++
	x.res.countExports++
	action := "update"
	for _, op := range ops {
		if m := op.(map[string]any); m["path"] == "active" && m["value"] == false {
			action = "disable" // the user was disabled or soft-deleted in the directory
		}
	}
	x.event(e, action, id, nil, modified)
	return nil
}

func (x *executor) recordExport(e *planEntry, targetID string) {
	x.res.exports[e.sourceID] = exportedEntry{targetID: targetID, hash: e.hash, group: e.group}
	x.targetIDs[e.sourceID] = targetID
}

// remove deprovisions an object that left scope (disable a user, delete a
// group) or was deleted from the directory (delete).
func (x *executor) remove(r planRemoval) *failure {
	e := &planEntry{sourceID: r.sourceID, group: r.entry.group}
	res := resourceOf(r.entry.group)
	if !r.deleted && x.plan.skipOutOfScopeDeletes {
		entry := r.entry
		entry.disabled, entry.hash = true, 0
		x.res.exports[r.sourceID] = entry // remembered, left untouched in the target
		return nil
	}
	x.contacted = true
	if r.deleted || r.entry.group {
		resp, err := x.call.do(x.ctx, http.MethodDelete, "/"+res+"/"+r.entry.targetID, nil)
		if f := classify(resp, err, "delete "+strings.TrimSuffix(res, "s"), http.StatusNoContent, http.StatusOK, http.StatusNotFound); f != nil {
			x.event(e, "delete", r.entry.targetID, f, nil)
			x.res.escrowed++
			return f
		}
		x.res.removed = append(x.res.removed, r.sourceID)
		x.res.countExported++
		x.res.countExports++
		x.event(e, "delete", r.entry.targetID, nil, nil)
		return nil
	}
	body := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "path": "active", "value": false}}}
	resp, err := x.call.do(x.ctx, http.MethodPatch, "/Users/"+r.entry.targetID, body)
	if f := classify(resp, err, "disable User", http.StatusOK, http.StatusNoContent); f != nil {
		x.event(e, "disable", r.entry.targetID, f, nil)
		x.res.escrowed++
		return f
	}
	entry := r.entry
	entry.disabled, entry.hash = true, 0
	x.res.exports[r.sourceID] = entry
	x.res.countExported++
	x.res.countExports++
	x.event(e, "disable", r.entry.targetID, nil, []modifiedProperty{{name: "active", oldValue: "True", newValue: "False"}})
	return nil
}

// event records a provisioning event for the object (timestamps are set
// when the cycle is applied).
func (x *executor) event(e *planEntry, action, targetID string, f *failure, modified []modifiedProperty) {
	ev := provisioningEvent{
		id: uuid.NewString(), jobID: x.plan.jobID, cycleID: x.plan.cycleID, changeID: uuid.NewString(),
		spID: x.plan.spID, spName: x.plan.spName, action: action, status: "success",
		identity: "User", sourceID: e.sourceID, sourceName: e.display, targetID: targetID,
		targetName: e.matchValue, targetDir: x.plan.targetDir, modified: modified, onDemand: x.onDemand,
		durationMs: 150 + int64(len(modified))*10,
	}
	if e.group {
		ev.identity = "Group"
	}
	if f != nil {
		ev.status, ev.errorCode, ev.reason = "failure", f.code, f.message
	}
	x.res.events = append(x.res.events, ev)
}

// jsonEqual compares a value read from a target with one the engine would
// send, ignoring number representation differences.
func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	return reflect.DeepEqual(va, vb)
}

// displayValue renders a value for modifiedProperties.
func displayValue(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		return boolString(t)
	}
	data, _ := json.Marshal(v)
	return string(data)
}
