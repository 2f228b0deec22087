package poller

import (
	"context"
	"sync"
	"time"
)

// windowLimiter allows at most n calls in any sliding window of length per.
// Graph's reporting APIs (including /auditLogs/provisioning) allow 5 requests
// per 10 seconds per app and tenant; a token bucket would allow bursts of
// twice that across a window boundary, so the exporter keeps exact times.
type windowLimiter struct {
	mu    sync.Mutex
	n     int
	per   time.Duration
	times []time.Time // start times of the last n calls, oldest first
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

func newWindowLimiter(n int, per time.Duration) *windowLimiter {
	return &windowLimiter{n: n, per: per, now: time.Now, sleep: sleepCtx}
}

// Wait blocks until a call is allowed or ctx ends.
func (l *windowLimiter) Wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := l.now()
		if len(l.times) < l.n {
			l.times = append(l.times, now)
			l.mu.Unlock()
			return nil
		}
		wait := l.times[0].Add(l.per).Sub(now)
		if wait <= 0 {
			l.times = append(l.times[1:], now)
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := l.sleep(ctx, wait); err != nil {
			return err
		}
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
