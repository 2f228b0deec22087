package graph

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Eventual consistency. Entra replicates directory writes across data
// centres; for a few seconds (sometimes a minute) after a create, other
// replicas answer as if the object did not exist. These helpers absorb that
// lag, and only that: every other error is returned at once.
const (
	// DefaultVisibilityTimeout bounds WaitUntilVisible / WaitUntilGone.
	DefaultVisibilityTimeout = 5 * time.Minute
	// DefaultVisibilityPollInterval is the fast poll used while things look
	// fine and to confirm sightings after lag.
	DefaultVisibilityPollInterval = 200 * time.Millisecond
	// DefaultVisibilityMaxInterval caps the backoff (×1.5 per miss) while an
	// object stays invisible: at most this much wait is wasted after the lag
	// ends, for at most one request per interval while it lasts.
	DefaultVisibilityMaxInterval = 2 * time.Second
	// DefaultConsecutiveSightings is how many sightings in a row count as
	// "replicated" once lag was observed: one replica answering is not proof
	// that the next request (maybe served by another) will see it.
	DefaultConsecutiveSightings = 3

	// ConsistencyTimeoutNotFoundAfterCreate bounds retrying 404s on an object
	// this run just created.
	ConsistencyTimeoutNotFoundAfterCreate = 3 * time.Minute
	// ConsistencyTimeoutSynchronizationWrite bounds retrying 409 on
	// synchronization writes.
	ConsistencyTimeoutSynchronizationWrite = 90 * time.Second
	// ConsistencyTimeoutSynchronizationForbidden bounds retrying 403 on
	// synchronization writes. Kept short: replication lag is usually a few
	// seconds, while a 403 that persists is a real missing permission, and
	// the user should hear about it (with the permission hint) soon.
	ConsistencyTimeoutSynchronizationForbidden = 30 * time.Second
	// ConsistencyTimeoutAssignment bounds retrying app role assignment writes
	// while the principal or resource replicates.
	ConsistencyTimeoutAssignment = 3 * time.Minute

	consistencyRetryBase = 250 * time.Millisecond
	consistencyRetryMax  = 5 * time.Second
)

// WaitOptions tune WaitUntilVisible; zero fields take the Default* constants.
type WaitOptions struct {
	What         string // for the timeout error, e.g. "synchronization job scim.abc"
	Timeout      time.Duration
	PollInterval time.Duration
	MaxInterval  time.Duration
	Consecutive  int
}

func (o WaitOptions) withDefaults() WaitOptions {
	if o.Timeout <= 0 {
		o.Timeout = DefaultVisibilityTimeout
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultVisibilityPollInterval
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = DefaultVisibilityMaxInterval
	}
	if o.Consecutive <= 0 {
		o.Consecutive = DefaultConsecutiveSightings
	}
	if o.What == "" {
		o.What = "the object"
	}
	return o
}

// ErrNotVisible is wrapped by the timeout errors of WaitUntilVisible/Gone.
var ErrNotVisible = errors.New("not consistent in time")

// WaitUntilVisible polls find until the object is reliably visible. It is
// adaptive so that a fast Graph costs one request and a lagging one still
// converges:
//   - the first poll is immediate; if it sees the object, it returns (no lag
//     observed, so one sighting is enough);
//   - once the object was seen missing, it backs off ×1.5 per miss from
//     PollInterval to MaxInterval, and after the first sighting requires
//     Consecutive sightings in a row polled PollInterval apart; a miss in
//     between restarts the count.
//
// find reports (true, nil) when it sees the object and (false, nil) when not;
// a 404 error from find counts as not seen. Other errors end the wait.
func WaitUntilVisible(ctx context.Context, find func(ctx context.Context) (bool, error), opts WaitOptions) error {
	return waitFor(ctx, find, opts.withDefaults(), "visible")
}

// WaitUntilGone is WaitUntilVisible for deletes: it waits until find
// reliably reports the object absent (deleted objects linger on replicas).
func WaitUntilGone(ctx context.Context, find func(ctx context.Context) (bool, error), opts WaitOptions) error {
	gone := func(ctx context.Context) (bool, error) {
		found, err := find(ctx)
		if IsNotFound(err) {
			return true, nil
		}
		return !found, err
	}
	return waitFor(ctx, gone, opts.withDefaults(), "gone")
}

func waitFor(ctx context.Context, cond func(ctx context.Context) (bool, error), o WaitOptions, state string) error {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	lag := false // a miss was observed: demand consecutive sightings
	sightings := 0
	misses := 0
	for {
		ok, err := cond(ctx)
		if err != nil && IsNotFound(err) {
			ok, err = false, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return waitTimeout(o, state, lag, sightings, err)
			}
			return err
		}
		var wait time.Duration
		if ok {
			sightings++
			if !lag || sightings >= o.Consecutive {
				return nil
			}
			wait = o.PollInterval
		} else {
			lag = true
			sightings = 0
			misses++
			wait = o.PollInterval
			for range min(misses-1, 32) {
				wait = wait * 3 / 2 // gentle growth: lag usually ends within seconds
			}
			wait = min(wait, o.MaxInterval)
		}
		if err := sleepContext(ctx, wait); err != nil {
			return waitTimeout(o, state, lag, sightings, err)
		}
	}
}

func waitTimeout(o WaitOptions, state string, lag bool, sightings int, cause error) error {
	return fmt.Errorf("graph: %s was not reliably %s after %s (%d of %d consecutive sightings; replication lag observed: %t): %w: %w; "+
		"Entra may be slow to replicate, retry the operation", o.What, state, o.Timeout, sightings, o.Consecutive, lag, ErrNotVisible, cause)
}

// ConsistencyKind selects which errors RetryOnConsistencyError treats as
// replication lag.
type ConsistencyKind int

const (
	// NotFoundAfterCreate retries 404: reading (or acting on) an object this
	// run just created can hit a replica that has not seen it yet, and
	// applicationTemplates/instantiate itself can answer 404 although it
	// created the objects (the AzureAD provider works around the same).
	NotFoundAfterCreate ConsistencyKind = iota
	// SynchronizationAfterCreate retries 404, 403 and 409 on
	// synchronization calls (list templates, create job, secrets, schema,
	// start, validateCredentials) made shortly after the service principal
	// or the job was created: the object may not have reached the replica
	// that answers (404), and the synchronization service authorises against
	// a replica that may not know the new principal yet (403, 409). Each
	// symptom has its own window, all measured from the first call, so they
	// never add up.
	SynchronizationAfterCreate
	// AssignmentWrite retries 400 "Not a valid reference update" and 404 on
	// appRoleAssignedTo: the principal or resource is not yet replicated to
	// the replica that handles the write (AzureAD provider behaviour).
	AssignmentWrite
)

func (k ConsistencyKind) String() string {
	switch k {
	case NotFoundAfterCreate:
		return "not-found-after-create"
	case SynchronizationAfterCreate:
		return "synchronization-after-create"
	case AssignmentWrite:
		return "assignment-write"
	}
	return fmt.Sprintf("ConsistencyKind(%d)", int(k))
}

// window is how long, from the first call, errors like err are retried.
func (k ConsistencyKind) window(err error) time.Duration {
	switch k {
	case SynchronizationAfterCreate:
		switch {
		case IsForbidden(err):
			return ConsistencyTimeoutSynchronizationForbidden
		case IsConflict(err):
			return ConsistencyTimeoutSynchronizationWrite
		}
	case AssignmentWrite:
		return ConsistencyTimeoutAssignment
	}
	return ConsistencyTimeoutNotFoundAfterCreate
}

// IsConsistencyError reports whether err is the replication-lag symptom of
// kind.
func IsConsistencyError(kind ConsistencyKind, err error) bool {
	switch kind {
	case NotFoundAfterCreate:
		return IsNotFound(err)
	case SynchronizationAfterCreate:
		return IsNotFound(err) || IsForbidden(err) || IsConflict(err)
	case AssignmentWrite:
		return IsNotFound(err) ||
			(StatusCode(err) == http.StatusBadRequest && strings.Contains(strings.ToLower(ErrorMessage(err)+" "+errText(err)), "not a valid reference update"))
	}
	return false
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// RetryOnConsistencyError calls fn until it succeeds, fails with an error
// that is not kind's replication-lag symptom, or kind's named timeout (or
// ctx) runs out; then it returns fn's last error. Waits back off
// exponentially from 250 ms to 5 s with jitter.
func RetryOnConsistencyError(ctx context.Context, kind ConsistencyKind, fn func(ctx context.Context) error) error {
	start := time.Now()
	for attempt := 0; ; attempt++ {
		err := fn(ctx)
		if err == nil || !IsConsistencyError(kind, err) {
			return err
		}
		window := kind.window(err)
		deadline := start.Add(window)
		if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
			deadline = d
		}
		wait := min(consistencyRetryBase<<min(attempt, 16), consistencyRetryMax)
		wait = wait/2 + rand.N(wait/2+1)
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("still failing after retrying for replication lag (%s, up to %s): %w", kind, window, err)
		}
		if serr := sleepContext(ctx, wait); serr != nil {
			return err
		}
	}
}
