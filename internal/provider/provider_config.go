package provider

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// cloudEnvironment is what the provider needs to know about one cloud beyond
// its endpoints (which the graph layer owns).
type cloudEnvironment struct {
	name string
	// customAppTemplateID is the cloud's non-gallery ("Custom") application
	// template, the default of entra_enterprise_application.template_id.
	customAppTemplateID string
}

var cloudEnvironments = map[string]cloudEnvironment{
	graph.EnvironmentGlobal:       {graph.EnvironmentGlobal, "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"},
	graph.EnvironmentUSGovernment: {graph.EnvironmentUSGovernment, "4602d0b4-76bb-404b-bca9-2652e1a39c6d"},
	graph.EnvironmentChina:        {graph.EnvironmentChina, "5a532e38-1581-4918-9658-008dc27c1d68"},
}

// environmentNames lists the accepted values of the environment attribute.
func environmentNames() []string {
	return []string{graph.EnvironmentGlobal, graph.EnvironmentUSGovernment, graph.EnvironmentChina}
}

// environmentAliases accepts in ARM_ENVIRONMENT the names the azurerm and
// azuread providers use, so one shell environment serves all three.
var environmentAliases = map[string]string{
	"public": graph.EnvironmentGlobal, "azurepubliccloud": graph.EnvironmentGlobal,
	"usgov": graph.EnvironmentUSGovernment, "usgovernmentl4": graph.EnvironmentUSGovernment, "azureusgovernment": graph.EnvironmentUSGovernment,
	"azurechinacloud": graph.EnvironmentChina,
}

// graphConfig merges the provider block over the environment: explicit
// attributes win. When the block picks a credential, credentials of other
// kinds from the environment are ignored, so `use_cli = true` is never
// silently overridden by an ARM_CLIENT_SECRET left in the shell.
func graphConfig(m providerModel, version string) (graph.Config, cloudEnvironment, diag.Diagnostics) {
	var diags diag.Diagnostics
	block := graph.Config{
		TenantID:                  m.TenantID.ValueString(),
		ClientID:                  m.ClientID.ValueString(),
		ClientSecret:              m.ClientSecret.ValueString(),
		ClientCertificatePath:     m.ClientCertificatePath.ValueString(),
		ClientCertificatePassword: m.ClientCertificatePassword.ValueString(),
		UseOIDC:                   m.UseOIDC.ValueBool(),
		OIDCTokenFilePath:         m.OIDCTokenFilePath.ValueString(),
		UseMSI:                    m.UseMSI.ValueBool(),
		UseCLI:                    m.UseCLI.ValueBool(),
		Environment:               m.Environment.ValueString(),
		GraphEndpoint:             m.GraphEndpoint.ValueString(),
		AuthorityHost:             m.AuthorityHost.ValueString(),
		UserAgent:                 "terraform-provider-entra/" + version,
		Logger:                    graph.TFLogFuncs(tflog.Trace, tflog.Debug, tflog.Warn),
	}
	env := graph.ConfigFromEnv()
	if block.AuthMethod() != graph.AuthDefault {
		env.ClientSecret, env.ClientCertificatePath, env.ClientCertificatePassword = "", "", ""
		env.UseOIDC, env.UseMSI, env.UseCLI = false, false, false
		env.OIDCToken, env.OIDCTokenFilePath = "", ""
		if block.UseOIDC && block.OIDCTokenFilePath == "" {
			// The token source still may come from the environment.
			fromEnv := graph.ConfigFromEnv()
			env.OIDCToken, env.OIDCTokenFilePath = fromEnv.OIDCToken, fromEnv.OIDCTokenFilePath
		}
	}
	cfg := block.Merge(env)

	name := cfg.Environment
	if alias, ok := environmentAliases[strings.ToLower(name)]; ok {
		name = alias
	}
	if name == "" {
		name = graph.EnvironmentGlobal
	}
	cloud, ok := cloudEnvironments[strings.ToLower(name)]
	if !ok {
		diags.AddError("Unknown cloud environment",
			"environment (or ARM_ENVIRONMENT / AZURE_ENVIRONMENT) is \""+cfg.Environment+"\"; use global, usgovernment or china, "+
				"and graph_endpoint / authority_host to point at any other endpoint.")
		return cfg, cloud, diags
	}
	cfg.Environment = cloud.name
	if err := cfg.Validate(); err != nil {
		diags.AddError("Invalid provider configuration", err.Error())
	}
	return cfg, cloud, diags
}
