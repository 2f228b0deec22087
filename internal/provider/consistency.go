package provider

import (
	"context"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Entra replicates directory objects asynchronously: an object created a
// moment ago may look missing (404) or unauthorised (403/409) on the next
// replica. Resources absorb that lag only where they just created
// something, and only through these helpers.

// retryWhileReplicating retries fn while it fails with kind's
// replication-lag symptom, within kind's window (graph's named timeouts),
// shortened by ctx's deadline, which comes from the resource's timeouts
// block. Any other error returns at once. Never use it where a 404 means
// "gone" (refresh, delete).
func retryWhileReplicating(ctx context.Context, kind graph.ConsistencyKind, fn func(ctx context.Context) error) error {
	return graph.RetryOnConsistencyError(ctx, kind, fn)
}

// waitVisible waits until get succeeds reliably; get's 404 means "not yet".
func waitVisible(ctx context.Context, what string, get func() error) error {
	return graph.WaitUntilVisible(ctx, func(context.Context) (bool, error) {
		err := get()
		return err == nil, err
	}, graph.WaitOptions{What: what})
}

// waitGone waits until get answers 404 reliably.
func waitGone(ctx context.Context, what string, get func() error) error {
	return graph.WaitUntilGone(ctx, func(context.Context) (bool, error) {
		err := get()
		return err == nil, err
	}, graph.WaitOptions{What: what})
}
