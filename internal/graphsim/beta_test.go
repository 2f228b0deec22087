package graphsim_test

import (
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// TestBetaOnlyProperties: beta's servicePrincipal.samlMetadataUrl (the
// AzureAD provider selects it on beta) is selectable on /beta only.
func TestBetaOnlyProperties(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1, Groups: 1})
	status, body := env.Graph(t, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]any{"displayName": "beta"})
	if status != 201 {
		t.Fatalf("instantiate: %d %s", status, body)
	}
	sp := obj(t, body)["servicePrincipal"].(map[string]any)["id"].(string)
	status, body = env.Graph(t, "GET", env.Ready.GraphEndpoint+"/beta/servicePrincipals/"+sp+"?$select=samlMetadataUrl", nil)
	if m := obj(t, body); status != 200 || m["samlMetadataUrl"] != nil {
		t.Fatalf("beta $select=samlMetadataUrl: %d %s", status, body)
	} else if _, ok := m["samlMetadataUrl"]; !ok {
		t.Fatalf("beta $select=samlMetadataUrl lacks the property: %s", body)
	}
	if status, body := env.Graph(t, "GET", "/servicePrincipals/"+sp+"?$select=samlMetadataUrl", nil); status != 400 || errorCode(t, body) != "BadRequest" {
		t.Fatalf("v1.0 $select=samlMetadataUrl (not a v1.0 property): %d %s", status, body)
	}
}

// TestBetaGroupWriteback: beta GETs of a group carry writebackConfiguration
// (the AzureAD provider's import reads writeback_enabled from it); v1.0 does
// not define it.
func TestBetaGroupWriteback(t *testing.T) {
	env := startSim(t, graphsim.Options{Users: 1, Groups: 1})
	_, body := env.Graph(t, "GET", "/groups?$select=id", nil)
	gid := values(t, body)[0]["id"].(string)
	_, body = env.Graph(t, "GET", env.Ready.GraphEndpoint+"/beta/groups/"+gid, nil)
	wb, ok := obj(t, body)["writebackConfiguration"].(map[string]any)
	if !ok || wb["isEnabled"] != nil {
		t.Fatalf("beta group: %s", body)
	}
	_, body = env.Graph(t, "GET", "/groups/"+gid, nil)
	if _, ok := obj(t, body)["writebackConfiguration"]; ok {
		t.Fatalf("v1.0 group has beta's writebackConfiguration: %s", body)
	}
}

// TestOnDemandWithoutCredentials: provisionOnDemand on a job without saved
// credentials is Graph's 400 CredentialsMissing, before the subject is
// looked at.
func TestOnDemandWithoutCredentials(t *testing.T) {
	env, sp := newCustomApp(t, 1)
	job := createJob(t, env, sp, "scim")
	schema := obj(t, mustGraph(t, env, 200, "GET", "/servicePrincipals/"+sp+"/synchronization/jobs/"+job+"/schema", nil))
	rule := schema["synchronizationRules"].([]any)[0].(map[string]any)["id"].(string)
	status, body := env.Graph(t, "POST", "/servicePrincipals/"+sp+"/synchronization/jobs/"+job+"/provisionOnDemand", map[string]any{
		"parameters": []any{map[string]any{"ruleId": rule, "subjects": []any{map[string]any{"objectId": "/groups/not-an-id", "objectTypeName": "Group"}}}},
	})
	if status != 400 || errorCode(t, body) != "CredentialsMissing" {
		t.Fatalf("on-demand without credentials: %d %s", status, body)
	}
}
