package provider

import (
	"encoding/json"
	"strings"
)

// onDemandResult is what one provisionOnDemand call reports for a subject.
type onDemandResult struct {
	Status       string // Success, Skipped, Failure, Warning, …
	Action       string // Create, Update, Delete, Other, …
	ErrorCode    string
	ErrorMessage string
}

// onDemandStatusInfo is the statusInfo object inside an on-demand result.
type onDemandStatusInfo struct {
	Status    string  `json:"status"`
	ErrorCode *string `json:"errorCode"`
	Reason    *string `json:"reason"`
}

// onDemandEntry is one provisioning report inside the value string.
type onDemandEntry struct {
	Action         string              `json:"action"`
	StatusInfo     *onDemandStatusInfo `json:"statusInfo"`
	Status         string              `json:"status"`
	SourceIdentity *struct {
		ID string `json:"id"`
	} `json:"sourceIdentity"`
}

// onDemandKey is the key string of the first documented shape.
type onDemandKey struct {
	Result  string `json:"result"`
	Details *struct {
		ErrorCode    *string `json:"errorCode"`
		ErrorMessage *string `json:"errorMessage"`
	} `json:"details"`
}

// parseOnDemandResponse reads the stringKeyStringValuePair that
// provisionOnDemand answers. Both strings are JSON, and Microsoft documents
// two shapes (see provisionOnDemand in Microsoft Graph's API reference):
//
//	A: key = {"result":"Skipped","details":{"errorCode":…,"errorMessage":…}},
//	   value = {"action":…,"statusInfo":{"status":…,"errorCode":…,"reason":…},…}
//	B: key = "Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo",
//	   value = a JSON array of such report objects.
//
// Anything unparseable is tolerated: the fields it would have filled stay
// empty rather than failing an on-demand run that Graph accepted.
func parseOnDemandResponse(key, value, subjectID string) onDemandResult {
	var res onDemandResult
	var k onDemandKey
	if err := json.Unmarshal([]byte(key), &k); err == nil {
		res.Status = k.Result
		if k.Details != nil {
			res.ErrorCode = deref(k.Details.ErrorCode)
			res.ErrorMessage = deref(k.Details.ErrorMessage)
		}
	}

	var entries []onDemandEntry
	trimmed := strings.TrimSpace(value)
	switch {
	case strings.HasPrefix(trimmed, "["):
		_ = json.Unmarshal([]byte(trimmed), &entries)
	case strings.HasPrefix(trimmed, "{"):
		var e onDemandEntry
		if json.Unmarshal([]byte(trimmed), &e) == nil {
			entries = []onDemandEntry{e}
		}
	}
	entry := pickOnDemandEntry(entries, subjectID)
	if entry == nil {
		return res
	}
	res.Action = entry.Action
	if si := entry.StatusInfo; si != nil {
		if res.Status == "" {
			res.Status = si.Status
		}
		if res.ErrorCode == "" {
			res.ErrorCode = deref(si.ErrorCode)
		}
		if res.ErrorMessage == "" {
			res.ErrorMessage = deref(si.Reason)
		}
	}
	if res.Status == "" {
		res.Status = entry.Status
	}
	return res
}

// pickOnDemandEntry prefers the report about the subject itself (a group's
// run also reports its members), else the first one.
func pickOnDemandEntry(entries []onDemandEntry, subjectID string) *onDemandEntry {
	for i := range entries {
		if si := entries[i].SourceIdentity; si != nil && strings.EqualFold(si.ID, subjectID) {
			return &entries[i]
		}
	}
	if len(entries) > 0 {
		return &entries[0]
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// onDemandFailed reports statuses that mean the subject was not provisioned.
func onDemandFailed(status string) bool {
	switch strings.ToLower(status) {
	case "failure", "failed", "error":
		return true
	}
	return false
}
