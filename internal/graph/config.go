package graph

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// Config says how to reach and authenticate to Graph. The zero value (plus a
// tenant) authenticates with azidentity's DefaultAzureCredential against the
// global cloud. Field comments name the provider attribute and the
// environment variables ConfigFromEnv reads.
type Config struct {
	TenantID     string // tenant_id; ARM_TENANT_ID, AZURE_TENANT_ID
	ClientID     string // client_id; ARM_CLIENT_ID, AZURE_CLIENT_ID (also the user-assigned managed identity)
	ClientSecret string // client_secret; ARM_CLIENT_SECRET, AZURE_CLIENT_SECRET

	// client_certificate_path/_password; ARM_CLIENT_CERTIFICATE_PATH/_PASSWORD,
	// AZURE_CLIENT_CERTIFICATE_PATH/_PASSWORD. PEM or PKCS#12 (.pfx).
	ClientCertificatePath     string
	ClientCertificatePassword string

	// use_oidc; ARM_USE_OIDC. The federated token comes from OIDCToken
	// (ARM_OIDC_TOKEN) or is re-read on every token request from
	// OIDCTokenFilePath (ARM_OIDC_TOKEN_FILE_PATH, AZURE_FEDERATED_TOKEN_FILE).
	UseOIDC           bool
	OIDCToken         string
	OIDCTokenFilePath string

	UseMSI bool // use_msi; ARM_USE_MSI. ClientID selects a user-assigned identity.
	UseCLI bool // use_cli; ARM_USE_CLI

	// Environment is global (default), usgovernment or china; ARM_ENVIRONMENT,
	// AZURE_ENVIRONMENT. GraphEndpoint and AuthorityHost override its URLs
	// (ENTRA_GRAPH_ENDPOINT, ENTRA_AUTHORITY_HOST).
	Environment   string
	GraphEndpoint string
	AuthorityHost string

	// CAFile is an extra PEM bundle to trust on top of the system roots.
	// Empty means SSL_CERT_FILE, read when the client is built so that
	// several simulators in one process each work.
	CAFile string

	UserAgent string // e.g. "terraform-provider-entra/1.2.3"
	Logger    Logger // nil: no logging

	// Credential, when set, is used as is and every credential field above
	// is ignored (tests, or callers with their own azidentity chain).
	Credential azcore.TokenCredential

	RequestTimeout time.Duration // per HTTP attempt; 0 = DefaultRequestTimeout
	Retry          RetryPolicy   // zero fields take the Default* constants

	// OnResponse, when set, is called after every HTTP attempt (the exporter
	// turns these into self-metrics). A $batch call is one attempt.
	OnResponse func(RequestEvent)

	// OnBatchItem, when set, is called for every answer to a request inside
	// a $batch, including answers (429s) that Batch then re-sends, which no
	// caller would otherwise see.
	OnBatchItem func(BatchItemEvent)
}

// RequestEvent describes one HTTP attempt.
type RequestEvent struct {
	Route      string // normalised, e.g. "GET /servicePrincipals/{id}/synchronization/jobs/{id}"
	StatusCode int    // 0 when the request failed without an answer
	Duration   time.Duration
	Err        error
}

// BatchItemEvent describes one answer to a request inside a $batch call.
type BatchItemEvent struct {
	Route      string // normalised like RequestEvent.Route, e.g. "GET /servicePrincipals/{id}/synchronization/jobs"
	StatusCode int
	Round      int // 0 for the first send; n for the n-th re-send of throttled items
}

// DefaultRequestTimeout bounds one HTTP attempt. Graph answers most calls in
// well under a second; schema PUTs of large apps take a few seconds.
const DefaultRequestTimeout = 60 * time.Second

// Cloud is one national cloud: its names, endpoints and the cloud-specific
// ids this project needs. Clouds is the only table of them.
type Cloud struct {
	Name      string // global, usgovernment or china
	Graph     string // Graph endpoint without /v1.0
	Authority string // authority host, with a trailing slash
	// CustomAppTemplateID is the cloud's non-gallery ("Custom") application
	// template, the default of entra_enterprise_application.template_id.
	CustomAppTemplateID string
}

// Environment names accepted in Config.Environment.
const (
	EnvironmentGlobal       = "global"
	EnvironmentUSGovernment = "usgovernment"
	EnvironmentChina        = "china"
)

var clouds = map[string]Cloud{
	EnvironmentGlobal:       {EnvironmentGlobal, "https://graph.microsoft.com", "https://login.microsoftonline.com/", "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"},
	EnvironmentUSGovernment: {EnvironmentUSGovernment, "https://graph.microsoft.us", "https://login.microsoftonline.us/", "4602d0b4-76bb-404b-bca9-2652e1a39c6d"},
	EnvironmentChina:        {EnvironmentChina, "https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/", "5a532e38-1581-4918-9658-008dc27c1d68"},
}

// EnvironmentNames lists the canonical environment names.
func EnvironmentNames() []string {
	return []string{EnvironmentGlobal, EnvironmentUSGovernment, EnvironmentChina}
}

// environmentAliases accepts the names the azurerm and azuread providers
// use, so one shell environment serves all three.
var environmentAliases = map[string]string{
	"public":            EnvironmentGlobal,
	"azurepubliccloud":  EnvironmentGlobal,
	"usgov":             EnvironmentUSGovernment,
	"usgovernmentl4":    EnvironmentUSGovernment,
	"azureusgovernment": EnvironmentUSGovernment,
	"azurechinacloud":   EnvironmentChina,
}

// LookupCloud resolves an environment name or alias (case-insensitive; ""
// is global).
func LookupCloud(name string) (Cloud, bool) {
	env := strings.ToLower(strings.TrimSpace(name))
	if env == "" {
		env = EnvironmentGlobal
	}
	if alias, ok := environmentAliases[env]; ok {
		env = alias
	}
	c, ok := clouds[env]
	return c, ok
}

// Endpoints returns the effective Graph endpoint (no trailing slash, no
// /v1.0) and authority host (with a trailing slash), and whether the
// authority is custom (not one of the known clouds).
func (c Config) Endpoints() (graphEndpoint, authorityHost string, customAuthority bool, err error) {
	cloud, err := c.cloud()
	if err != nil {
		return "", "", false, err
	}
	graphEndpoint = strings.TrimRight(firstNonEmpty(c.GraphEndpoint, cloud.Graph), "/")
	graphEndpoint = strings.TrimSuffix(graphEndpoint, "/v1.0")
	authorityHost = firstNonEmpty(c.AuthorityHost, cloud.Authority)
	if !strings.HasSuffix(authorityHost, "/") {
		authorityHost += "/"
	}
	if err := checkEndpointURL(graphEndpoint, "graph_endpoint", "ENTRA_GRAPH_ENDPOINT"); err != nil {
		return "", "", false, err
	}
	if err := checkEndpointURL(authorityHost, "authority_host", "ENTRA_AUTHORITY_HOST"); err != nil {
		return "", "", false, err
	}
	customAuthority = true
	for _, known := range clouds {
		if strings.EqualFold(authorityHost, known.Authority) {
			customAuthority = false
		}
	}
	return graphEndpoint, authorityHost, customAuthority, nil
}

func (c Config) cloud() (Cloud, error) {
	cloud, ok := LookupCloud(c.Environment)
	if !ok {
		return Cloud{}, fmt.Errorf("environment %q (ARM_ENVIRONMENT / AZURE_ENVIRONMENT) is not known: use global, usgovernment or china, "+
			"or set graph_endpoint and authority_host for another cloud", c.Environment)
	}
	return cloud, nil
}

// checkEndpointURL accepts https URLs, and plain http only on loopback
// addresses (local test servers): a bearer token must never travel in clear
// text over a network.
func checkEndpointURL(raw, attr, envVar string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%s (%s) = %q is not an absolute URL: use the form https://host[:port]", attr, envVar, raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%s (%s) = %q uses http: tokens must not be sent unencrypted, use https (plain http is allowed only on loopback addresses)", attr, envVar, raw)
	}
	if u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("%s (%s) = %q must not carry a query string or user info", attr, envVar, raw)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// AuthMethod names the credential New will build.
type AuthMethod string

// Credential kinds, in the order of precedence used when several are
// configured (the order the AzureAD provider uses).
const (
	AuthInjected          AuthMethod = "credential"
	AuthClientCertificate AuthMethod = "client_certificate"
	AuthClientSecret      AuthMethod = "client_secret"
	AuthOIDC              AuthMethod = "oidc"
	AuthManagedIdentity   AuthMethod = "managed_identity"
	AuthAzureCLI          AuthMethod = "azure_cli"
	AuthDefault           AuthMethod = "default_chain"
)

// AuthMethod returns the credential kind this configuration selects.
func (c Config) AuthMethod() AuthMethod {
	switch {
	case c.Credential != nil:
		return AuthInjected
	case c.ClientCertificatePath != "":
		return AuthClientCertificate
	case c.ClientSecret != "":
		return AuthClientSecret
	case c.UseOIDC:
		return AuthOIDC
	case c.UseMSI:
		return AuthManagedIdentity
	case c.UseCLI:
		return AuthAzureCLI
	}
	return AuthDefault
}

// Validate checks the configuration without contacting anything. Each error
// names the attribute and environment variable to fix.
func (c Config) Validate() error {
	if _, _, _, err := c.Endpoints(); err != nil {
		return err
	}
	if c.RequestTimeout < 0 {
		return fmt.Errorf("request timeout %s must not be negative", c.RequestTimeout)
	}
	method := c.AuthMethod()
	switch method {
	case AuthClientCertificate, AuthClientSecret, AuthOIDC:
		if c.TenantID == "" {
			return fmt.Errorf("tenant_id (ARM_TENANT_ID / AZURE_TENANT_ID) is required to authenticate with %s: set it to the directory (tenant) id", method)
		}
		if c.ClientID == "" {
			return fmt.Errorf("client_id (ARM_CLIENT_ID / AZURE_CLIENT_ID) is required to authenticate with %s: set it to the application (client) id of the app registration", method)
		}
	}
	if c.TenantID != "" && !validTenant(c.TenantID) {
		return fmt.Errorf("tenant_id (ARM_TENANT_ID / AZURE_TENANT_ID) = %q is not a tenant id or domain: use the directory id (a GUID) or a verified domain like contoso.onmicrosoft.com", c.TenantID)
	}
	if method == AuthClientCertificate && c.ClientSecret != "" {
		return fmt.Errorf("both client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) and client_secret (ARM_CLIENT_SECRET) are set: set only one")
	}
	if method == AuthOIDC && c.OIDCToken == "" && c.OIDCTokenFilePath == "" {
		return fmt.Errorf("use_oidc (ARM_USE_OIDC) is set but no federated token was given: set oidc_token (ARM_OIDC_TOKEN) or oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH / AZURE_FEDERATED_TOKEN_FILE)")
	}
	return nil
}

// validTenant accepts GUIDs and DNS-like names (and "organizations"/"common",
// which azidentity accepts for multi-tenant apps).
func validTenant(t string) bool {
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return t != ""
}
