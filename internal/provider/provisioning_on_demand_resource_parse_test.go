package provider

import "testing"

func TestParseOnDemandResponse(t *testing.T) {
	const subject = "9bb0f679-a883-4a6f-8260-35b491b8b8c8"
	tests := []struct {
		name       string
		key, value string
		want       onDemandResult
	}{
		{
			name:  "documented shape A: result and details in key, report object in value",
			key:   `{"result":"Skipped","details":{"errorCode":"RedundantExport","errorMessage":"The target already has these values."}}`,
			value: `{"action":"Other","changeId":"c1","statusInfo":{"status":"Skipped","errorCode":null,"reason":null},"sourceIdentity":{"id":"` + subject + `","type":"User"}}`,
			want:  onDemandResult{Status: "Skipped", Action: "Other", ErrorCode: "RedundantExport", ErrorMessage: "The target already has these values."},
		},
		{
			name:  "documented shape B: type name as key, array of reports as value",
			key:   "Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo",
			value: `[{"action":"Update","statusInfo":{"status":"Failure","errorCode":"SystemForCrossDomainIdentityManagementServiceIncompatible","reason":"The target answered 500."},"sourceIdentity":{"id":"` + subject + `"}}]`,
			want:  onDemandResult{Status: "Failure", Action: "Update", ErrorCode: "SystemForCrossDomainIdentityManagementServiceIncompatible", ErrorMessage: "The target answered 500."},
		},
		{
			name: "shape B picks the subject's own report among member reports",
			key:  "Microsoft.Identity.Health.CPP.Common.DataContracts.SyncFabric.StatusInfo",
			value: `[{"action":"Create","statusInfo":{"status":"Success"},"sourceIdentity":{"id":"member-1"}},` +
				`{"action":"Other","statusInfo":{"status":"Skipped","reason":"Not in scope"},"sourceIdentity":{"id":"` + subject + `"}}]`,
			want: onDemandResult{Status: "Skipped", Action: "Other", ErrorMessage: "Not in scope"},
		},
		{
			name:  "successful create with null error fields",
			key:   `{"result":"Success","details":{"errorCode":null,"errorMessage":null}}`,
			value: `{"action":"Create","statusInfo":{"status":"Success","errorCode":null,"reason":null}}`,
			want:  onDemandResult{Status: "Success", Action: "Create"},
		},
		{
			name:  "unparseable strings leave fields empty instead of failing",
			key:   "not json",
			value: "also not json",
			want:  onDemandResult{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseOnDemandResponse(tt.key, tt.value, subject)
			if got != tt.want {
				t.Errorf("parseOnDemandResponse() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestOnDemandFailed(t *testing.T) {
	for status, want := range map[string]bool{"Failure": true, "failed": true, "Success": false, "Skipped": false, "": false} {
		if got := onDemandFailed(status); got != want {
			t.Errorf("onDemandFailed(%q) = %v, want %v", status, got, want)
		}
	}
}
