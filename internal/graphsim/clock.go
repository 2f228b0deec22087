package graphsim

import (
	"sync"
	"time"
)

// Clock is the simulator's notion of time. Simulated time runs `speed` times
// faster than real time and can be pushed forward through the admin API, so a
// 40-minute provisioning interval can pass in seconds.
type Clock struct {
	mu        sync.Mutex
	realStart time.Time
	simStart  time.Time
	speed     float64
	offset    time.Duration // added by Advance
}

// NewClock starts simulated time at the current real time.
func NewClock(speed float64) *Clock {
	if speed <= 0 {
		speed = 1
	}
	now := time.Now().UTC()
	return &Clock{realStart: now, simStart: now, speed: speed}
}

// Now returns the current simulated time (UTC).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	elapsed := time.Since(c.realStart)
	return c.simStart.Add(time.Duration(float64(elapsed)*c.speed) + c.offset).UTC()
}

// Advance moves simulated time forward by d.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// Speed is the number of simulated seconds per real second.
func (c *Clock) Speed() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.speed
}

// RealDuration converts a simulated duration into the real time it takes at
// the current speed (used to schedule engine wake-ups).
func (c *Clock) RealDuration(sim time.Duration) time.Duration {
	return time.Duration(float64(sim) / c.Speed())
}
