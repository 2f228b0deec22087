package provider

import (
	"reflect"
	"testing"
)

func TestCloseMatches(t *testing.T) {
	gallery := []string{"myPolicies", "MetaCompliance", "Apty", "&Money", "Custom", "Salesforce", "ServiceNow", "myPolicies Sandbox"}
	tests := []struct {
		want string
		out  []string
	}{
		{"mypolicy", []string{"myPolicies", "myPolicies Sandbox"}}, // substring first, shorter first
		{"Metacomplance", []string{"MetaCompliance"}},              // one typo
		{"Salesfroce", []string{"Salesforce"}},                     // transposition
		{"Workday", nil},                                           // nothing similar
		{"custom", []string{"Custom"}},                             // case only
	}
	for _, tt := range tests {
		got := closeMatches(tt.want, gallery, 5)
		if len(got) == 0 && len(tt.out) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.out) {
			t.Errorf("closeMatches(%q) = %q, want %q", tt.want, got, tt.out)
		}
	}
	if got := closeMatches("a", []string{"ab", "ac", "ad"}, 2); len(got) != 2 {
		t.Errorf("limit not applied: %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "abc", 0}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"åbc", "abc", 1}} {
		if got := editDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func TestODataStringEscapesQuotes(t *testing.T) {
	if got := odataString("O'Brien's app"); got != "O''Brien''s app" {
		t.Errorf("odataString = %q", got)
	}
	if got := queryEscape("displayName eq 'a&b'"); got != "displayName%20eq%20%27a%26b%27" {
		t.Errorf("queryEscape = %q", got)
	}
}
