package provider

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPlanMemoRemembersOnlyPassedChecksWithTheSameInputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "memo")
	key := planMemoKey("https://graph.example/v1.0", "sp-1", "scim", `{"User":{}}`, "<null>")
	other := planMemoKey("https://graph.example/v1.0", "sp-1", "scim", `{"User":{"enabled":false}}`, "<null>")
	if key == other || key != planMemoKey("https://graph.example/v1.0", "sp-1", "scim", `{"User":{}}`, "<null>") {
		t.Fatal("the key must be a deterministic function of every input")
	}
	// Joined inputs must not collide: ("ab","c") and ("a","bc").
	if planMemoKey("ab", "c") == planMemoKey("a", "bc") {
		t.Fatal("keys of differently split inputs collide")
	}

	if planValidatedRecently(dir, key) {
		t.Fatal("nothing was remembered yet")
	}
	rememberPlanValidated(dir, key)
	if !planValidatedRecently(dir, key) {
		t.Fatal("a check that just passed is not remembered")
	}
	if planValidatedRecently(dir, other) {
		t.Fatal("a check with other inputs counts as passed")
	}
}

func TestPlanMemoExpires(t *testing.T) {
	dir := t.TempDir()
	stale, fresh := planMemoKey("stale"), planMemoKey("fresh")
	rememberPlanValidated(dir, stale)
	old := time.Now().Add(-planMemoTTL - time.Minute)
	if err := os.Chtimes(filepath.Join(dir, stale), old, old); err != nil {
		t.Fatal(err)
	}
	if planValidatedRecently(dir, stale) {
		t.Fatalf("a check older than %s still counts as passed", planMemoTTL)
	}
	rememberPlanValidated(dir, fresh)
	if _, err := os.Stat(filepath.Join(dir, stale)); !os.IsNotExist(err) {
		t.Errorf("an expired marker was not cleaned up: %v", err)
	}
	// Remembering again refreshes the time of an existing marker.
	if err := os.Chtimes(filepath.Join(dir, fresh), old, old); err != nil {
		t.Fatal(err)
	}
	rememberPlanValidated(dir, fresh)
	if !planValidatedRecently(dir, fresh) {
		t.Error("re-remembering a check did not renew its marker")
	}
}

func TestPlanMemoWithoutCacheDirRemembersNothing(t *testing.T) {
	rememberPlanValidated("", "k")
	if planValidatedRecently("", "k") {
		t.Fatal("with no cache directory every plan must check online")
	}
}
