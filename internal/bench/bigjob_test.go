package bench

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBigJobNamesAreTheTemplates keeps the generated configuration honest:
// 60 distinct targets that exist in the scim template (or are added through
// target_attributes), sources of the template's source User object, and
// operators of the simulator's filterOperators list.
func TestBigJobNamesAreTheTemplates(t *testing.T) {
	var schema struct {
		Directories []struct {
			Name    string `json:"name"`
			Objects []struct {
				Name       string `json:"name"`
				Attributes []struct {
					Name string `json:"name"`
				} `json:"attributes"`
			} `json:"objects"`
		} `json:"directories"`
	}
	readJSON(t, "../graphsim/data/scim-template-schema.json", &schema)
	attrs := map[string]map[string]bool{}
	for _, d := range schema.Directories {
		for _, o := range d.Objects {
			attrs[o.Name] = map[string]bool{}
			for _, a := range o.Attributes {
				attrs[o.Name][a.Name] = true
			}
		}
	}
	targets, sources := attrs[enterpriseUserObject], attrs["User"]
	if len(targets) == 0 || len(sources) == 0 {
		t.Fatalf("template lacks the enterprise User or the source User object: %v", attrs)
	}
	ms, added := bigJobMappings()
	if len(ms) != bigJobMappingCount {
		t.Fatalf("%d mappings, want %d", len(ms), bigJobMappingCount)
	}
	isAdded := map[string]bool{}
	for _, a := range added {
		isAdded[a] = true
	}
	seen := map[string]bool{}
	ref := regexp.MustCompile(`\[([A-Za-z0-9.]+)\]`)
	expressions := 0
	for _, m := range ms {
		if seen[m.target] {
			t.Errorf("target %q mapped twice", m.target)
		}
		seen[m.target] = true
		if !targets[m.target] && !isAdded[m.target] {
			t.Errorf("target %q is neither in the template's %s nor added", m.target, enterpriseUserObject)
		}
		if m.target == "title" {
			continue // source is var.title_source: jobTitle, then bigJobChangedSource
		}
		refs := []string{m.source}
		if m.expression != "" {
			expressions++
			refs = nil
			for _, r := range ref.FindAllStringSubmatch(m.expression, -1) {
				refs = append(refs, r[1])
			}
		}
		for _, r := range refs {
			if !sources[r] {
				t.Errorf("mapping %q reads %q, not an attribute of the source User", m.target, r)
			}
		}
	}
	if !sources["jobTitle"] || !sources[bigJobChangedSource] {
		t.Errorf("title's sources jobTitle / %s are not source attributes", bigJobChangedSource)
	}
	if expressions < 5 {
		t.Errorf("only %d expression mappings; the plan should validate a realistic mix", expressions)
	}

	var ops struct {
		Value []struct {
			Name  string `json:"name"`
			Arity string `json:"arity"`
		} `json:"value"`
	}
	readJSON(t, "../graphsim/data/filter-operators.json", &ops)
	arity := map[string]string{}
	for _, o := range ops.Value {
		arity[o.Name] = o.Arity
	}
	if len(bigJobScoping) != bigJobScopingGroups {
		t.Errorf("%d scoping groups, want %d", len(bigJobScoping), bigJobScopingGroups)
	}
	for i, g := range bigJobScoping {
		if len(g) < 2 || len(g) > 3 {
			t.Errorf("scoping group %d has %d clauses, want 2–3", i, len(g))
		}
		for _, c := range g {
			a, ok := arity[c.operator]
			switch {
			case !ok:
				t.Errorf("scoping group %d: operator %q is not a filter operator", i, c.operator)
			case (a == "Unary") != (len(c.values) == 0):
				t.Errorf("scoping group %d: %s operator %q with %d values", i, a, c.operator, len(c.values))
			}
			if !sources[c.attribute] {
				t.Errorf("scoping group %d: %q is not a source User attribute", i, c.attribute)
			}
		}
	}

	hcl := bigJobHCL()
	for _, want := range []string{`= { source = var.title_source }`, `= { source = "userPrincipalName", matching_priority = 1 }`,
		`values = ["^.*@example\\.com$"]`, `"` + added[0] + `" = { type = "String" }`} {
		if !strings.Contains(hcl, want) {
			t.Errorf("generated configuration lacks %s", want)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestBigJobHCLIsValidTerraform runs `terraform fmt -check` on the
// generated configuration: it must parse and already be canonical.
func TestBigJobHCLIsValidTerraform(t *testing.T) {
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Skip("terraform CLI not on PATH")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(bigJobHCL()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(context.Background(), "terraform", "fmt", "-check", "-diff", dir)
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+os.DevNull)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("terraform fmt -check: %v\n%s", err, out)
	}
}
