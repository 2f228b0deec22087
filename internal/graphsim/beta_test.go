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
