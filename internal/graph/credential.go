package graph

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// newCredential builds the azidentity credential the configuration selects.
// Token requests go through authClient, so they trust the same CA bundle and
// are logged with their secrets redacted.
func newCredential(cfg Config, authorityHost string, customAuthority bool, authClient *http.Client) (azcore.TokenCredential, error) {
	opts := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: authorityHost},
		Transport: authClient,
		// The credential's own retry stays on for token endpoint hiccups;
		// Graph calls are retried by this package's transport.
		Retry: policy.RetryOptions{MaxRetries: 3},
	}
	// Instance discovery asks login.microsoftonline.com whether the authority
	// is known; a custom or private authority (the simulator, a sovereign
	// proxy) would fail that check.
	disableDiscovery := customAuthority
	method := cfg.AuthMethod()
	var (
		cred azcore.TokenCredential
		err  error
	)
	switch method {
	case AuthInjected:
		return cfg.Credential, nil
	case AuthClientSecret:
		cred, err = azidentity.NewClientSecretCredential(cfg.TenantID, cfg.ClientID, cfg.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
	case AuthClientCertificate:
		data, rerr := os.ReadFile(cfg.ClientCertificatePath)
		if rerr != nil {
			return nil, fmt.Errorf("reading client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) %s: %w", cfg.ClientCertificatePath, rerr)
		}
		var password []byte
		if cfg.ClientCertificatePassword != "" {
			password = []byte(cfg.ClientCertificatePassword)
		}
		certs, key, perr := azidentity.ParseCertificates(data, password)
		if perr != nil {
			return nil, fmt.Errorf("client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) %s is not a usable PEM or PKCS#12 certificate with its private key "+
				"(check client_certificate_password / ARM_CLIENT_CERTIFICATE_PASSWORD): %w", cfg.ClientCertificatePath, perr)
		}
		cred, err = azidentity.NewClientCertificateCredential(cfg.TenantID, cfg.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery, SendCertificateChain: true})
	case AuthOIDC:
		cred, err = azidentity.NewClientAssertionCredential(cfg.TenantID, cfg.ClientID, federatedToken(cfg),
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
	case AuthManagedIdentity:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if cfg.ClientID != "" {
			mo.ID = azidentity.ClientID(cfg.ClientID)
		}
		cred, err = azidentity.NewManagedIdentityCredential(mo)
	case AuthAzureCLI:
		cred, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: cfg.TenantID})
	default:
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
			ClientOptions: opts, TenantID: cfg.TenantID, DisableInstanceDiscovery: disableDiscovery,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("building the %s credential: %w", method, err)
	}
	return cred, nil
}

// federatedToken returns the OIDC assertion: the token string, or the token
// file re-read on every call because workload identity rotates it.
func federatedToken(cfg Config) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		if cfg.OIDCToken != "" {
			return cfg.OIDCToken, nil
		}
		b, err := os.ReadFile(cfg.OIDCTokenFilePath)
		if err != nil {
			return "", fmt.Errorf("reading the federated token file %s (ARM_OIDC_TOKEN_FILE_PATH / AZURE_FEDERATED_TOKEN_FILE): %w", cfg.OIDCTokenFilePath, err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return "", fmt.Errorf("the federated token file %s is empty", cfg.OIDCTokenFilePath)
		}
		return tok, nil
	}
}
