package graph

import (
	"os"
	"strconv"
	"strings"
)

// Environment variables outside the ARM_/AZURE_ families.
const (
	EnvGraphEndpoint       = "ENTRA_GRAPH_ENDPOINT"
	EnvAuthorityHost       = "ENTRA_AUTHORITY_HOST"
	envFederatedTokenFile  = "AZURE_FEDERATED_TOKEN_FILE" // set by AKS workload identity
	envAzureAuthorityHost  = "AZURE_AUTHORITY_HOST"
	defaultPrefixPrimary   = "ARM_"
	defaultPrefixSecondary = "AZURE_"
)

// ConfigFromEnv reads credentials and endpoints from the environment.
// prefixes are tried in order and the first one set wins; the default is
// ARM_ (Terraform convention) then AZURE_ (azidentity convention). The
// exporter passes only "AZURE_". ENTRA_GRAPH_ENDPOINT and
// ENTRA_AUTHORITY_HOST (then AZURE_AUTHORITY_HOST) are always read.
// Unparseable booleans count as false.
func ConfigFromEnv(prefixes ...string) Config {
	if len(prefixes) == 0 {
		prefixes = []string{defaultPrefixPrimary, defaultPrefixSecondary}
	}
	get := func(names ...string) string {
		for _, p := range prefixes {
			for _, n := range names {
				if v := strings.TrimSpace(os.Getenv(p + n)); v != "" {
					return v
				}
			}
		}
		return ""
	}
	flag := func(names ...string) bool {
		b, _ := strconv.ParseBool(get(names...))
		return b
	}
	cfg := Config{
		TenantID:                  get("TENANT_ID"),
		ClientID:                  get("CLIENT_ID"),
		ClientSecret:              get("CLIENT_SECRET"),
		ClientCertificatePath:     get("CLIENT_CERTIFICATE_PATH"),
		ClientCertificatePassword: get("CLIENT_CERTIFICATE_PASSWORD"),
		UseOIDC:                   flag("USE_OIDC", "USE_AKS_WORKLOAD_IDENTITY"),
		OIDCToken:                 get("OIDC_TOKEN"),
		OIDCTokenFilePath:         get("OIDC_TOKEN_FILE_PATH"),
		UseMSI:                    flag("USE_MSI"),
		UseCLI:                    flag("USE_CLI"),
		Environment:               get("ENVIRONMENT"),
		GraphEndpoint:             strings.TrimSpace(os.Getenv(EnvGraphEndpoint)),
		AuthorityHost:             strings.TrimSpace(os.Getenv(EnvAuthorityHost)),
	}
	if cfg.AuthorityHost == "" {
		// azidentity's own variable, so an environment prepared for
		// DefaultAzureCredential works unchanged.
		cfg.AuthorityHost = strings.TrimSpace(os.Getenv(envAzureAuthorityHost))
	}
	if cfg.OIDCTokenFilePath == "" {
		cfg.OIDCTokenFilePath = strings.TrimSpace(os.Getenv(envFederatedTokenFile))
	}
	return cfg
}

// Merge returns c with every empty field filled from fallback: explicit
// provider attributes win over the environment. Booleans are OR-ed.
func (c Config) Merge(fallback Config) Config {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&c.TenantID, fallback.TenantID)
	fill(&c.ClientID, fallback.ClientID)
	fill(&c.ClientSecret, fallback.ClientSecret)
	fill(&c.ClientCertificatePath, fallback.ClientCertificatePath)
	fill(&c.ClientCertificatePassword, fallback.ClientCertificatePassword)
	fill(&c.OIDCToken, fallback.OIDCToken)
	fill(&c.OIDCTokenFilePath, fallback.OIDCTokenFilePath)
	fill(&c.Environment, fallback.Environment)
	fill(&c.GraphEndpoint, fallback.GraphEndpoint)
	fill(&c.AuthorityHost, fallback.AuthorityHost)
	fill(&c.CAFile, fallback.CAFile)
	fill(&c.UserAgent, fallback.UserAgent)
	c.UseOIDC = c.UseOIDC || fallback.UseOIDC
	c.UseMSI = c.UseMSI || fallback.UseMSI
	c.UseCLI = c.UseCLI || fallback.UseCLI
	return c
}
