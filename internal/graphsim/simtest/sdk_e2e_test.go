package simtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	kiotaauth "github.com/microsoft/kiota-authentication-azure-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/applicationtemplates"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// TestSDKEndToEnd drives the simulator with Microsoft's own clients:
// azidentity's ClientSecretCredential (the provider's credential library)
// against the simulator's token endpoint, and msgraph-sdk-go's
// GraphServiceClient against its Graph routes, as an outside judge of their
// shapes.
func TestSDKEndToEnd(t *testing.T) {
	env := simtest.Start(t, graphsim.Options{Users: 3})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	cred, err := azidentity.NewClientSecretCredential(env.Ready.TenantID, env.Ready.ClientID, env.Ready.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions: azcore.ClientOptions{
				Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: env.Ready.AuthorityHost},
				Transport: env.HTTPClient(),
			},
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	if err != nil {
		t.Fatalf("azidentity could not get a token from the simulator: %v", err)
	}
	if tok.Token == "" || time.Until(tok.ExpiresOn) < 30*time.Minute {
		t.Fatalf("token %q expires %v", tok.Token, tok.ExpiresOn)
	}

	auth, err := kiotaauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred,
		[]string{"https://graph.microsoft.com/.default"}, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(auth, nil, nil, env.HTTPClient())
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(env.Ready.GraphEndpoint + "/v1.0")
	client := msgraphsdk.NewGraphServiceClient(adapter)

	filter := "displayName eq 'myPolicies'"
	templates, err := client.ApplicationTemplates().Get(ctx, &applicationtemplates.ApplicationTemplatesRequestBuilderGetRequestConfiguration{
		QueryParameters: &applicationtemplates.ApplicationTemplatesRequestBuilderGetQueryParameters{Filter: &filter},
	})
	if err != nil {
		t.Fatalf("listing application templates: %v", err)
	}
	if n := len(templates.GetValue()); n != 1 || *templates.GetValue()[0].GetId() != graphsim.MyPoliciesTemplateID {
		t.Fatalf("templates = %d", n)
	}

	body := applicationtemplates.NewItemInstantiatePostRequestBody()
	name := "SDK app"
	body.SetDisplayName(&name)
	created, err := client.ApplicationTemplates().ByApplicationTemplateId(graphsim.CustomAppTemplateID).Instantiate().Post(ctx, body, nil)
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	sp := created.GetServicePrincipal()
	if sp == nil || *sp.GetDisplayName() != name || !*sp.GetAppRoleAssignmentRequired() || len(sp.GetAppRoles()) != 2 {
		t.Fatalf("instantiated service principal: %+v", sp)
	}
	got, err := client.ServicePrincipals().ByServicePrincipalId(*sp.GetId()).Get(ctx, nil)
	if err != nil || *got.GetAppId() != *created.GetApplication().GetAppId() {
		t.Fatalf("GET service principal: %v", err)
	}

	// Graph errors surface as SDK errors with Graph's code.
	_, err = client.ServicePrincipals().ByServicePrincipalId("00000000-0000-0000-0000-000000000001").Get(ctx, nil)
	var odataErr *odataerrors.ODataError
	if !errors.As(err, &odataErr) || odataErr.ResponseStatusCode != 404 || *odataErr.GetErrorEscaped().GetCode() != "Request_ResourceNotFound" {
		t.Fatalf("SDK error does not carry Graph's status and code: %T %v", err, err)
	}
}
