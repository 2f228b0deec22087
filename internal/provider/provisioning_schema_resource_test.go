package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// portalJob creates a job on a new application the way another tool (or an
// admin) would, and marks its schema with a field and an enum value this
// provider does not model, to prove applies keep them.
func portalJob(t *testing.T, name string) (spID, jobID string) {
	t.Helper()
	ctx := context.Background()
	c := testAccPortal(t)
	spID = instantiateCustomApp(t, name)
	var job *entra.Job
	if err := retrySyncConsistency(ctx, func() (err error) { job, err = createSyncJob(ctx, c, spID, "scim"); return err }); err != nil {
		t.Fatalf("portal: create job: %v", err)
	}
	var raw json.RawMessage
	if err := retrySyncConsistency(ctx, func() error { return c.Do(ctx, "GET", jobPath(spID, job.ID)+"/schema", nil, &raw) }); err != nil {
		t.Fatalf("portal: read schema: %v", err)
	}
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	rule := doc["synchronizationRules"].([]any)[0].(map[string]any)
	rule["futureRuleSetting"] = map[string]any{"mode": "Preview"}
	for _, om := range rule["objectMappings"].([]any) {
		if om.(map[string]any)["sourceObjectName"] == "Group" {
			for _, am := range om.(map[string]any)["attributeMappings"].([]any) {
				if am.(map[string]any)["targetAttributeName"] == "members" {
					am.(map[string]any)["flowType"] = "FutureFlowType" // an enum value from the future
				}
			}
		}
	}
	body, _ := json.Marshal(doc)
	if err := putJobSchemaRaw(ctx, c, spID, job.ID, body); err != nil {
		t.Fatalf("portal: save schema: %v", err)
	}
	return spID, job.ID
}

func testAccSchemaConfig(spID, jobID, mappings string) string {
	return testAccJobTerraformBlock + fmt.Sprintf(`
resource "entra_provisioning_schema" "test" {
  service_principal_id = %q
  job_id               = %q
%s
}
`, spID, jobID, mappings)
}

func TestAccProvisioningSchema_lifecycle(t *testing.T) {
	testAccJobProviderSource(t)
	spID, jobID := portalJob(t, "acc schema lifecycle")
	state := &terraform.State{Modules: []*terraform.ModuleState{{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{
		"entra_provisioning_job.portal": {Type: "entra_provisioning_job", Primary: &terraform.InstanceState{ID: jobID, Attributes: map[string]string{
			"service_principal_id": spID, "job_id": jobID,
		}}},
	}}}}
	check := func(want []string, groupEnabled *bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			return checkUserMappings(t, "entra_provisioning_job.portal", want, groupEnabled)(state)
		}
	}
	keptUnknownField := func(*terraform.State) error {
		raw, err := findJobSchemaRaw(context.Background(), testAccPortal(t), spID, jobID)
		if err != nil {
			return err
		}
		var doc map[string]any
		_ = json.Unmarshal(raw, &doc)
		rule := doc["synchronizationRules"].([]any)[0].(map[string]any)
		if _, ok := rule["futureRuleSetting"]; !ok {
			return fmt.Errorf("the apply dropped a schema field the provider does not model (futureRuleSetting)")
		}
		for _, om := range rule["objectMappings"].([]any) {
			if om.(map[string]any)["sourceObjectName"] != "Group" {
				continue
			}
			for _, am := range om.(map[string]any)["attributeMappings"].([]any) {
				if am.(map[string]any)["targetAttributeName"] == "members" && am.(map[string]any)["flowType"] != "FutureFlowType" {
					return fmt.Errorf("the apply changed an unknown enum value: Group members flowType = %v", am.(map[string]any)["flowType"])
				}
			}
		}
		return nil
	}
	v1 := `
  object_mappings = {
    User = {
      scoping_filter = [{ clauses = [{ attribute = "department", operator = "EQUALS", values = ["Sales"] }] }]
      attribute_mappings = {
        "userName"    = { source = "userPrincipalName", matching_priority = 1 }
        "active"      = { expression = "Switch([IsSoftDeleted],,\"False\",\"True\",\"True\",\"False\")" }
        "displayName" = { source = "displayName", apply = "on_create" }
      }
    }
  }
  target_attributes = {
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = {
      "displayName" = { required = true }
      "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter" = { type = "String" }
    }
  }
`
	v2 := `
  object_mappings = {
    User = {
      attribute_mappings = {
        "userName"   = { source = "userPrincipalName", matching_priority = 1 }
        "externalId" = { source = "objectId" }
        "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter" = { constant = "CC-42" }
      }
    }
    Group = { enabled = false }
  }
  target_attributes = {
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = {
      "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter" = { type = "String" }
    }
  }
`
	templateUserMappings := 22

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			sch, _, err := jobSchemaOf(t, state, "entra_provisioning_job.portal")
			if err != nil {
				return err
			}
			if n := len(syncschema.ExtractAll(sch).ObjectMappings["User"].AttributeMappings); n != templateUserMappings {
				return fmt.Errorf("after destroy User has %d mappings, want the template's %d", n, templateUserMappings)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// An unknown source attribute is caught at plan time against the job's real schema.
				Config: testAccSchemaConfig(spID, jobID, `
  object_mappings = { User = { attribute_mappings = { userName = { source = "userPrincipleName" } } } }
`),
				ExpectError: regexp.MustCompile(`(?s)Unknown source attribute.*userPrincipalName`),
			},
			{
				Config: testAccSchemaConfig(spID, jobID, v1),
				Check:  resource.ComposeAggregateTestCheckFunc(check([]string{"userName", "active", "displayName"}, nil), keptUnknownField),
			},
			{
				ResourceName:      "entra_provisioning_schema.test",
				ImportState:       true,
				ImportStateId:     spID + "/" + jobID,
				ImportStateVerify: false, // import describes all template differences; checked below
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("import returned %d states", len(states))
					}
					a := states[0].Attributes
					for k, want := range map[string]string{
						"object_mappings.User.attribute_mappings.userName.source":            "userPrincipalName",
						"object_mappings.User.attribute_mappings.displayName.apply":          "on_create",
						"object_mappings.User.scoping_filter.0.clauses.0.values.0":           "Sales",
						"object_mappings.User.attribute_mappings.userName.matching_priority": "1",
						"object_mappings.User.attribute_mappings.displayName.source":         "displayName",
						"object_mappings.User.scoping_filter.0.clauses.0.operator":           "EQUALS",
						"object_mappings.User.scoping_filter.0.clauses.0.attribute":          "department",
						"object_mappings.User.attribute_mappings.active.expression":          `Switch([IsSoftDeleted], , "False", "True", "True", "False")`,
						"object_mappings.User.attribute_mappings.%":                          "3",
						"object_mappings.%": "1",
					} {
						if a[k] != want {
							return fmt.Errorf("imported %s = %q, want %q", k, a[k], want)
						}
					}
					return nil
				},
			},
			{
				Config: testAccSchemaConfig(spID, jobID, v2),
				Check: resource.ComposeAggregateTestCheckFunc(
					check([]string{"userName", "externalId", "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter"}, boolp(false)),
					keptUnknownField,
				),
			},
			{
				// A mapping changed in the portal shows in the next plan.
				PreConfig: func() {
					ctx := context.Background()
					c := testAccPortal(t)
					current, err := findJobSchema(ctx, c, spID, jobID)
					if err != nil {
						t.Fatalf("portal: read schema: %v", err)
					}
					next, err := syncschema.Apply(current, syncschema.Overlay{ObjectMappings: map[string]syncschema.ObjectMapping{
						"User": {AttributeMappings: map[string]syncschema.AttributeMapping{
							"userName":   {Source: "mail", MatchingPriority: 1},
							"externalId": {Source: "objectId"},
							"urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter": {Constant: "CC-42"},
						}},
					}}, nil)
					if err != nil {
						t.Fatalf("portal: edit schema: %v", err)
					}
					body, _ := next.MarshalJSON()
					if err := putJobSchemaRaw(ctx, c, spID, jobID, body); err != nil {
						t.Fatalf("portal: save schema: %v", err)
					}
				},
				Config:             testAccSchemaConfig(spID, jobID, v2),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: testAccSchemaConfig(spID, jobID, v2),
				Check:  check([]string{"userName", "externalId", "urn:ietf:params:scim:schemas:extension:acme:2.0:User:costCenter"}, boolp(false)),
			},
		},
	})
}
