package provider

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/simtest"
)

// The acceptance tests of this package share ONE in-process Graph simulator,
// started by TestMain when TF_ACC is set. Terraform runs the provider
// in-process through testAccProtoV6ProviderFactories, so the provider reads
// the simulator's endpoints and credentials from the environment exported
// here (ARM_*, ENTRA_*, SSL_CERT_FILE), exactly as a user's shell would.

// testAccEnv is the shared simulator; nil when TF_ACC is not set.
var testAccEnv *simtest.Env

// testAccPortalClient is a Graph client of the simulator's full-permission
// identity, for "portal" changes and direct assertions (never the provider).
var testAccPortalClient *graph.Client

// testAccProtoV6ProviderFactories serves the provider under test to terraform.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"entra": providerserver.NewProtocol6WithError(New("test")()),
}

// testAccSimOptions is the shared simulator's configuration: fast enough that
// a 40-minute provisioning interval passes in 40 s, with a small directory.
var testAccSimOptions = graphsim.Options{Speed: 60, Users: 25, Groups: 4}

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		os.Exit(m.Run())
	}
	os.Exit(testAccRun(m))
}

// testAccRun starts the shared simulator, exports its environment, runs the
// tests and stops it (a separate function so the deferred stop runs before
// os.Exit).
func testAccRun(m *testing.M) int {
	// The terraform CLI must never phone home from tests.
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	env, stop, err := simtest.StartMain(testAccSimOptions)
	if err != nil {
		fmt.Fprintf(os.Stderr, "acceptance tests: starting the Graph simulator: %v\n", err)
		return 1
	}
	defer stop()
	if err := env.SetenvMain(); err != nil {
		fmt.Fprintf(os.Stderr, "acceptance tests: exporting the simulator environment: %v\n", err)
		return 1
	}
	client, err := graph.New(context.Background(), graph.Config{
		TenantID:      env.Ready.TenantID,
		ClientID:      env.Ready.ClientID,
		ClientSecret:  env.Ready.ClientSecret,
		GraphEndpoint: env.Ready.GraphEndpoint,
		AuthorityHost: env.Ready.AuthorityHost,
		CAFile:        env.Ready.CAFile,
		UserAgent:     "terraform-provider-entra-acctest-portal",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "acceptance tests: creating the portal Graph client: %v\n", err)
		return 1
	}
	// Under OpenTofu, "entra-provisioning/entra" means
	// registry.opentofu.org/entra-provisioning/entra: terraform-plugin-testing
	// serves the in-process provider under the host TF_ACC_PROVIDER_HOST names.
	if cli, err := testAccCLI(); err != nil {
		fmt.Fprintf(os.Stderr, "acceptance tests: %v\n", err)
		return 1
	} else if os.Getenv("TF_ACC_PROVIDER_HOST") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", cli.RegistryHost())
	}
	testAccEnv, testAccPortalClient = env, client
	return m.Run()
}

// testAccPreCheck fails fast with a clear message when the harness could not
// provide what acceptance tests need.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it against the Graph simulator (make testacc)")
	}
	if testAccEnv == nil {
		t.Fatal("the Graph simulator is not running: acceptance tests need TF_ACC=1 (TestMain starts the simulator)")
	}
	for _, name := range []string{"ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ENTRA_GRAPH_ENDPOINT", "ENTRA_AUTHORITY_HOST", "SSL_CERT_FILE"} {
		if os.Getenv(name) == "" {
			t.Fatalf("%s is not set: the simulator harness (simtest.StartMain) must export it", name)
		}
	}
}

// testAccSCIMTarget returns the tenant URL and bearer token of one of the
// simulator's SCIM targets.
func testAccSCIMTarget(name string) (tenantURL, token string) {
	endpoint := "https://graphsim.invalid" // without TF_ACC: only used to build configs of skipped tests
	if testAccEnv != nil {
		endpoint = testAccEnv.Ready.GraphEndpoint
	}
	return fmt.Sprintf("%s/_sim/scim/%s/", endpoint, name), "sim-token-" + name
}

// testAccContext is the context for direct ("portal") calls made by tests.
func testAccContext(t *testing.T) context.Context {
	t.Helper()
	return t.Context()
}
