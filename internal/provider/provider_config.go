package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// graphConfig merges the provider block over the environment: explicit
// attributes win. When the block picks a credential, credentials of other
// kinds from the environment are ignored, so `use_cli = true` is never
// silently overridden by an ARM_CLIENT_SECRET left in the shell.
func graphConfig(m providerModel, version string) (graph.Config, graph.Cloud, diag.Diagnostics) {
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

	cloud, ok := graph.LookupCloud(cfg.Environment)
	if !ok {
		diags.AddError("Unknown cloud environment",
			"environment (or ARM_ENVIRONMENT / AZURE_ENVIRONMENT) is \""+cfg.Environment+"\"; use global, usgovernment or china, "+
				"and graph_endpoint / authority_host to point at any other endpoint.")
		return cfg, cloud, diags
	}
	cfg.Environment = cloud.Name
	if err := cfg.Validate(); err != nil {
		diags.AddError("Invalid provider configuration", err.Error())
	}
	return cfg, cloud, diags
}
