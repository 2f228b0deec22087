package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// tenantURLValidator accepts only absolute https:// URLs with a host: the
// secret token is sent to this address, so it must never travel in clear
// text (unlike the provider's graph_endpoint there is no loopback exception;
// the simulator's SCIM targets are https too).
type tenantURLValidator struct{}

func (tenantURLValidator) Description(context.Context) string {
	return "must be an absolute https:// URL such as https://scim.example.com/scim/v2"
}

func (v tenantURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (tenantURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	var problem string
	switch {
	case err != nil:
		problem = "it is not a valid URL (" + err.Error() + ")"
	case !strings.EqualFold(u.Scheme, "https"):
		problem = "the secret token would be sent without TLS; only https:// is allowed"
	case u.Host == "" || u.Hostname() == "":
		problem = "it has no host name"
	case u.User != nil:
		problem = "it must not carry a user name or password; put the token in secret_token_wo"
	}
	if problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid tenant_url",
			fmt.Sprintf("tenant_url is %q: %s. Use the SCIM endpoint your application vendor gives you, for example https://scim.example.com/scim/v2.", raw, problem))
	}
}
