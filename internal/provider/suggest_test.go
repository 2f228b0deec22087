package provider

import (
	"reflect"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// TestTemplateSuggestions pins the "did you mean" answers the application
// template data source gives for gallery names (expression.SuggestN, the
// project's one suggestion algorithm).
func TestTemplateSuggestions(t *testing.T) {
	gallery := []string{"myPolicies", "MetaCompliance", "Apty", "&Money", "Custom", "Salesforce", "ServiceNow", "myPolicies Sandbox"}
	tests := []struct {
		want string
		out  []string
	}{
		{"mypolicy", []string{"myPolicies", "myPolicies Sandbox"}}, // whole name first, then a longer name by its start
		{"Metacomplance", []string{"MetaCompliance"}},              // one typo
		{"Salesfroce", []string{"Salesforce"}},                     // transposition
		{"Workday", nil},                                           // nothing similar
		{"custom", []string{"Custom"}},                             // case only
	}
	for _, tt := range tests {
		got := expression.SuggestN(tt.want, gallery, 5)
		if len(got) == 0 && len(tt.out) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.out) {
			t.Errorf("SuggestN(%q) = %q, want %q", tt.want, got, tt.out)
		}
	}
	if got := expression.SuggestN("a", []string{"ab", "ac", "ad"}, 2); len(got) != 2 {
		t.Errorf("limit not applied: %q", got)
	}
}
