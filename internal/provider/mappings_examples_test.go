package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// The seed-scenario examples under examples/ are applied as they are
// (tenant URLs and tokens pointing at simulator SCIM targets), the
// resulting schema is checked in the simulator, the plan right after apply
// must be empty (terraform-plugin-testing checks that), and everything is
// destroyed.

// exampleConfig concatenates the example's root .tf files; local module
// sources become absolute because the test harness copies no directories.
func exampleConfig(t *testing.T, name string) string {
	t.Helper()
	config, modules := exampleRootConfig(t, name)
	if !testAccCLIOrFail(t).SupportsWriteOnly() {
		modules = legacyModulesCopy(t, modules)
	}
	return withModulesAt(config, modules)
}

// withModulesAt points an example's "./modules/…" sources at dir.
func withModulesAt(config, dir string) string {
	return strings.ReplaceAll(config, `"./modules/`, `"`+dir+`/`)
}

// exampleRootConfig is an example's root configuration (in the secret_token
// form on CLIs before 1.11) and the absolute path of its modules directory.
func exampleRootConfig(t *testing.T, name string) (config, modules string) {
	t.Helper()
	dir := filepath.Join("..", "..", "examples", name)
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("example %s has no .tf files in %s", name, dir)
	}
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n")
	}
	modules, _ = filepath.Abs(filepath.Join(dir, "modules"))
	config = b.String()
	if !testAccCLIOrFail(t).SupportsWriteOnly() {
		// The CLI cannot send write-only values: the secret_token form.
		config = legacySecretTokenConfig(config)
	}
	return config, modules
}

// legacyModulesCopy copies an example's modules directory (if any) with
// every .tf file in the secret_token form, for CLIs before 1.11.
func legacyModulesCopy(t *testing.T, modules string) string {
	t.Helper()
	if _, err := os.Stat(modules); err != nil {
		return modules
	}
	out := t.TempDir()
	err := filepath.WalkDir(modules, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(modules, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(out, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tf") {
			data = []byte(legacySecretTokenConfig(string(data)))
		}
		return os.WriteFile(filepath.Join(out, rel), data, 0o600)
	})
	if err != nil {
		t.Fatalf("copying %s for a CLI without write-only attributes: %v", modules, err)
	}
	return out
}

// jobSchemaOf reads the job's schema as the simulator holds it.
func jobSchemaOf(t *testing.T, s *terraform.State, jobAddress string) (*syncschema.Schema, map[string]any, error) {
	spID, err := stateAttr(s, jobAddress, "service_principal_id")
	if err != nil {
		return nil, nil, err
	}
	jobID, err := stateAttr(s, jobAddress, "job_id")
	if err != nil {
		return nil, nil, err
	}
	raw, err := findJobSchemaRaw(t.Context(), testAccPortal(t), spID, jobID)
	if err != nil {
		return nil, nil, err
	}
	parsed, err := syncschema.Parse(raw)
	if err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, nil, err
	}
	return parsed, doc, nil
}

// checkUserMappings asserts exactly these target attributes are mapped for
// source object User, and Group's enabled flag when groupEnabled != nil.
func checkUserMappings(t *testing.T, jobAddress string, want []string, groupEnabled *bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		sch, _, err := jobSchemaOf(t, s, jobAddress)
		if err != nil {
			return err
		}
		all := syncschema.ExtractAll(sch)
		user, ok := all.ObjectMappings["User"]
		if !ok {
			return fmt.Errorf("%s: no User object mapping", jobAddress)
		}
		got := make([]string, 0, len(user.AttributeMappings))
		for k := range user.AttributeMappings {
			got = append(got, k)
		}
		sort.Strings(got)
		w := append([]string(nil), want...)
		sort.Strings(w)
		if !reflect.DeepEqual(got, w) {
			return fmt.Errorf("%s: User maps %q, want %q", jobAddress, got, w)
		}
		if groupEnabled != nil {
			g := all.ObjectMappings["Group"]
			if g.Enabled == nil || *g.Enabled != *groupEnabled {
				return fmt.Errorf("%s: Group enabled = %v, want %v", jobAddress, g.Enabled, *groupEnabled)
			}
		}
		return nil
	}
}

// targetAttributeDefinition finds an attribute definition in the job's
// target directory.
func targetAttributeDefinition(doc map[string]any, object, attribute string) map[string]any {
	dirs, _ := doc["directories"].([]any)
	for _, d := range dirs {
		objs, _ := d.(map[string]any)["objects"].([]any)
		for _, o := range objs {
			om, _ := o.(map[string]any)
			if om["name"] != object {
				continue
			}
			attrs, _ := om["attributes"].([]any)
			for _, a := range attrs {
				am, _ := a.(map[string]any)
				if am["name"] == attribute {
					return am
				}
			}
		}
	}
	return nil
}

func exampleVariables(tenantURL, token string) config.Variables {
	return config.Variables{
		"tenant_url":   config.StringVariable(tenantURL),
		"secret_token": config.StringVariable(token),
	}
}

func boolp(b bool) *bool { return &b }

func TestAccExample_apty(t *testing.T) {
	testAccJobProviderSource(t)
	tenantURL, token := testAccSCIMTarget("apty")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          exampleConfig(t, "apty"),
			ConfigVariables: exampleVariables(tenantURL, token),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkUserMappings(t, "entra_provisioning_job.apty", []string{"userName", "active", "displayName"}, boolp(true)),
				checkJobRunning2(t, "entra_provisioning_job.apty"),
			),
		}},
	})
}

func TestAccExample_mypolicies(t *testing.T) {
	testAccJobProviderSource(t)
	admin := newJobSimAdmin(t)
	tenantURL, token := testAccSCIMTarget("mypolicies")
	nine := []string{
		"userName", "active", `emails[type eq "work"].value`, "name.givenName", "name.familyName", "name.formatted",
		"externalId", `addresses[type eq "work"].country`, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
	}
	withDepartments := exampleVariables(tenantURL, token)
	withDepartments["scoping_departments"] = config.ListVariable(config.StringVariable("Sales"), config.StringVariable("Marketing"))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          exampleConfig(t, "mypolicies"),
				ConfigVariables: exampleVariables(tenantURL, token),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("entra_provisioning_job.mypolicies", "template_id", "mypolicies"),
					resource.TestCheckResourceAttr("entra_provisioning_job.mypolicies", "scope", "assigned"),
					resource.TestCheckResourceAttr("entra_provisioning_job.mypolicies", "send_failure_notifications", "true"),
					func(s *terraform.State) error {
						spID, err := stateAttr(s, "entra_provisioning_job.mypolicies", "service_principal_id")
						if err != nil {
							return err
						}
						if n := admin.realSecrets(t, spID)[entra.SecretKeySyncNotificationSetting]; !strings.Contains(n, "iam-alerts@example.com") {
							return fmt.Errorf("failure notifications are not sent to iam-alerts@example.com: %s = %q", entra.SecretKeySyncNotificationSetting, n)
						}
						return nil
					},
					checkUserMappings(t, "entra_provisioning_job.mypolicies", nine, nil),
					checkJobRunning2(t, "entra_provisioning_job.mypolicies"),
				),
			},
			{
				// The tutorial's optional scoping filter: one group per department.
				Config:          exampleConfig(t, "mypolicies"),
				ConfigVariables: withDepartments,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkUserMappings(t, "entra_provisioning_job.mypolicies", nine, nil),
					func(s *terraform.State) error {
						sch, _, err := jobSchemaOf(t, s, "entra_provisioning_job.mypolicies")
						if err != nil {
							return err
						}
						got := syncschema.ExtractAll(sch).ObjectMappings["User"].ScopingFilter
						want := []syncschema.FilterGroup{
							{Clauses: []syncschema.FilterClause{{Attribute: "department", Operator: "EQUALS", Values: []string{"Sales"}}}},
							{Clauses: []syncschema.FilterClause{{Attribute: "department", Operator: "EQUALS", Values: []string{"Marketing"}}}},
						}
						if !reflect.DeepEqual(got, want) {
							return fmt.Errorf("User scoping filter = %+v, want %+v", got, want)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccExample_metacompliance(t *testing.T) {
	testAccJobProviderSource(t)
	tenantURL, token := testAccSCIMTarget("metacompliance")
	const enterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:          exampleConfig(t, "metacompliance"),
			ConfigVariables: exampleVariables(tenantURL, token),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkUserMappings(t, "entra_provisioning_job.metacompliance", []string{
					"userName", "active", "title", `emails[type eq "work"].value`, "preferredLanguage", "name.givenName",
					"name.familyName", "name.formatted", `addresses[type eq "work"].formatted`, `addresses[type eq "work"].streetAddress`,
					`addresses[type eq "work"].locality`, `addresses[type eq "work"].region`, `addresses[type eq "work"].postalCode`,
					`addresses[type eq "work"].country`, "externalId",
					"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
					"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
				}, boolp(true)),
				func(s *terraform.State) error {
					sch, doc, err := jobSchemaOf(t, s, "entra_provisioning_job.metacompliance")
					if err != nil {
						return err
					}
					scope := syncschema.ExtractAll(sch).ObjectMappings["User"].ScopingFilter
					if len(scope) != 1 || len(scope[0].Clauses) != 2 {
						return fmt.Errorf("User scoping filter = %+v, want one group of two clauses", scope)
					}
					for _, a := range []string{"id", `emails[type eq "work"].value`, "userName", "name.givenName", "name.familyName", "externalId"} {
						def := targetAttributeDefinition(doc, enterpriseUser, a)
						if def == nil || def["required"] != true {
							return fmt.Errorf("target attribute %s is not required: %v", a, def)
						}
					}
					members := targetAttributeDefinition(doc, "urn:ietf:params:scim:schemas:core:2.0:Group", "members")
					refs, _ := members["referencedObjects"].([]any)
					if len(refs) != 1 || refs[0].(map[string]any)["referencedObjectName"] != enterpriseUser {
						return fmt.Errorf("Group members reference %v, want only %s", refs, enterpriseUser)
					}
					return nil
				},
				checkJobRunning2(t, "entra_provisioning_job.metacompliance"),
			),
		}},
	})
}

// TestAccExample_andmoney drives the terraform CLI itself: the example
// uses a module, and terraform-plugin-testing's state checks do not
// support modules.
func TestAccExample_andmoney(t *testing.T) {
	admin := newJobSimAdmin(t)
	keys := []string{"test-advisors", "test-rooms", "production-advisors", "production-rooms"}
	urls, tokens := map[string]string{}, map[string]string{}
	for _, k := range keys {
		urls[k], tokens[k] = testAccSCIMTarget("andmoney-" + k)
	}
	// One advisor is assigned to the test advisors application and
	// provisioned on demand, as the guide's optional step does.
	var users struct {
		Value []struct {
			ID                string `json:"id"`
			UserPrincipalName string `json:"userPrincipalName"`
		} `json:"value"`
	}
	if err := testAccPortal(t).Do(t.Context(), "GET", "/users?$top=5", nil, &users); err != nil || len(users.Value) == 0 {
		t.Fatalf("listing seeded users: %v", err)
	}
	advisor := users.Value[len(users.Value)-1]
	cli := newTestCLI(t, exampleConfig(t, "andmoney"))
	vars, _ := json.Marshal(map[string]any{
		"tenant_urls": urls, "secret_tokens": tokens, "name_prefix": "acc andmoney", "notification_email": "booking-ops@example.com",
		"assigned_principal_ids":       map[string][]string{"test-advisors": {advisor.ID}},
		"provision_on_demand_user_ids": map[string][]string{"test-advisors": {advisor.ID}},
	})
	cli.writeFile("test.tfvars.json", vars)

	cli.run("init", "-input=false", "-no-color")
	applyTook, _ := cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var-file=test.tfvars.json")
	planTook, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color", "-var-file=test.tfvars.json")
	if code != 0 {
		t.Errorf("the plan right after apply is not empty (exit %d)", code)
	}
	var jobs map[string]struct {
		ServicePrincipalID string `json:"service_principal_id"`
		JobID              string `json:"job_id"`
	}
	cli.outputJSON("jobs", &jobs)
	advisors := []string{"active", "userName", "displayName", "name.givenName", "name.familyName", `addresses[type eq "work"].formatted`, "externalId"}
	rooms := []string{"active", "userName", "displayName", `addresses[type eq "work"].formatted`, "externalId"}
	for _, k := range keys {
		j, ok := jobs[k]
		if !ok {
			t.Fatalf("output jobs has no %q: %v", k, jobs)
		}
		want := rooms
		if strings.HasSuffix(k, "advisors") {
			want = advisors
		}
		shim := &terraform.State{Modules: []*terraform.ModuleState{{Path: []string{"root"}, Resources: map[string]*terraform.ResourceState{
			"entra_provisioning_job.this": {Type: "entra_provisioning_job", Primary: &terraform.InstanceState{ID: j.JobID, Attributes: map[string]string{
				"service_principal_id": j.ServicePrincipalID, "job_id": j.JobID,
			}}},
		}}}}
		if err := checkUserMappings(t, "entra_provisioning_job.this", want, nil)(shim); err != nil {
			t.Errorf("%s: %v", k, err)
		}
		got := admin.realSecrets(t, j.ServicePrincipalID)
		if got[entra.SecretKeyBaseAddress] != urls[k] || got[entra.SecretKeySecretToken] != tokens[k] {
			t.Errorf("%s: the tenant holds BaseAddress %q and a token of %d characters, want %q and its own token", k, got[entra.SecretKeyBaseAddress], len(got[entra.SecretKeySecretToken]), urls[k])
		}
		if n := got[entra.SecretKeySyncNotificationSetting]; !strings.Contains(n, "booking-ops@example.com") || !strings.Contains(strings.ToLower(n), `"enabled":true`) {
			t.Errorf("%s: failure notifications are not on for booking-ops@example.com: %s = %q", k, entra.SecretKeySyncNotificationSetting, n)
		}
	}
	var onDemand map[string][]struct {
		ObjectID string `json:"object_id"`
		Status   string `json:"status"`
		Action   string `json:"action"`
		Code     string `json:"error_code"`
		Message  string `json:"error_message"`
	}
	cli.outputJSON("on_demand_results", &onDemand)
	// Success, or RedundantExport when the job's initial cycle (it starts
	// on apply) got there first: either way the user was in scope and is
	// in the target.
	r := onDemand["test-advisors"]
	if len(onDemand) != 1 || len(r) != 1 || r[0].ObjectID != advisor.ID ||
		!(r[0].Status == "Success" || r[0].Status == "Skipped" && r[0].Code == "RedundantExport") {
		t.Errorf("provision on demand results = %+v, want one Success (or RedundantExport) for %s on test-advisors only", onDemand, advisor.ID)
	}
	var target struct {
		Users []map[string]any `json:"users"`
	}
	admin.call(t, "GET", "/scim/andmoney-test-advisors/_state", nil, &target)
	if len(target.Users) != 1 || target.Users[0]["userName"] != advisor.UserPrincipalName {
		t.Errorf("the test advisors target holds %v, want only %s (provisioned on demand)", target.Users, advisor.UserPrincipalName)
	} else {
		for attr := range target.Users[0] {
			switch attr {
			case "userName", "active", "displayName", "name", "addresses", "externalId", "id", "schemas", "meta":
			default:
				t.Errorf("the advisor was provisioned with %q, which is not in the advisors mapping table: %v", attr, target.Users[0])
			}
		}
	}
	destroyTook, _ := cli.run("destroy", "-auto-approve", "-input=false", "-no-color", "-var-file=test.tfvars.json")
	for _, k := range keys {
		if ids := jobIDs(t, jobs[k].ServicePrincipalID); len(ids) != 0 {
			t.Errorf("%s: jobs left after destroy: %v", k, ids)
		}
	}
	t.Logf("&Money (4 applications, 4 jobs): apply %.1fs, plan %.1fs, destroy %.1fs", applyTook.Seconds(), planTook.Seconds(), destroyTook.Seconds())
}

// checkJobRunning2 asserts the job at address is started in the simulator.
func checkJobRunning2(t *testing.T, address string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		spID, _ := stateAttr(s, address, "service_principal_id")
		jobID, err := stateAttr(s, address, "job_id")
		if err != nil {
			return err
		}
		job, err := findSyncJob(t.Context(), testAccPortal(t), spID, jobID)
		if err != nil {
			return err
		}
		if !job.Running() {
			return fmt.Errorf("%s is not running: schedule %s, status %s", address, job.Schedule.State, job.Status.Code)
		}
		return nil
	}
}

// TestAccExample_resourceDocsValidate runs `terraform validate` on the
// documentation examples of both resources, so the docs never show a
// configuration the provider rejects.
func TestAccExample_resourceDocsValidate(t *testing.T) {
	for _, name := range []string{"entra_provisioning_job", "entra_provisioning_schema"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "examples", "resources", name, "resource.tf"))
			if err != nil {
				t.Fatal(err)
			}
			cli := newTestCLI(t, testAccJobTerraformBlock+string(data))
			cli.run("init", "-input=false", "-no-color")
			cli.run("validate", "-no-color")
		})
	}
}

// TestAccExample_aptyFirstCycleUsesDeclaredMappings proves the create order
// end to end: the job starts only after the schema is saved, so the first
// provisioning cycle already sends only Apty's three attributes for an
// assigned user (with the template's mappings it would also send title,
// e-mails, addresses, ...). It drives the CLI itself because the example
// assigns users with for_each, which terraform-plugin-testing's state
// checks do not support.
func TestAccExample_aptyFirstCycleUsesDeclaredMappings(t *testing.T) {
	admin := newJobSimAdmin(t)
	const target = "apty-first-cycle"
	tenantURL, token := testAccSCIMTarget(target)
	var users struct {
		Value []struct {
			ID                string `json:"id"`
			UserPrincipalName string `json:"userPrincipalName"`
		} `json:"value"`
	}
	if err := testAccPortal(t).Do(t.Context(), "GET", "/users?$top=5", nil, &users); err != nil || len(users.Value) == 0 {
		t.Fatalf("listing seeded users: %v", err)
	}
	user := users.Value[0]
	cli := newTestCLI(t, exampleConfig(t, "apty"))
	vars, _ := json.Marshal(map[string]any{
		"tenant_url": tenantURL, "secret_token": token, "display_name": "acc apty first cycle",
		"assigned_principal_ids": []string{user.ID},
	})
	cli.writeFile("test.tfvars.json", vars)
	cli.run("init", "-input=false", "-no-color")
	cli.run("apply", "-auto-approve", "-input=false", "-no-color", "-var-file=test.tfvars.json")
	t.Cleanup(func() { cli.run("destroy", "-auto-approve", "-input=false", "-no-color", "-var-file=test.tfvars.json") })

	var run map[string]any
	admin.call(t, "POST", "/engine/run?advance=1m", nil, &run)
	var st struct {
		Users []map[string]any `json:"users"`
	}
	admin.call(t, "GET", "/scim/"+target+"/_state", nil, &st)
	for _, u := range st.Users {
		if u["userName"] != user.UserPrincipalName {
			continue
		}
		t.Logf("provisioned by the first cycle: %v", u)
		for k := range u {
			switch k {
			case "userName", "active", "displayName", "id", "schemas", "meta":
			default:
				t.Errorf("the provisioned user carries %q: a template-default mapping ran before the declared ones (%v)", k, u)
			}
		}
		return
	}
	t.Fatalf("user %s was not provisioned (engine %v); the target holds %v", user.UserPrincipalName, run, st.Users)
}
