package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestAccApplicationTemplateDataSource(t *testing.T) {
	const byName, byID = "data.entra_application_template.by_name", "data.entra_application_template.by_id"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
data "entra_application_template" "by_name" {
  display_name = "mYpOlIcIeS"
}

data "entra_application_template" "by_id" {
  id = %q
}
`, testAccCustomTemplateID),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(byName, "display_name", "myPolicies"),
					resource.TestMatchResourceAttr(byName, "id", uuidPattern),
					resource.TestCheckResourceAttrSet(byName, "publisher"),
					resource.TestCheckTypeSetElemAttr(byName, "supported_provisioning_types.*", "sync"),
					resource.TestCheckResourceAttr(byID, "id", testAccCustomTemplateID),
					resource.TestCheckResourceAttr(byID, "display_name", "Custom"),
				),
			},
		},
	})
}

func TestAccApplicationTemplateDataSource_errors(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A typo fails the plan and suggests the real name.
				Config: `
data "entra_application_template" "test" {
  display_name = "myPolicys"
}`,
				ExpectError: regexp.MustCompile(`(?s)No\s+application\s+template\s+is\s+named\s+"myPolicys".*Close\s+matches:\s+"myPolicies"`),
			},
			{
				Config: `
data "entra_application_template" "test" {
  id = "00000000-0000-0000-0000-00000000dead"
}`,
				ExpectError: regexp.MustCompile(`(?s)No\s+application\s+template\s+has\s+id`),
			},
			{
				Config: `
data "entra_application_template" "test" {
  id           = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
  display_name = "Custom"
}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+Attribute\s+Combination`),
			},
		},
	})
}
