package provider

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// describedAttribute is what every schema attribute type offers.
type describedAttribute interface {
	GetMarkdownDescription() string
}

// nestedAttributes returns the children of nested attributes of any schema kind.
func nestedAttributes(a any) map[string]describedAttribute {
	out := map[string]describedAttribute{}
	add := func(name string, v describedAttribute) { out[name] = v }
	switch n := a.(type) {
	case rschema.SingleNestedAttribute:
		for k, v := range n.Attributes {
			add(k, v)
		}
	case rschema.ListNestedAttribute:
		for k, v := range n.NestedObject.Attributes {
			add(k, v)
		}
	case rschema.SetNestedAttribute:
		for k, v := range n.NestedObject.Attributes {
			add(k, v)
		}
	case rschema.MapNestedAttribute:
		for k, v := range n.NestedObject.Attributes {
			add(k, v)
		}
	case dsschema.SingleNestedAttribute:
		for k, v := range n.Attributes {
			add(k, v)
		}
	case dsschema.ListNestedAttribute:
		for k, v := range n.NestedObject.Attributes {
			add(k, v)
		}
	case dsschema.MapNestedAttribute:
		for k, v := range n.NestedObject.Attributes {
			add(k, v)
		}
	}
	return out
}

// missingDescriptions walks attributes recursively and returns the paths of
// those without a MarkdownDescription.
func missingDescriptions(prefix string, attrs map[string]describedAttribute) []string {
	var missing []string
	for name, a := range attrs {
		p := prefix + name
		if strings.TrimSpace(a.GetMarkdownDescription()) == "" {
			missing = append(missing, p)
		}
		missing = append(missing, missingDescriptions(p+".", nestedAttributes(a))...)
	}
	sort.Strings(missing)
	return missing
}

func TestProviderSchemaIsValidAndDescribed(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var resp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("provider schema: %v", resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(ctx); diags.HasError() {
		t.Fatalf("provider schema is invalid: %v", diags)
	}
	attrs := map[string]describedAttribute{}
	for k, v := range resp.Schema.Attributes {
		attrs[k] = v
	}
	if missing := missingDescriptions("provider.", attrs); len(missing) > 0 {
		t.Errorf("provider attributes without MarkdownDescription: %s", strings.Join(missing, ", "))
	}
	for _, name := range []string{"client_secret", "client_certificate_password"} {
		if a, ok := resp.Schema.Attributes[name].(pschema.StringAttribute); !ok || !a.Sensitive {
			t.Errorf("provider attribute %s must be sensitive", name)
		}
	}
}

func TestEveryResourceAndDataSourceSchemaIsValidAndDescribed(t *testing.T) {
	ctx := context.Background()
	p := New("test")()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	if meta.TypeName != "entra" {
		t.Fatalf("provider type name = %q, want entra", meta.TypeName)
	}

	wantResources := map[string]bool{
		"entra_enterprise_application": true, "entra_provisioning_job": true, "entra_provisioning_schema": true,
		"entra_app_role_assignment": true, "entra_provisioning_on_demand": true,
	}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		delete(wantResources, md.TypeName)
		t.Run(md.TypeName, func(t *testing.T) {
			var sr resource.SchemaResponse
			r.Schema(ctx, resource.SchemaRequest{}, &sr)
			if sr.Diagnostics.HasError() {
				t.Fatalf("schema: %v", sr.Diagnostics)
			}
			if diags := sr.Schema.ValidateImplementation(ctx); diags.HasError() {
				t.Fatalf("schema is invalid: %v", diags)
			}
			if strings.TrimSpace(sr.Schema.MarkdownDescription) == "" {
				t.Errorf("resource %s has no MarkdownDescription", md.TypeName)
			}
			attrs := map[string]describedAttribute{}
			for k, v := range sr.Schema.Attributes {
				attrs[k] = v
			}
			if missing := missingDescriptions("", attrs); len(missing) > 0 {
				t.Errorf("attributes without MarkdownDescription: %s", strings.Join(missing, ", "))
			}
		})
	}
	for name := range wantResources {
		t.Errorf("provider does not register resource %s", name)
	}

	wantDataSources := map[string]bool{"entra_application_template": true, "entra_provisioning_job": true}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var md datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		delete(wantDataSources, md.TypeName)
		t.Run("data."+md.TypeName, func(t *testing.T) {
			var sr datasource.SchemaResponse
			d.Schema(ctx, datasource.SchemaRequest{}, &sr)
			if diags := sr.Schema.ValidateImplementation(ctx); diags.HasError() {
				t.Fatalf("schema is invalid: %v", diags)
			}
			if strings.TrimSpace(sr.Schema.MarkdownDescription) == "" {
				t.Errorf("data source %s has no MarkdownDescription", md.TypeName)
			}
			attrs := map[string]describedAttribute{}
			for k, v := range sr.Schema.Attributes {
				attrs[k] = v
			}
			if missing := missingDescriptions("", attrs); len(missing) > 0 {
				t.Errorf("attributes without MarkdownDescription: %s", strings.Join(missing, ", "))
			}
		})
	}
	for name := range wantDataSources {
		t.Errorf("provider does not register data source %s", name)
	}
}

// TestProviderServesOverProtocol6 checks the provider starts as terraform
// would start it and answers GetProviderSchema without errors.
func TestProviderServesOverProtocol6(t *testing.T) {
	server, err := testAccProtoV6ProviderFactories["entra"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Errorf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
		}
	}
	if len(resp.ResourceSchemas) < 5 || len(resp.DataSourceSchemas) < 2 {
		t.Errorf("served %d resources and %d data sources, want at least 5 and 2", len(resp.ResourceSchemas), len(resp.DataSourceSchemas))
	}
}
