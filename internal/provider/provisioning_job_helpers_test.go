package provider

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// Helpers for the provisioning job and schema acceptance tests: the
// simulator's admin API (request counters, faults, real secret values,
// directory state) and a Graph client that acts like an admin in the portal.

// jobSimAdmin talks to the shared simulator's /_sim admin API.
type jobSimAdmin struct {
	base string
	http *http.Client
}

func newJobSimAdmin(t *testing.T) *jobSimAdmin {
	t.Helper()
	testAccPreCheck(t)
	pem, err := os.ReadFile(os.Getenv("SSL_CERT_FILE"))
	if err != nil {
		t.Fatalf("reading the simulator CA (SSL_CERT_FILE): %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("SSL_CERT_FILE holds no PEM certificate")
	}
	return &jobSimAdmin{
		base: strings.TrimSuffix(os.Getenv("ENTRA_GRAPH_ENDPOINT"), "/") + "/_sim",
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}},
	}
}

func (a *jobSimAdmin) call(t *testing.T, method, path string, body, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, a.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		t.Fatalf("simulator admin %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("simulator admin %s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("simulator admin %s %s: decoding %s: %v", method, path, data, err)
		}
	}
}

func (a *jobSimAdmin) requestCounts(t *testing.T) graphsim.RequestCounts {
	var rc graphsim.RequestCounts
	a.call(t, http.MethodGet, "/requests", nil, &rc)
	return rc
}

func (a *jobSimAdmin) resetRequests(t *testing.T) {
	a.call(t, http.MethodDelete, "/requests", nil, nil)
}

// setFaults switches fault injection on for the rest of the test.
func (a *jobSimAdmin) setFaults(t *testing.T, spec string) {
	var before struct {
		Spec string `json:"spec"`
	}
	a.call(t, http.MethodGet, "/faults", nil, &before)
	a.call(t, http.MethodPut, "/faults", map[string]string{"spec": spec}, nil)
	t.Cleanup(func() { a.call(t, http.MethodPut, "/faults", map[string]string{"spec": before.Spec}, nil) })
}

// realSecrets returns the service principal's synchronization secrets with
// their real (unmasked) values; nil when the SP has none or is gone.
func (a *jobSimAdmin) realSecrets(t *testing.T, spID string) map[string]string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.base+"/secrets/"+spID, nil)
	resp, err := a.http.Do(req)
	if err != nil {
		t.Fatalf("simulator admin secrets: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	var body struct {
		Value []entra.SecretPair `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("simulator admin secrets: %v", err)
	}
	return secretMap(body.Value)
}

// simState is the part of GET /_sim/state the tests look at.
type simState struct {
	ServicePrincipals []struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	} `json:"servicePrincipals"`
}

func (a *jobSimAdmin) state(t *testing.T) simState {
	var st simState
	a.call(t, http.MethodGet, "/state", nil, &st)
	return st
}

var (
	portalOnce   sync.Once
	portalClient *graph.Client
	portalErr    error
)

// testAccPortal is a Graph client with the provider's credentials, for
// changes "made in the portal" and for direct assertions.
func testAccPortal(t *testing.T) *graph.Client {
	t.Helper()
	testAccPreCheck(t)
	portalOnce.Do(func() {
		portalClient, portalErr = graph.New(t.Context(), graph.ConfigFromEnv())
	})
	if portalErr != nil {
		t.Fatalf("creating the portal Graph client: %v", portalErr)
	}
	return portalClient
}

// jobIDs lists the synchronization job ids of a service principal.
func jobIDs(t *testing.T, spID string) []string {
	t.Helper()
	var out struct {
		Value []entra.Job `json:"value"`
	}
	err := testAccPortal(t).Do(t.Context(), http.MethodGet, syncPath(spID)+"/jobs", nil, &out)
	if graph.IsNotFound(err) {
		return nil
	}
	if err != nil {
		t.Fatalf("listing jobs of %s: %v", spID, err)
	}
	ids := make([]string, 0, len(out.Value))
	for _, j := range out.Value {
		ids = append(ids, j.ID)
	}
	return ids
}

// stateAttr reads a primary attribute of a resource from the test state.
func stateAttr(s *terraform.State, address, name string) (string, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", address)
	}
	v, ok := rs.Primary.Attributes[name]
	if !ok {
		return "", fmt.Errorf("%s has no attribute %s", address, name)
	}
	return v, nil
}

// testAccJobProviderSource makes the in-process provider answer for the
// source address the examples use (entra-provisioning/entra).
func testAccJobProviderSource(t *testing.T) {
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "entra-provisioning")
}

const testAccJobTerraformBlock = `
terraform {
  required_providers {
    entra = { source = "entra-provisioning/entra" }
  }
}
provider "entra" {}
`
