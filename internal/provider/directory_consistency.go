package provider

import (
	"context"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Entra replicates directory objects asynchronously: an application or
// assignment created a moment ago may answer 404 on the next replica, and an
// assignment POST against a just-created principal may answer 400 "Not a
// valid reference update". These adapters apply the graph layer's adaptive
// helpers (named timeouts, fast polls while Graph is fast, back-off only
// while lag is observed) to the closures the resources use.

// retryNotFoundAfterCreate retries fn while it answers 404 for an object this
// run just created (graph.ConsistencyTimeoutNotFoundAfterCreate).
func retryNotFoundAfterCreate(ctx context.Context, fn func() error) error {
	return graph.RetryOnConsistencyError(ctx, graph.NotFoundAfterCreate, func(context.Context) error { return fn() })
}

// retryAssignmentWrite retries an appRoleAssignedTo write while the principal
// or resource replicates (graph.ConsistencyTimeoutAssignment).
func retryAssignmentWrite(ctx context.Context, fn func() error) error {
	return graph.RetryOnConsistencyError(ctx, graph.AssignmentWrite, func(context.Context) error { return fn() })
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
