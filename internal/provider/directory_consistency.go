package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// Entra replicates directory objects asynchronously: an application or
// assignment created a moment ago may answer 404 on the next replica, and an
// assignment POST against a just-created principal may answer 400 "Not a
// valid reference update". These helpers retry only those answers, poll
// fast while Graph is fast and back off only while lag is observed.
const (
	// directoryConsistencyTimeout bounds every wait for replication.
	directoryConsistencyTimeout = 3 * time.Minute
	directoryFirstDelay         = 200 * time.Millisecond
	directoryMaxDelay           = 5 * time.Second
	// directoryVisibleSightings is how many consecutive successful reads
	// count as "replicated": one replica answering is not enough, since the
	// next request may land on another.
	directoryVisibleSightings = 3
	// directorySightingInterval separates sightings once the object is seen.
	directorySightingInterval = 100 * time.Millisecond
)

// isNotValidReference reports the 400 Graph answers while an assignment's
// principal or resource has not replicated yet.
func isNotValidReference(err error) bool {
	return graph.IsBadRequest(err) && strings.Contains(strings.ToLower(graph.ErrorMessage(err)), "not a valid reference update")
}

// retryDirectoryLag runs fn until it succeeds, fails with an error isLag does
// not accept, or directoryConsistencyTimeout passes.
func retryDirectoryLag(ctx context.Context, isLag func(error) bool, fn func() error) error {
	deadline := time.Now().Add(directoryConsistencyTimeout)
	delay := directoryFirstDelay
	for {
		err := fn()
		if err == nil || !isLag(err) {
			return err
		}
		if time.Now().Add(delay).After(deadline) {
			return fmt.Errorf("still failing after waiting %s for Entra replication: %w", directoryConsistencyTimeout, err)
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return err
		}
		delay = min(delay*2, directoryMaxDelay)
	}
}

// waitDirectoryVisible polls get until it succeeds directoryVisibleSightings
// times in a row. A 404 resets the count and backs off; any other error ends
// the wait.
func waitDirectoryVisible(ctx context.Context, what string, get func() error) error {
	deadline := time.Now().Add(directoryConsistencyTimeout)
	delay := directoryFirstDelay
	seen := 0
	for seen < directoryVisibleSightings {
		err := get()
		switch {
		case err == nil:
			seen++
			if seen == directoryVisibleSightings {
				return nil
			}
			delay = directoryFirstDelay
			if err := sleepCtx(ctx, directorySightingInterval); err != nil {
				return err
			}
			continue
		case !graph.IsNotFound(err):
			return err
		}
		seen = 0
		if time.Now().Add(delay).After(deadline) {
			return fmt.Errorf("%s did not become visible within %s: %w", what, directoryConsistencyTimeout, err)
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return err
		}
		delay = min(delay*2, directoryMaxDelay)
	}
	return nil
}

// waitDirectoryGone polls get until it answers 404 directoryVisibleSightings
// times in a row, so a destroy is complete before Terraform moves on.
func waitDirectoryGone(ctx context.Context, what string, get func() error) error {
	deadline := time.Now().Add(directoryConsistencyTimeout)
	delay := directoryFirstDelay
	gone := 0
	for {
		err := get()
		switch {
		case graph.IsNotFound(err):
			gone++
			if gone == directoryVisibleSightings {
				return nil
			}
			if err := sleepCtx(ctx, directorySightingInterval); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		gone = 0
		if time.Now().Add(delay).After(deadline) {
			return fmt.Errorf("%s was still visible %s after deletion", what, directoryConsistencyTimeout)
		}
		if err := sleepCtx(ctx, delay); err != nil {
			return err
		}
		delay = min(delay*2, directoryMaxDelay)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
