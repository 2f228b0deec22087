package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// Default operation timeouts. They bound everything an operation waits for:
// throttling retries, replication-lag retries and visibility waits, whose
// own windows (graph's named timeouts, a few minutes each) are shortened to
// fit. They are generous because replication lag in a large tenant can take
// minutes; a user who prefers to fail fast sets a timeouts block.
const (
	defaultJobTimeout         = 20 * time.Minute
	defaultApplicationTimeout = 20 * time.Minute
)

// timeoutsBlock is the `timeouts` block of a resource with create, update
// and delete timeouts.
func timeoutsBlock(ctx context.Context, what string, def time.Duration) schema.Block {
	desc := func(op string) string {
		return fmt.Sprintf("How long to wait for %s to be %s (a Go duration such as `30s`, `10m`, `1h`); default `%s`.", what, op, strings.TrimSuffix(def.String(), "0s"))
	}
	b := timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true,
		CreateDescription: desc("created"), UpdateDescription: desc("updated"), DeleteDescription: desc("deleted")})
	if nb, ok := b.(schema.SingleNestedBlock); ok {
		nb.MarkdownDescription = "Operation timeouts. Waits for Entra's replication and retries of throttled requests end when the operation's timeout does."
		return nb
	}
	return b
}

// withTimeout bounds ctx by the configured timeout (or def) of one operation.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, got := get(ctx, def)
	diags.Append(got...)
	return context.WithTimeout(ctx, d)
}
