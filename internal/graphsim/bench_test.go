package graphsim_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// BenchmarkAuthenticatedGET measures a typical authenticated Graph read
// (GET /servicePrincipals/{id}) over HTTPS with keep-alive, from parallel
// clients, and reports requests per second.
func BenchmarkAuthenticatedGET(b *testing.B) {
	env := simtest.Start(b, graphsim.Options{Users: 100, Groups: 5})
	status, body := env.Graph(b, "POST", "/applicationTemplates/"+graphsim.CustomAppTemplateID+"/instantiate", map[string]string{"displayName": "bench"})
	if status != 201 {
		b.Fatalf("instantiate: %d %s", status, body)
	}
	var created struct {
		ServicePrincipal struct {
			ID string `json:"id"`
		} `json:"servicePrincipal"`
	}
	if err := jsonUnmarshal(body, &created); err != nil {
		b.Fatal(err)
	}
	url := env.Ready.GraphEndpoint + "/v1.0/servicePrincipals/" + created.ServicePrincipal.ID
	auth := "Bearer " + env.Token(b)
	client := env.HTTPClient()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", auth)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkListUsersLargeTenant measures a full page of users ($top=999) in
// a 10,000-user tenant, the most expensive directory read clients make.
func BenchmarkListUsersLargeTenant(b *testing.B) {
	env := simtest.Start(b, graphsim.Options{Users: 10000, Groups: 50})
	url := env.Ready.GraphEndpoint + "/v1.0/users?$top=999&$select=id,userPrincipalName,department"
	auth := "Bearer " + env.Token(b)
	client := env.HTTPClient()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", auth)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
