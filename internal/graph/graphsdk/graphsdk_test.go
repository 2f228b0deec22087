package graphsdk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

type staticCredential struct{}

func (staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "sdk-test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestSDKUsesTheSharedTransport(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("Authorization") != "Bearer sdk-test-token" {
			t.Errorf("Authorization = %q, want the shared transport's token", r.Header.Get("Authorization"))
		}
		switch {
		case r.URL.Path == "/v1.0/applicationTemplates" && calls == 1:
			// Throttle once: the shared transport retries, not kiota.
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case r.URL.Path == "/v1.0/applicationTemplates":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"value":[{"id":"8adf8e6e-67b2-4cf2-a259-e3dc5476c621","displayName":"Custom","publisher":"Microsoft","supportedProvisioningTypes":["sync"]}]}`))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"r-9","date":"2026-11-25T12:00:00"}}}`))
		}
	}))
	defer srv.Close()
	c, err := graph.New(context.Background(), graph.Config{GraphEndpoint: srv.URL, Credential: staticCredential{}})
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	templates, err := sdk.ApplicationTemplates().Get(context.Background(), nil)
	if err != nil {
		t.Fatalf("list templates: %v", FromSDK(err, "GET", "/applicationTemplates"))
	}
	values := templates.GetValue()
	if len(values) != 1 || *values[0].GetDisplayName() != "Custom" || values[0].GetSupportedProvisioningTypes()[0] != "sync" {
		t.Fatalf("templates = %+v", values)
	}
	if got := c.Requests().Snapshot()["GET /applicationTemplates"]; got != 2 {
		t.Fatalf("counter saw %d attempts of GET /applicationTemplates, want 2 (429 then 200)", got)
	}

	_, err = sdk.ServicePrincipals().ByServicePrincipalId("sp1").Synchronization().Jobs().Get(context.Background(), nil)
	err = FromSDK(err, "GET", "/servicePrincipals/sp1/synchronization/jobs")
	ge, ok := graph.AsError(err)
	if !ok || ge.StatusCode != 403 || ge.Code != "Authorization_RequestDenied" || ge.RequestID != "r-9" {
		t.Fatalf("FromSDK = %#v (%v)", ge, err)
	}
	if !graph.IsForbidden(err) || !strings.Contains(err.Error(), "Synchronization.Read.All") {
		t.Fatalf("message %q should name the missing permission", err)
	}
	if FromSDK(nil, "GET", "/x") != nil {
		t.Fatal("FromSDK(nil) must stay nil")
	}
}
