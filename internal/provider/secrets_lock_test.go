package provider

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// TestAccSecretsLock_twoWritersKeepEachOthersKeys runs the secrets
// read-modify-write of two resources on one service principal at the same
// time, each owning one key, with a pause between read and write that makes
// an unserialised pair lose an update almost surely. Both keys must hold
// their writer's last value, and no two merges may ever overlap.
func TestAccSecretsLock_twoWritersKeepEachOthersKeys(t *testing.T) {
	spID := instantiateCustomApp(t, "acc secrets lock")
	data := &ProviderData{API: portalAPI(testAccPortal(t)), caches: newProviderCaches(), secretsLocks: &spLocks{}}
	owners := map[string]string{"a": "Domain", "b": "InstanceName"} // unmasked keys, so their values read back
	const rounds = 4
	var inMerge, overlaps atomic.Int32
	var wg sync.WaitGroup
	for writer, key := range owners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				err := data.updateSecrets(t.Context(), spID, false, func(existing []entra.SecretPair) []entra.SecretPair {
					if inMerge.Add(1) > 1 {
						overlaps.Add(1)
					}
					defer inMerge.Add(-1)
					time.Sleep(30 * time.Millisecond) // the other writer runs now, unless it waits for the lock
					out := []entra.SecretPair{}
					for _, p := range existing {
						if p.Key != key {
							out = append(out, p)
						}
					}
					return append(out, entra.SecretPair{Key: key, Value: fmt.Sprintf("%s-%d", writer, i)})
				})
				if err != nil {
					t.Errorf("writer %s, round %d: %v", writer, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := overlaps.Load(); n > 0 {
		t.Errorf("%d merges ran while another merge of the same service principal was in progress", n)
	}
	pairs, err := data.API.FindSecrets(t.Context(), spID)
	if err != nil {
		t.Fatalf("reading the secrets back: %v", err)
	}
	got := secretMap(pairs)
	for writer, key := range owners {
		if want := fmt.Sprintf("%s-%d", writer, rounds-1); got[key] != want {
			t.Errorf("%s = %q after both writers finished, want %q (writer %s's last update was lost)", key, got[key], want, writer)
		}
	}
}
