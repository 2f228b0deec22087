package graphsim

import (
	"time"
)

// onDemandCase is what provisionOnDemand found for its subject.
type onDemandCase struct {
	plan     *cyclePlan
	entry    *planEntry
	typeName string       // User or Group
	res      *cycleResult // nil when skipped before export
	skip     string       // out-of-scope reason
	action   string       // Create, Update, Delete, Disable or Other
	at       time.Time
}

// onDemandSteps lists the provisioning steps of an on-demand result the way
// Graph's documented response shows them: import from Entra ID, match in the
// target, scoping, then one export step named after what happened —
// EntryExportAdd (created), EntryExportUpdate (updated),
// EntryExportUpdateSoftDelete / EntryExportDelete (disabled / deleted),
// EntrySynchronizationSkip with SkipReason RedundantExport (already in sync)
// or NotEffectivelyEntitled (out of scope: the target is not matched), and a
// Failed step where the target failed (matching when it could not be reached
// refused the credentials or answered with an error, else the export).
func onDemandSteps(c onDemandCase) []any {
	e, dir := c.entry, c.plan.targetDir
	name := e.matchValue
	if name == "" {
		name = e.sourceID
	}
	ts := c.at.UTC().Format(time.RFC3339)
	step := func(stepName, typ, status, desc string, details map[string]any) map[string]any {
		if details == nil {
			details = map[string]any{}
		}
		return map[string]any{"name": stepName, "type": typ, "status": status, "description": desc, "timestamp": ts, "details": details}
	}
	steps := []any{step("EntryImport", "Import", "Success",
		"Retrieved "+c.typeName+" '"+name+"' from Azure Active Directory",
		map[string]any{"objectId": e.sourceID, "displayName": e.display})}
	scopeDesc := "Determine if " + c.typeName + " in scope by evaluating against each scoping filter"
	if c.skip != "" {
		return append(steps,
			step("EntrySynchronizationScoping", "Scoping", "Skipped", scopeDesc,
				map[string]any{"IsEffectivelyEntitledForProvisioning": "False", "ScopeEvaluationResult": c.skip}),
			step("EntrySynchronizationSkip", "Export", "Skipped",
				"The "+c.typeName+" '"+name+"' was skipped because it is not in scope for provisioning: "+c.skip,
				map[string]any{"SkipReason": "NotEffectivelyEntitled"}))
	}
	scoping := step("EntrySynchronizationScoping", "Scoping", "Success", scopeDesc,
		map[string]any{"IsActive": "True", "IsEffectivelyEntitledForProvisioning": "True"})
	matched := e.hadPrev || c.action == "Update" || c.action == "Other" || c.action == "Disable" || c.action == "Delete"
	matchDesc := "Retrieved '" + name + "' from " + dir
	if !matched {
		matchDesc = "No " + c.typeName + " matching '" + name + "' was found in " + dir + "; it will be created"
	}
	if f := c.res.fatal; f != nil {
		details := map[string]any{"errorCode": f.Code, "errorMessage": f.Message}
		switch f.Code {
		case codeTargetUnreachable, codeTargetUnauthorized, codeCredentialsMissing, codeTargetBadResponse:
			// the target failed the first call, the matching query
			return append(steps, step("EntryImport", "Matching", "Failed",
				"Could not retrieve '"+name+"' from "+dir+": "+f.Message, details), scoping)
		}
		exportName := "EntryExportAdd"
		if e.hadPrev {
			exportName = "EntryExportUpdate"
		}
		return append(steps, step("EntryImport", "Matching", "Success", matchDesc, nil), scoping,
			step(exportName, "Export", "Failed", c.typeName+" '"+name+"' could not be exported to "+dir+": "+f.Message, details))
	}
	steps = append(steps, step("EntryImport", "Matching", "Success", matchDesc, nil), scoping)
	switch c.action {
	case "Create":
		return append(steps, step("EntryExportAdd", "Export", "Success", c.typeName+" '"+name+"' was created in "+dir, nil))
	case "Update":
		return append(steps, step("EntryExportUpdate", "Export", "Success", c.typeName+" '"+name+"' was updated in "+dir, nil))
	case "Disable":
		return append(steps, step("EntryExportUpdateSoftDelete", "Export", "Success", c.typeName+" '"+name+"' was disabled in "+dir, nil))
	case "Delete":
		return append(steps, step("EntryExportDelete", "Export", "Success", c.typeName+" '"+name+"' was deleted in "+dir, nil))
	}
	return append(steps, step("EntrySynchronizationSkip", "Export", "Skipped",
		"The state of the "+c.typeName+" in both the source and target systems already match. No change to the "+c.typeName+" '"+name+"' currently needs to be made.",
		map[string]any{"SkipReason": "RedundantExport"}))
}
