package graphsdk

import (
	"context"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

func TestSDKAgainstSimulatorWithClientSecret(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{})
	r := env.Ready
	c, err := graph.New(context.Background(), graph.Config{
		TenantID: r.TenantID, ClientID: r.ClientID, ClientSecret: r.ClientSecret,
		GraphEndpoint: r.GraphEndpoint, AuthorityHost: r.AuthorityHost, CAFile: r.CAFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	templates, err := sdk.ApplicationTemplates().Get(context.Background(), nil)
	if err != nil {
		t.Fatalf("listing application templates with the SDK: %v", FromSDK(err, "GET", "/applicationTemplates"))
	}
	found := false
	for _, tpl := range templates.GetValue() {
		if id := tpl.GetId(); id != nil && *id == "8adf8e6e-67b2-4cf2-a259-e3dc5476c621" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the custom template is missing from %d templates", len(templates.GetValue()))
	}
	if n := c.Requests().Snapshot()["GET /applicationTemplates"]; n < 1 {
		t.Fatalf("the SDK call did not go through the shared, counted transport: %v", c.Requests().Snapshot())
	}
}
