package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// clearCredentialEnv empties every variable graph.ConfigFromEnv reads, so
// these tests see only what they set.
func clearCredentialEnv(t *testing.T) {
	t.Helper()
	for _, prefix := range []string{"ARM_", "AZURE_"} {
		for _, name := range []string{"TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_CERTIFICATE_PATH", "CLIENT_CERTIFICATE_PASSWORD",
			"USE_OIDC", "USE_AKS_WORKLOAD_IDENTITY", "OIDC_TOKEN", "OIDC_TOKEN_FILE_PATH", "USE_MSI", "USE_CLI", "ENVIRONMENT"} {
			t.Setenv(prefix+name, "")
		}
	}
	for _, name := range []string{"ENTRA_GRAPH_ENDPOINT", "ENTRA_AUTHORITY_HOST", "AZURE_FEDERATED_TOKEN_FILE"} {
		t.Setenv(name, "")
	}
}

func nullModel() providerModel {
	return providerModel{
		TenantID: types.StringNull(), ClientID: types.StringNull(), ClientSecret: types.StringNull(),
		ClientCertificatePath: types.StringNull(), ClientCertificatePassword: types.StringNull(),
		UseOIDC: types.BoolNull(), OIDCTokenFilePath: types.StringNull(), UseMSI: types.BoolNull(), UseCLI: types.BoolNull(),
		Environment: types.StringNull(), GraphEndpoint: types.StringNull(), AuthorityHost: types.StringNull(),
	}
}

const testTenant = "11111111-2222-3333-4444-555555555555"
const testClient = "66666666-7777-8888-9999-000000000000"

func TestGraphConfigAttributesWinOverEnvironment(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv("ARM_TENANT_ID", "aaaaaaaa-2222-3333-4444-555555555555")
	t.Setenv("AZURE_CLIENT_ID", testClient)
	t.Setenv("ARM_CLIENT_SECRET", "from-env")
	t.Setenv("ENTRA_GRAPH_ENDPOINT", "https://127.0.0.1:8443")

	m := nullModel()
	m.TenantID = types.StringValue(testTenant)
	cfg, cloud, diags := graphConfig(m, "1.2.3")
	if diags.HasError() {
		t.Fatalf("unexpected errors: %v", diags)
	}
	if cfg.TenantID != testTenant {
		t.Errorf("tenant = %q, want the provider attribute %q", cfg.TenantID, testTenant)
	}
	if cfg.ClientID != testClient || cfg.ClientSecret != "from-env" {
		t.Errorf("client id/secret not taken from the environment: %q", cfg.ClientID)
	}
	if cfg.GraphEndpoint != "https://127.0.0.1:8443" {
		t.Errorf("graph endpoint = %q, want ENTRA_GRAPH_ENDPOINT", cfg.GraphEndpoint)
	}
	if cfg.AuthMethod() != graph.AuthClientSecret {
		t.Errorf("auth method = %s, want client secret", cfg.AuthMethod())
	}
	if cloud.CustomAppTemplateID != "8adf8e6e-67b2-4cf2-a259-e3dc5476c621" {
		t.Errorf("global custom template = %q", cloud.CustomAppTemplateID)
	}
	if !strings.Contains(cfg.UserAgent, "1.2.3") {
		t.Errorf("user agent %q does not carry the provider version", cfg.UserAgent)
	}
}

func TestGraphConfigExplicitCredentialIgnoresOtherKindsFromEnvironment(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv("ARM_TENANT_ID", testTenant)
	t.Setenv("ARM_CLIENT_SECRET", "left-in-the-shell")
	m := nullModel()
	m.UseCLI = types.BoolValue(true)
	cfg, _, diags := graphConfig(m, "dev")
	if diags.HasError() {
		t.Fatalf("unexpected errors: %v", diags)
	}
	if cfg.AuthMethod() != graph.AuthAzureCLI {
		t.Errorf("auth method = %s, want azure_cli: the block's use_cli must not be overridden by ARM_CLIENT_SECRET", cfg.AuthMethod())
	}
}

func TestGraphConfigEnvironments(t *testing.T) {
	for env, wantTemplate := range map[string]string{
		"usgovernment":     "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
		"china":            "5a532e38-1581-4918-9658-008dc27c1d68",
		"AzureChinaCloud":  "5a532e38-1581-4918-9658-008dc27c1d68",
		"global":           "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
		"AzurePublicCloud": "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
	} {
		t.Run(env, func(t *testing.T) {
			clearCredentialEnv(t)
			m := nullModel()
			m.Environment = types.StringValue(env)
			_, cloud, diags := graphConfig(m, "dev")
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			if cloud.CustomAppTemplateID != wantTemplate {
				t.Errorf("custom template = %q, want %q", cloud.CustomAppTemplateID, wantTemplate)
			}
		})
	}
}

func TestGraphConfigErrorsNameWhatToFix(t *testing.T) {
	tests := map[string]struct {
		env  map[string]string
		set  func(*providerModel)
		want string
	}{
		"unknown environment": {
			set:  func(m *providerModel) { m.Environment = types.StringValue("mars") },
			want: "global, usgovernment or china",
		},
		"client secret without client id": {
			set: func(m *providerModel) {
				m.TenantID = types.StringValue(testTenant)
				m.ClientSecret = types.StringValue("s")
			},
			want: "client_id",
		},
		"oidc without a token": {
			set: func(m *providerModel) {
				m.TenantID, m.ClientID = types.StringValue(testTenant), types.StringValue(testClient)
				m.UseOIDC = types.BoolValue(true)
			},
			want: "oidc_token_file_path",
		},
		"plain http to a remote graph endpoint": {
			env:  map[string]string{"ENTRA_GRAPH_ENDPOINT": "http://graph.example.com"},
			set:  func(m *providerModel) {},
			want: "https",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			m := nullModel()
			tt.set(&m)
			_, _, diags := graphConfig(m, "dev")
			if !diags.HasError() {
				t.Fatal("expected an error")
			}
			var all []string
			for _, d := range diags {
				all = append(all, d.Detail())
			}
			if got := strings.Join(all, "\n"); !strings.Contains(got, tt.want) {
				t.Errorf("error %q does not mention %q", got, tt.want)
			}
		})
	}
}
