package graph

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

var fastWait = WaitOptions{What: "job", PollInterval: time.Millisecond, MaxInterval: 4 * time.Millisecond, Timeout: 2 * time.Second}

// script answers polls from a list of outcomes: true = seen, false = missing.
func script(outcomes ...bool) (func(context.Context) (bool, error), *int) {
	calls := 0
	return func(context.Context) (bool, error) {
		i := min(calls, len(outcomes)-1)
		calls++
		return outcomes[i], nil
	}, &calls
}

func TestWaitUntilVisibleReturnsAtOnceWithoutLag(t *testing.T) {
	find, calls := script(true)
	if err := WaitUntilVisible(context.Background(), find, fastWait); err != nil || *calls != 1 {
		t.Fatalf("err=%v calls=%d, want one poll when the object is visible straight away", err, *calls)
	}
}

func TestWaitUntilVisibleDemandsConsecutiveSightingsAfterLag(t *testing.T) {
	find, calls := script(false, false, true, true, true)
	if err := WaitUntilVisible(context.Background(), find, fastWait); err != nil || *calls != 5 {
		t.Fatalf("err=%v calls=%d, want 2 misses then %d sightings", err, *calls, DefaultConsecutiveSightings)
	}
	// A miss between sightings (a lagging replica) restarts the count.
	find, calls = script(false, true, true, false, true, true, true)
	if err := WaitUntilVisible(context.Background(), find, fastWait); err != nil || *calls != 7 {
		t.Fatalf("err=%v calls=%d, want the count restarted after the flap", err, *calls)
	}
}

func TestWaitUntilVisibleTreats404AsMissing(t *testing.T) {
	calls := 0
	find := func(context.Context) (bool, error) {
		calls++
		if calls == 1 {
			return false, &Error{StatusCode: http.StatusNotFound}
		}
		return true, nil
	}
	if err := WaitUntilVisible(context.Background(), find, fastWait); err != nil || calls != 1+DefaultConsecutiveSightings {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
}

func TestWaitUntilVisibleReturnsOtherErrorsAtOnce(t *testing.T) {
	boom := &Error{StatusCode: http.StatusForbidden, Code: "Authorization_RequestDenied"}
	calls := 0
	err := WaitUntilVisible(context.Background(), func(context.Context) (bool, error) { calls++; return false, boom }, fastWait)
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("err=%v calls=%d, want the 403 after one poll", err, calls)
	}
}

func TestWaitUntilVisibleTimesOut(t *testing.T) {
	find, calls := script(false)
	o := fastWait
	o.Timeout = 60 * time.Millisecond
	start := time.Now()
	err := WaitUntilVisible(context.Background(), find, o)
	if !errors.Is(err, ErrNotVisible) || time.Since(start) > time.Second {
		t.Fatalf("err=%v after %s", err, time.Since(start))
	}
	// Backoff: with 1ms doubling to a 4ms cap, 60ms holds far fewer polls than
	// a fixed 1ms loop would.
	if *calls < 2 || *calls > 40 {
		t.Fatalf("polled %d times in 60ms, want backoff capped at 4ms", *calls)
	}
}

func TestWaitUntilGone(t *testing.T) {
	calls := 0
	find := func(context.Context) (bool, error) {
		calls++
		if calls >= 3 {
			return false, &Error{StatusCode: http.StatusNotFound}
		}
		return true, nil
	}
	if err := WaitUntilGone(context.Background(), find, fastWait); err != nil || calls != 2+DefaultConsecutiveSightings {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
}

func TestRetryOnConsistencyErrorRetriesOnlyTheKindsSymptoms(t *testing.T) {
	nvru := &Error{StatusCode: 400, Code: "Request_BadRequest", Message: "Not a valid reference update."}
	otherBadRequest := &Error{StatusCode: 400, Code: "Request_BadRequest", Message: "Invalid value"}
	cases := []struct {
		kind    ConsistencyKind
		err     error
		retried bool
	}{
		{NotFoundAfterCreate, &Error{StatusCode: 404}, true},
		{NotFoundAfterCreate, &Error{StatusCode: 403}, false},
		{SynchronizationAfterCreate, &Error{StatusCode: 403}, true},
		{SynchronizationAfterCreate, &Error{StatusCode: 409}, true},
		{SynchronizationAfterCreate, &Error{StatusCode: 404}, true},
		{SynchronizationAfterCreate, &Error{StatusCode: 500}, false},
		{AssignmentWrite, nvru, true},
		{AssignmentWrite, &Error{StatusCode: 404}, true},
		{AssignmentWrite, otherBadRequest, false},
	}
	for _, tc := range cases {
		calls := 0
		err := RetryOnConsistencyError(context.Background(), tc.kind, func(context.Context) error {
			calls++
			if calls == 1 {
				return tc.err
			}
			return nil
		})
		if tc.retried && (err != nil || calls != 2) {
			t.Errorf("%s/%v: err=%v calls=%d, want a retry that succeeds", tc.kind, tc.err, err, calls)
		}
		if !tc.retried && (!errors.Is(err, tc.err) || calls != 1) {
			t.Errorf("%s/%v: err=%v calls=%d, want the error returned at once", tc.kind, tc.err, err, calls)
		}
	}
}

func TestRetryOnConsistencyErrorStopsAtDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	lag := &Error{StatusCode: 409, Code: "Conflict"}
	calls := 0
	err := RetryOnConsistencyError(ctx, SynchronizationAfterCreate, func(context.Context) error { calls++; return lag })
	if !errors.Is(err, lag) || calls < 2 {
		t.Fatalf("err=%v calls=%d, want the last 409 after a few tries", err, calls)
	}
}

func TestConsistencyWindows(t *testing.T) {
	cases := []struct {
		kind ConsistencyKind
		err  error
		want time.Duration
	}{
		{NotFoundAfterCreate, &Error{StatusCode: 404}, ConsistencyTimeoutNotFoundAfterCreate},
		// A persisting 403 is most likely a missing permission: give up sooner.
		{SynchronizationAfterCreate, &Error{StatusCode: 403}, ConsistencyTimeoutSynchronizationForbidden},
		{SynchronizationAfterCreate, &Error{StatusCode: 409}, ConsistencyTimeoutSynchronizationWrite},
		{SynchronizationAfterCreate, &Error{StatusCode: 404}, ConsistencyTimeoutNotFoundAfterCreate},
		{AssignmentWrite, &Error{StatusCode: 400}, ConsistencyTimeoutAssignment},
	}
	for _, tc := range cases {
		if got := tc.kind.window(tc.err); got != tc.want {
			t.Errorf("%s/%d: window %s, want %s", tc.kind, StatusCode(tc.err), got, tc.want)
		}
	}
	if ConsistencyTimeoutSynchronizationForbidden >= ConsistencyTimeoutSynchronizationWrite {
		t.Error("the 403 window must be the shorter one")
	}
}
