package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Terraform plans every resource twice: in `terraform plan` and again,
// in a new provider process, when `terraform apply` runs the saved plan.
// For a job that does not exist yet, ModifyPlan's online mapping check reads
// the synchronization template's schema; repeating it at apply time costs
// Graph requests and can only give the same answer, because a template's
// schema is fixed by its application. The apply-time plan carries nothing
// from the first one (no private state for a resource being created), so
// the fact "these inputs were checked and passed" is kept in a small marker
// file in the user's cache directory. The marker holds no data: its name is
// a hash of the inputs and its age is its only content.
//
// Only checks of jobs still to be created that found nothing to report (no
// error, no warning) are remembered, so skipping one changes no output.
// Checks against an existing job's schema (which an admin can change in the
// portal) always run, and Create checks the mappings against the new job's
// own schema again before saving them, so skipping the repeat never lets an
// invalid mapping through.

// planMemoTTL bounds how long a passed check is trusted: a plan applied
// later than this is checked again.
const planMemoTTL = 30 * time.Minute

// planMemoDir returns the marker directory, or "" when the user has no
// cache directory (then nothing is remembered and every plan checks online).
func planMemoDir() string {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		return ""
	}
	return filepath.Join(base, "terraform-provider-entra", "validated-plans")
}

// planMemoKey names a check by everything its outcome depends on.
func planMemoKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// planValidatedRecently reports whether the check named key passed less
// than planMemoTTL ago.
func planValidatedRecently(dir, key string) bool {
	if dir == "" {
		return false
	}
	info, err := os.Stat(filepath.Join(dir, key))
	return err == nil && time.Since(info.ModTime()) < planMemoTTL
}

// rememberPlanValidated records that the check named key passed, and
// removes markers that have expired. Failures only cost a repeated check.
func rememberPlanValidated(dir, key string) {
	if dir == "" || os.MkdirAll(dir, 0o700) != nil {
		return
	}
	marker := filepath.Join(dir, key)
	if os.WriteFile(marker, nil, 0o600) == nil {
		now := time.Now()
		_ = os.Chtimes(marker, now, now) // a rewritten empty file may keep its old time
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !strings.HasPrefix(e.Name(), ".") && time.Since(info.ModTime()) >= planMemoTTL {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
