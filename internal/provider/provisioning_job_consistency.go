package provider

import (
	"context"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// retrySyncConsistency runs a synchronization call made right after the
// service principal or job was created. Entra replicates asynchronously, so
// such calls can answer 404 (object not visible yet) or 403/409 (the
// synchronization service authorises against a replica that does not know
// the principal yet). Only those answers are retried, each within the graph
// layer's named timeout; anything else fails at once. A fast Graph costs no
// waiting at all.
//
// Never use it for refresh or delete, where a 404 means "gone".
func retrySyncConsistency(ctx context.Context, fn func() error) error {
	return graph.RetryOnConsistencyError(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) error {
		return graph.RetryOnConsistencyError(ctx, graph.SynchronizationWrite, func(context.Context) error {
			return fn()
		})
	})
}
