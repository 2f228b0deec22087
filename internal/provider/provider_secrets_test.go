package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// jwtPattern matches an access token (header.payload of a JWT).
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}`)

// The provider's client secret and the access tokens it obtains never reach
// Terraform's logs, even at TRACE where every Graph and token request is
// logged.
func TestAccProvider_credentialsNeverLogged(t *testing.T) {
	testAccPreCheck(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("TF_LOG", "TRACE")
	secret := testAccEnv.Ready.ClientSecret
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckEnterpriseAppGone(t),
		Steps: []resource.TestStep{{
			// The secret comes from ARM_CLIENT_SECRET: a literal in the
			// configuration would be echoed into the log by the test harness
			// itself (not by Terraform or the provider).
			Config: testAccEnterpriseAppConfig(testAccName("logs"), true),
		}},
	})
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the terraform log: %v", err)
	}
	log := string(data)
	if !strings.Contains(log, "oauth2/v2.0/token") || !strings.Contains(log, "/instantiate") {
		t.Fatalf("the TRACE log (%d bytes) does not show the token and Graph requests; the check below would prove nothing", len(data))
	}
	if strings.Contains(log, secret) {
		t.Error("the client secret appears in the TRACE log")
	}
	if m := jwtPattern.FindString(log); m != "" {
		t.Errorf("an access token appears in the TRACE log: %.20s…", m)
	}
}
