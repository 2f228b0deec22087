package graph

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clearAuthEnv unsets every variable ConfigFromEnv reads.
func clearAuthEnv(t *testing.T) {
	for _, p := range []string{"ARM_", "AZURE_"} {
		for _, n := range []string{"TENANT_ID", "CLIENT_ID", "CLIENT_SECRET", "CLIENT_CERTIFICATE_PATH", "CLIENT_CERTIFICATE_PASSWORD",
			"USE_OIDC", "USE_AKS_WORKLOAD_IDENTITY", "OIDC_TOKEN", "OIDC_TOKEN_FILE_PATH", "USE_MSI", "USE_CLI", "ENVIRONMENT"} {
			t.Setenv(p+n, "")
		}
	}
	for _, n := range []string{EnvGraphEndpoint, EnvAuthorityHost, envFederatedTokenFile, envAzureAuthorityHost} {
		t.Setenv(n, "")
	}
}

func TestConfigFromEnvPrefersARMOverAZURE(t *testing.T) {
	clearAuthEnv(t)
	t.Setenv("ARM_TENANT_ID", "arm-tenant")
	t.Setenv("AZURE_TENANT_ID", "azure-tenant")
	t.Setenv("AZURE_CLIENT_ID", "azure-client")
	t.Setenv("AZURE_CLIENT_SECRET", "azure-secret")
	t.Setenv("ARM_USE_OIDC", "true")
	t.Setenv("AZURE_FEDERATED_TOKEN_FILE", "/var/run/token")
	t.Setenv(EnvGraphEndpoint, "https://graph.example.test")
	t.Setenv(EnvAuthorityHost, "https://login.example.test/")

	cfg := ConfigFromEnv()
	if cfg.TenantID != "arm-tenant" || cfg.ClientID != "azure-client" || cfg.ClientSecret != "azure-secret" {
		t.Fatalf("got %+v: ARM_ should win, AZURE_ fills the rest", cfg)
	}
	if !cfg.UseOIDC || cfg.OIDCTokenFilePath != "/var/run/token" {
		t.Fatalf("OIDC: use=%t file=%q", cfg.UseOIDC, cfg.OIDCTokenFilePath)
	}
	if cfg.GraphEndpoint != "https://graph.example.test" || cfg.AuthorityHost != "https://login.example.test/" {
		t.Fatalf("endpoints %q %q", cfg.GraphEndpoint, cfg.AuthorityHost)
	}
	t.Setenv(envAzureAuthorityHost, "https://azure-authority.example.test/")
	if cfg := ConfigFromEnv(); cfg.AuthorityHost != "https://login.example.test/" {
		t.Fatalf("ENTRA_AUTHORITY_HOST should win over AZURE_AUTHORITY_HOST, got %q", cfg.AuthorityHost)
	}
	t.Setenv(EnvAuthorityHost, "")
	if cfg := ConfigFromEnv(); cfg.AuthorityHost != "https://azure-authority.example.test/" {
		t.Fatalf("AZURE_AUTHORITY_HOST is the fallback, got %q", cfg.AuthorityHost)
	}
	if only := ConfigFromEnv("AZURE_"); only.TenantID != "azure-tenant" {
		t.Fatalf("with only AZURE_, tenant = %q", only.TenantID)
	}
	t.Setenv("ARM_OIDC_TOKEN_FILE_PATH", "/arm/token")
	if cfg := ConfigFromEnv(); cfg.OIDCTokenFilePath != "/arm/token" {
		t.Fatalf("ARM_OIDC_TOKEN_FILE_PATH should win over AZURE_FEDERATED_TOKEN_FILE, got %q", cfg.OIDCTokenFilePath)
	}
}

func TestMergeKeepsExplicitValues(t *testing.T) {
	explicit := Config{TenantID: "block", UseCLI: true}
	merged := explicit.Merge(Config{TenantID: "env", ClientID: "env-client", UseMSI: true})
	if merged.TenantID != "block" || merged.ClientID != "env-client" || !merged.UseCLI || !merged.UseMSI {
		t.Fatalf("merged = %+v", merged)
	}
}

func TestCloudEndpoints(t *testing.T) {
	cases := []struct {
		env, graph, authority string
		custom                bool
	}{
		{"", "https://graph.microsoft.com", "https://login.microsoftonline.com/", false},
		{"global", "https://graph.microsoft.com", "https://login.microsoftonline.com/", false},
		{"USGovernment", "https://graph.microsoft.us", "https://login.microsoftonline.us/", false},
		{"china", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/", false},
		{"AzureChinaCloud", "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/", false},
	}
	for _, tc := range cases {
		g, a, custom, err := Config{Environment: tc.env}.Endpoints()
		if err != nil || g != tc.graph || a != tc.authority || custom != tc.custom {
			t.Errorf("environment %q: %s %s custom=%t err=%v", tc.env, g, a, custom, err)
		}
	}
	g, a, custom, err := Config{GraphEndpoint: "https://127.0.0.1:8443/v1.0/", AuthorityHost: "https://127.0.0.1:8443"}.Endpoints()
	if err != nil || g != "https://127.0.0.1:8443" || a != "https://127.0.0.1:8443/" || !custom {
		t.Errorf("custom endpoints: %s %s custom=%t err=%v", g, a, custom, err)
	}
	c, err := New(context.Background(), Config{Environment: "usgovernment", Credential: &staticCredential{token: "t"}})
	if err != nil || c.Scope() != "https://graph.microsoft.us/.default" || c.BaseURL() != "https://graph.microsoft.us/v1.0" {
		t.Fatalf("usgovernment client: scope %q base %q err %v", c.Scope(), c.BaseURL(), err)
	}
}

func TestConfigValidationNamesTheFix(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"unknown environment", Config{Environment: "mars"}, []string{"environment", "ARM_ENVIRONMENT", "global, usgovernment or china"}},
		{"http endpoint", Config{GraphEndpoint: "http://graph.example.com"}, []string{"graph_endpoint", "ENTRA_GRAPH_ENDPOINT", "https"}},
		{"relative authority", Config{AuthorityHost: "login"}, []string{"authority_host", "ENTRA_AUTHORITY_HOST"}},
		{"secret without tenant", Config{ClientID: "c", ClientSecret: "s"}, []string{"tenant_id", "ARM_TENANT_ID"}},
		{"secret without client", Config{TenantID: "t", ClientSecret: "s"}, []string{"client_id", "ARM_CLIENT_ID"}},
		{"bad tenant", Config{TenantID: "not a tenant!"}, []string{"tenant_id", "GUID"}},
		{"oidc without token", Config{TenantID: "t", ClientID: "c", UseOIDC: true}, []string{"use_oidc", "ARM_OIDC_TOKEN_FILE_PATH"}},
		{"cert and secret", Config{TenantID: "t", ClientID: "c", ClientSecret: "s", ClientCertificatePath: "/x.pem"}, []string{"set only one"}},
	}
	for _, tc := range cases {
		err := tc.cfg.Validate()
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tc.name, err, w)
			}
		}
	}
	if err := (Config{GraphEndpoint: "http://127.0.0.1:9999"}).Validate(); err != nil {
		t.Errorf("plain http on loopback is allowed for local test servers: %v", err)
	}
}

func TestAuthMethodPrecedence(t *testing.T) {
	cases := []struct {
		cfg  Config
		want AuthMethod
	}{
		{Config{}, AuthDefault},
		{Config{UseCLI: true}, AuthAzureCLI},
		{Config{UseMSI: true, UseCLI: true}, AuthManagedIdentity},
		{Config{UseOIDC: true, UseMSI: true}, AuthOIDC},
		{Config{ClientSecret: "s", UseOIDC: true}, AuthClientSecret},
		{Config{ClientCertificatePath: "/c.pfx", ClientSecret: "s"}, AuthClientCertificate},
		{Config{Credential: &staticCredential{}, ClientSecret: "s"}, AuthInjected},
	}
	for _, tc := range cases {
		if got := tc.cfg.AuthMethod(); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.cfg, got, tc.want)
		}
	}
}

func TestNewBuildsEveryCredentialKind(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("federated-jwt\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := Config{TenantID: "11111111-2222-3333-4444-555555555555", ClientID: "c"}
	for _, cfg := range []Config{
		{ClientSecret: "s"},
		{UseOIDC: true, OIDCTokenFilePath: tokenFile},
		{UseOIDC: true, OIDCToken: "jwt"},
		{UseMSI: true},
		{UseCLI: true},
		{},
	} {
		cfg = cfg.Merge(base)
		c, err := New(context.Background(), cfg)
		if err != nil {
			t.Errorf("%s: %v", cfg.AuthMethod(), err)
			continue
		}
		if c.AuthMethod() != cfg.AuthMethod() || c.Credential() == nil {
			t.Errorf("%s: client reports %s", cfg.AuthMethod(), c.AuthMethod())
		}
	}
	assertion := federatedToken(Config{OIDCTokenFilePath: tokenFile})
	if tok, err := assertion(context.Background()); err != nil || tok != "federated-jwt" {
		t.Errorf("federated token from file = %q, %v", tok, err)
	}
	_, err := New(context.Background(), Config{TenantID: "t", ClientID: "c", ClientCertificatePath: filepath.Join(dir, "missing.pem")})
	if err == nil || !strings.Contains(err.Error(), "client_certificate_path") {
		t.Errorf("missing certificate: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.pem"), []byte("not a cert"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = New(context.Background(), Config{TenantID: "t", ClientID: "c", ClientCertificatePath: filepath.Join(dir, "bad.pem")})
	if err == nil || !strings.Contains(err.Error(), "PEM or PKCS#12") {
		t.Errorf("unusable certificate: %v", err)
	}
}

// selfSignedServer starts a TLS server with its own freshly made CA
// certificate and returns it with the PEM file of that certificate.
func selfSignedServer(t *testing.T, h http.Handler) (*httptest.Server, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "graph test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, caFile
}

// Two TLS servers with different CAs in one process: each client trusts the
// SSL_CERT_FILE that was set when it was built, although Go's system pool was
// loaded (and cached) before, and only that one.
func TestSSLCertFileIsReadPerClient(t *testing.T) {
	_, _ = x509.SystemCertPool() // load and cache the system pool first
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"value":[]}`)) })
	var clients []*Client
	var servers []*httptest.Server
	var caFiles []string
	for range 2 {
		srv, caFile := selfSignedServer(t, ok)
		caFiles = append(caFiles, caFile)
		t.Setenv("SSL_CERT_FILE", caFile)
		c, err := New(context.Background(), Config{GraphEndpoint: srv.URL, AuthorityHost: srv.URL, Credential: &staticCredential{token: "t"}})
		if err != nil {
			t.Fatal(err)
		}
		clients, servers = append(clients, c), append(servers, srv)
	}
	for i, c := range clients {
		if err := c.Do(context.Background(), "GET", "/applicationTemplates", nil, nil); err != nil {
			t.Fatalf("client %d against its own server: %v", i, err)
		}
	}
	// Client 0 trusts only CA 0: pointed at server 1 it must fail the handshake.
	other, err := New(context.Background(), Config{GraphEndpoint: servers[1].URL, AuthorityHost: servers[1].URL,
		Credential: &staticCredential{token: "t"}, CAFile: caFiles[0]})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Do(context.Background(), "GET", "/applicationTemplates", nil, nil); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a client must not trust another simulator's CA: %v", err)
	}

	t.Setenv("SSL_CERT_FILE", filepath.Join(t.TempDir(), "missing.pem"))
	if _, err := New(context.Background(), Config{Credential: &staticCredential{}}); err == nil || !strings.Contains(err.Error(), "SSL_CERT_FILE") {
		t.Fatalf("unreadable SSL_CERT_FILE: %v", err)
	}
}
