package graphapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

type staticToken struct{}

func (staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "test-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

type failingToken struct{}

func (failingToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("authority unreachable")
}

// fakeGraph answers like a broken Graph: HTML instead of JSON, a 403
// envelope, and a $batch whose item carries a non-object body.
func fakeGraph(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1.0/servicePrincipals", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>gateway says hi</html>"))
	})
	mux.HandleFunc("GET /v1.0/auditLogs/provisioning", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`))
	})
	mux.HandleFunc("POST /v1.0/$batch", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"responses":[{"id":"0","status":200,"body":"not-an-object"},{"id":"1","status":404,"body":{"error":{"code":"Request_ResourceNotFound"}}}]}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func newTestClient(t *testing.T, url string, cred azcore.TokenCredential) *GraphClient {
	t.Helper()
	c, err := graph.New(context.Background(), graph.Config{GraphEndpoint: url, Credential: cred,
		Retry: graph.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return NewGraphClient(c)
}

func TestGraphClientReportsMalformedForbiddenAndBatchItems(t *testing.T) {
	srv := fakeGraph(t)
	c := newTestClient(t, srv.URL, staticToken{})
	ctx := context.Background()

	var out map[string]any
	err := c.Get(ctx, "/servicePrincipals", &out)
	if Reason(err) != "malformed" {
		t.Errorf("HTML answer: reason %q (%v), want malformed", Reason(err), err)
	}

	err = c.Get(ctx, "/auditLogs/provisioning", &out)
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != 403 || ge.Code != "Authorization_RequestDenied" || Reason(err) != "forbidden" {
		t.Errorf("403: %v", err)
	}

	resps, err := c.Batch(ctx, []BatchRequest{{ID: "0", URL: "/servicePrincipals/a/synchronization/jobs"}, {ID: "1", URL: "/servicePrincipals/b/synchronization/jobs"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]BatchResponse{}
	for _, r := range resps {
		got[r.ID] = r
	}
	if got["0"].Status != 200 || strings.TrimSpace(string(got["0"].Body)) != `"not-an-object"` || got["1"].Status != 404 {
		t.Errorf("batch items passed through wrongly: %+v", resps)
	}
}

func TestGraphClientTokenFailureIsReasonToken(t *testing.T) {
	srv := fakeGraph(t)
	c := newTestClient(t, srv.URL, failingToken{})
	var out map[string]any
	err := c.Get(context.Background(), "/servicePrincipals", &out)
	if err == nil {
		t.Fatal("want an error")
	}
	if r := Reason(err); r != "token" {
		t.Errorf("reason %q for %v, want token", r, err)
	}
}
