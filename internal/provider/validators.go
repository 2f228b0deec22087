package provider

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// uuidPattern matches an Entra object or application id.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// uuidValidator rejects anything that is not a GUID, the form of every Entra
// object id.
func uuidValidator() validator.String {
	return stringvalidator.RegexMatches(uuidPattern,
		"must be a GUID such as 00000000-0000-0000-0000-000000000000 (an Entra object or application id)")
}

// httpsURLValidator accepts absolute https URLs with a host, and plain http
// only on loopback addresses (local test servers), as the graph layer does:
// a bearer token must never travel in clear text over a network.
func httpsURLValidator() validator.String { return httpsURL{} }

type httpsURL struct{}

func (httpsURL) Description(context.Context) string {
	return "must be an absolute https:// URL"
}

func (v httpsURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (httpsURL) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	loopbackHTTP := err == nil && strings.EqualFold(u.Scheme, "http") && isLoopbackHost(u.Hostname())
	if err != nil || u.Host == "" || (!strings.EqualFold(u.Scheme, "https") && !loopbackHTTP) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%s is %q; it must be an absolute https:// URL with a host, for example https://graph.microsoft.com.", req.Path, raw))
	}
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// credentialExclusivityValidator allows at most one explicit credential in
// the provider block, so it is never ambiguous which identity Terraform uses.
type credentialExclusivityValidator struct{}

var _ provider.ConfigValidator = credentialExclusivityValidator{}

func (credentialExclusivityValidator) Description(context.Context) string {
	return "at most one of client_secret, client_certificate_path, use_oidc, use_msi and use_cli"
}

func (v credentialExclusivityValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (credentialExclusivityValidator) ValidateProvider(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var chosen []string
	if isSet(m.ClientSecret) {
		chosen = append(chosen, "client_secret")
	}
	if isSet(m.ClientCertificatePath) {
		chosen = append(chosen, "client_certificate_path")
	}
	for name, b := range map[string]types.Bool{"use_oidc": m.UseOIDC, "use_msi": m.UseMSI, "use_cli": m.UseCLI} {
		if b.ValueBool() {
			chosen = append(chosen, name)
		}
	}
	if len(chosen) > 1 {
		sort.Strings(chosen)
		resp.Diagnostics.AddError("Conflicting provider credentials",
			fmt.Sprintf("The provider block sets %s; choose exactly one way to authenticate and remove the others.", strings.Join(chosen, " and ")))
	}
	if isSet(m.ClientCertificatePassword) && !isSet(m.ClientCertificatePath) && !m.ClientCertificatePath.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("client_certificate_password"), "Certificate password without a certificate",
			"client_certificate_password is set but client_certificate_path is not: set client_certificate_path to the certificate file, or remove the password.")
	}
	if isSet(m.OIDCTokenFilePath) && !m.UseOIDC.ValueBool() && !m.UseOIDC.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("oidc_token_file_path"), "OIDC token file without use_oidc",
			"oidc_token_file_path is only read with use_oidc = true: add use_oidc = true or remove oidc_token_file_path.")
	}
}

// isSet reports whether a string attribute has a known, non-empty value.
func isSet(s types.String) bool {
	return !s.IsNull() && !s.IsUnknown() && s.ValueString() != ""
}
