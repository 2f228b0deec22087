package provider

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// protoSim is a provider served through the framework's protocol server and
// configured against a simulator of its own, as a CLI would configure it
// (from the ARM_*/ENTRA_* environment), for protocol-level unit tests that
// need no CLI and no TF_ACC.
type protoSim struct {
	t       *testing.T
	env     *simtest.Env
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newProtoSim(t *testing.T) *protoSim {
	t.Helper()
	env := simtest.Start(t, graphsim.Options{Speed: 600, Users: 6, Groups: 2})
	for _, kv := range env.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	server := protoServer(t)
	schemas := protoSchemas(t, server)
	resp, err := server.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           protoObject(t, schemas.Provider, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	protoFailOnErrors(t, "ConfigureProvider", resp.Diagnostics)
	return &protoSim{t: t, env: env, server: server, schemas: schemas}
}

// graph calls the simulator as the portal would; it fails the test unless
// Graph answers 2xx.
func (p *protoSim) graph(method, path string, body, out any) {
	p.t.Helper()
	status, data := p.env.Graph(p.t, method, path, body)
	if status/100 != 2 {
		p.t.Fatalf("portal %s %s: %d %s", method, path, status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			p.t.Fatalf("portal %s %s: %v", method, path, err)
		}
	}
}

// app instantiates a non-gallery application and returns its service principal id.
func (p *protoSim) app(name string) string {
	var out struct {
		ServicePrincipal struct {
			ID string `json:"id"`
		} `json:"servicePrincipal"`
	}
	p.graph(http.MethodPost, "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": name}, &out)
	return out.ServicePrincipal.ID
}

// job creates a SCIM provisioning job on a service principal.
func (p *protoSim) job(spID string) string {
	var out struct {
		ID string `json:"id"`
	}
	p.graph(http.MethodPost, "/servicePrincipals/"+spID+"/synchronization/jobs", map[string]string{"templateId": "scim"}, &out)
	return out.ID
}

// listResult is one decoded list result.
type listResult struct {
	DisplayName string
	Identity    map[string]tftypes.Value
	Resource    map[string]tftypes.Value // nil unless include_resource
}

// list runs ListResource and decodes every result; error diagnostics fail the test.
func (p *protoSim) list(typeName string, config map[string]tftypes.Value, includeResource bool) []listResult {
	p.t.Helper()
	lister, ok := p.server.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatal("the provider server does not serve list resources")
	}
	stream, err := lister.ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName:        typeName,
		Config:          protoObject(p.t, p.schemas.ListResourceSchemas[typeName], config),
		IncludeResource: includeResource,
		Limit:           1000,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	identityType := p.schemas.ResourceSchemas[typeName] // resource schema, for the resource object
	idSchema := p.identitySchema(typeName)
	var out []listResult
	for r := range stream.Results {
		protoFailOnErrors(p.t, "ListResource "+typeName, r.Diagnostics)
		res := listResult{DisplayName: r.DisplayName}
		if r.Identity == nil || r.Identity.IdentityData == nil {
			p.t.Fatalf("%s: result %q has no identity", typeName, r.DisplayName)
		}
		res.Identity = protoDecode(p.t, r.Identity.IdentityData, idSchema)
		if r.Resource != nil {
			res.Resource = protoDecode(p.t, r.Resource, identityType.ValueType())
		}
		out = append(out, res)
	}
	return out
}

// identitySchema is a resource type's identity object type.
func (p *protoSim) identitySchema(typeName string) tftypes.Type {
	p.t.Helper()
	resp, err := p.server.GetResourceIdentitySchemas(p.t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		p.t.Fatal(err)
	}
	s, ok := resp.IdentitySchemas[typeName]
	if !ok {
		p.t.Fatalf("%s has no identity schema", typeName)
	}
	return s.ValueType()
}

// invoke runs an action and returns its progress messages and final diagnostics.
func (p *protoSim) invoke(actionType string, config map[string]tftypes.Value) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	cfg := protoObject(p.t, p.schemas.ActionSchemas[actionType].Schema, config)
	actions := p.actionServer()
	plan, err := actions.PlanAction(p.t.Context(), &tfprotov6.PlanActionRequest{ActionType: actionType, Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	protoFailOnErrors(p.t, "PlanAction "+actionType, plan.Diagnostics)
	stream, err := actions.InvokeAction(p.t.Context(), &tfprotov6.InvokeActionRequest{ActionType: actionType, Config: cfg})
	if err != nil {
		p.t.Fatal(err)
	}
	var progress []string
	var final []*tfprotov6.Diagnostic
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			final = e.Diagnostics
		}
	}
	return progress, final
}

// actionServer is the provider server's action RPCs.
func (p *protoSim) actionServer() tfprotov6.ActionServer {
	p.t.Helper()
	actions, ok := p.server.(tfprotov6.ActionServer)
	if !ok {
		p.t.Fatal("the provider server does not serve actions")
	}
	return actions
}

// validateAction runs ValidateActionConfig.
func (p *protoSim) validateAction(actionType string, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.actionServer().ValidateActionConfig(p.t.Context(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: actionType,
		Config:     protoObject(p.t, p.schemas.ActionSchemas[actionType].Schema, config),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// protoDecode unmarshals a DynamicValue into its attributes.
func protoDecode(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// str reads a string value ("" for null).
func str(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s *string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return *s
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func tfStringList(items ...string) tftypes.Value {
	vals := make([]tftypes.Value, len(items))
	for i, s := range items {
		vals[i] = tfString(s)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
}

func tfStringSet(items ...string) tftypes.Value {
	vals := make([]tftypes.Value, len(items))
	for i, s := range items {
		vals[i] = tfString(s)
	}
	return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vals)
}

// identities formats results' identities for comparisons.
func identities(t *testing.T, results []listResult, attrs ...string) []string {
	out := make([]string, len(results))
	for i, r := range results {
		parts := make([]string, len(attrs))
		for j, a := range attrs {
			parts[j] = str(t, r.Identity[a])
		}
		out[i] = strings.Join(parts, "/")
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
