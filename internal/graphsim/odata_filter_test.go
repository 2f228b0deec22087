package graphsim

import "testing"

func TestFilterEvaluation(t *testing.T) {
	obj := map[string]any{
		"displayName": "Slack Enterprise", "appId": "abc", "accountEnabled": true, "count": 5.0,
		"categories": []any{"collaboration", "productivity"}, "mail": nil,
		"createdDateTime": "2024-05-01T10:00:00Z", "principalId": "8b3c1d2e-0000-4000-8000-00000000abcd",
	}
	cases := []struct {
		filter string
		want   bool
	}{
		{"displayName eq 'slack enterprise'", true},
		{"displayName ne 'Slack Enterprise'", false},
		{"startswith(displayName,'sla')", true},
		{"endswith(displayName,'prise')", true},
		{"contains(displayName,'ENTER')", true},
		{"contains(tolower(displayName),'enter')", true},
		{"accountEnabled eq true", true},
		{"accountEnabled eq false", false},
		{"count gt 4 and count lt 6", true},
		{"count ge 6 or appId eq 'abc'", true},
		{"not (appId eq 'abc')", false},
		{"mail eq null", true},
		{"categories/any(c:c eq 'productivity')", true},
		{"categories/any(c:startswith(c,'coll'))", true},
		{"categories/all(c:contains(c,'o'))", true},
		{"categories/any(c:c eq 'security')", false},
		{"createdDateTime gt 2024-01-01T00:00:00Z", true},
		{"displayName eq 'It''s'", false},
		{"appId eq 'abc' and not (appId eq 8b3c1d2e-0000-4000-8000-00000000abcd)", true},
		{"principalId eq 8B3C1D2E-0000-4000-8000-00000000ABCD", true},
	}
	for _, tc := range cases {
		t.Run(tc.filter, func(t *testing.T) {
			e, err := parseFilter(tc.filter, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.eval(filterEnv{obj: obj}); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	allowed := map[string]bool{"displayName": true, "categories": true}
	for _, tc := range []struct {
		filter      string
		unsupported bool
	}{
		{"displayName eq", false},
		{"displayName eq 'x", false},
		{"displayName xx 'x'", false},
		{"(displayName eq 'x'", false},
		{"displayName eq 'x' garbage", false},
		{"contains(displayName 'x')", false},
		{"categories/any(c c eq 'x')", false},
		{"displayName eq 'x' and", false},
		{"#", false},
		{"appId eq 'x'", true},
		{"startswith(notes,'x')", true},
	} {
		_, err := parseFilter(tc.filter, allowed)
		fe, ok := err.(*filterError)
		if !ok || fe.unsupported != tc.unsupported {
			t.Errorf("%q: err = %v", tc.filter, err)
		}
	}
}
