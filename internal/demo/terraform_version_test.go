package demo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTerraform writes an executable that prints output for `version -json`.
func fakeTerraform(t *testing.T, output string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "terraform")
	script := "#!/bin/sh\ncat <<'JSON'\n" + output + "\nJSON\n"
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckTerraformVersion(t *testing.T) {
	ctx := context.Background()
	for _, ok := range []string{"1.11.0", "1.11.4", "1.12.0-beta1", "2.0.0"} {
		if err := checkTerraformVersion(ctx, fakeTerraform(t, `{"terraform_version":"`+ok+`"}`)); err != nil {
			t.Errorf("%s rejected: %v", ok, err)
		}
	}
	err := checkTerraformVersion(ctx, fakeTerraform(t, `{"terraform_version":"1.10.5"}`))
	if err == nil || !strings.Contains(err.Error(), "1.10.5 is too old") || !strings.Contains(err.Error(), "Terraform 1.11 or newer") {
		t.Errorf("1.10.5: %v", err)
	}
	for _, bad := range []string{`{"terraform_version":"one.two"}`, `{}`, `not json`} {
		if err := checkTerraformVersion(ctx, fakeTerraform(t, bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
