package provider

import (
	"context"
	"sync"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Graph's secrets PUT replaces a service principal's whole secret set, so
// every change is a read-modify-write. Two resources of one service
// principal doing that at the same time would each drop the keys the other
// just wrote; updateSecrets holds the principal's lock across the read and
// the write, which rules that out within one provider configuration
// (Terraform applies a configuration's resources in one provider process,
// up to -parallelism at a time).

// spLocks hands out one mutex per service principal.
type spLocks struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

// lock locks spID's mutex and returns its unlock.
func (l *spLocks) lock(spID string) (unlock func()) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*sync.Mutex{}
	}
	mu, ok := l.m[spID]
	if !ok {
		mu = &sync.Mutex{}
		l.m[spID] = mu
	}
	l.mu.Unlock()
	mu.Lock()
	return mu.Unlock
}

// secretsStepError says which half of a read-modify-write failed, so the
// diagnostic names the right action.
type secretsStepError struct {
	write bool
	err   error
}

func (e *secretsStepError) Error() string { return e.err.Error() }
func (e *secretsStepError) Unwrap() error { return e.err }

// updateSecrets reads spID's secrets, lets merge compute the full new set
// from them, and writes it, all under spID's lock. afterCreate retries the
// replication-lag answers of a service principal or job created moments
// ago (never on delete, where a 404 means gone).
func (d *ProviderData) updateSecrets(ctx context.Context, spID string, afterCreate bool, merge func(existing []entra.SecretPair) []entra.SecretPair) error {
	unlock := d.secretsLocks.lock(spID)
	defer unlock()
	call := func(fn func(ctx context.Context) error) error {
		if afterCreate {
			return retryWhileReplicating(ctx, graph.SynchronizationAfterCreate, fn)
		}
		return fn(ctx)
	}
	var existing []entra.SecretPair
	if err := call(func(ctx context.Context) (err error) {
		existing, err = d.API.FindSecrets(ctx, spID)
		return err
	}); err != nil {
		return &secretsStepError{err: err}
	}
	next := merge(existing)
	if err := call(func(ctx context.Context) error { return d.API.PutSecrets(ctx, spID, next) }); err != nil {
		return &secretsStepError{write: true, err: err}
	}
	return nil
}
