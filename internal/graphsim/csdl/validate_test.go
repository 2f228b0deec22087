package csdl_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/csdl"
)

func schema(t *testing.T) *csdl.Schema {
	t.Helper()
	data, err := os.ReadFile("../data/graph-v1-csdl-digest.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := csdl.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValidateFindsEachKindOfProblem(t *testing.T) {
	s := schema(t)
	cases := []struct {
		name, typ, body, want string // want: substring of the first problem; "" = valid
	}{
		{"valid job", "microsoft.graph.synchronizationJob", `{"id":"x","templateId":"scim","schedule":{"expiration":null,"interval":"PT40M","state":"Active"},"synchronizationJobSettings":[]}`, ""},
		{"undeclared on closed type", "microsoft.graph.synchronizationJob", `{"id":"x","colour":"blue"}`, `"colour" is not declared`},
		{"open type accepts extras", "microsoft.graph.servicePrincipal", `{"id":"x","publisherName":"Contoso"}`, ""},
		{"annotations are fine", "microsoft.graph.synchronizationJob", `{"@odata.context":"c","id":"x","schedule@odata.type":"t"}`, ""},
		{"wrong kind", "microsoft.graph.servicePrincipal", `{"accountEnabled":"true"}`, "want a boolean"},
		{"null collection", "microsoft.graph.servicePrincipal", `{"tags":null}`, "collections are never null"},
		{"null non-nullable", "microsoft.graph.servicePrincipal", `{"appRoleAssignmentRequired":null}`, "null is not allowed"},
		{"enum spelling", "microsoft.graph.synchronizationSchedule", `{"interval":"PT40M","state":"active"}`, `"active" is not a member`},
		{"duration format", "microsoft.graph.synchronizationSchedule", `{"interval":"40m","state":"Active"}`, "ISO 8601 duration"},
		{"date-time format", "microsoft.graph.application", `{"createdDateTime":"yesterday"}`, "RFC 3339"},
		{"guid format", "microsoft.graph.appRoleAssignment", `{"appRoleId":"nope"}`, "GUID"},
		{"flags enum list", "microsoft.graph.objectMapping", `{"flowTypes":"Add,Update,Delete"}`, ""},
		{"collection element", "Collection(microsoft.graph.synchronizationJob)", `[{"id":"x"},{"id":3}]`, "$[1].id"},
		{"derived @odata.type", "microsoft.graph.directoryObject", `{"@odata.type":"#microsoft.graph.user","userPrincipalName":"a@b"}`, ""},
		{"unrelated @odata.type", "microsoft.graph.user", `{"@odata.type":"#microsoft.graph.synchronizationJob"}`, "does not derive"},
	}
	for _, tc := range cases {
		probs := s.Validate(tc.typ, decode(t, tc.body))
		switch {
		case tc.want == "" && len(probs) > 0:
			t.Errorf("%s: unexpected problems %v", tc.name, probs)
		case tc.want != "" && (len(probs) == 0 || !strings.Contains(probs[0].String(), tc.want)):
			t.Errorf("%s: problems %v, want one containing %q", tc.name, probs, tc.want)
		}
	}
}

func TestValidateError(t *testing.T) {
	good := `{"error":{"code":"BadRequest","message":"m","innerError":{"date":"2026-12-03T06:00:00","request-id":"a","client-request-id":"b"}}}`
	if p := csdl.ValidateError(decode(t, good)); len(p) > 0 {
		t.Fatalf("valid envelope: %v", p)
	}
	bad := `{"error":{"code":"BadRequest","message":"m","innerError":{"date":"2026-12-03T06:00:00","request-id":"a"}}}`
	if p := csdl.ValidateError(decode(t, bad)); len(p) != 1 || !strings.Contains(p[0].Path, "client-request-id") {
		t.Fatalf("missing client-request-id: %v", p)
	}
}

func TestSchemaLookups(t *testing.T) {
	s := schema(t)
	if _, ok := s.Property("graph.servicePrincipal", "deletedDateTime"); !ok {
		t.Fatal("inherited property via alias not found")
	}
	if !s.IsOpen("microsoft.graph.user") || s.IsOpen("microsoft.graph.synchronizationJob") {
		t.Fatal("openness")
	}
	names := strings.Join(s.Names(), " ")
	for _, n := range []string{"servicePrincipals", "synchronization", "provisionOnDemand", "appRoleAssignedTo"} {
		if !strings.Contains(names, n) {
			t.Errorf("Names lacks %s", n)
		}
	}
}
