package graphsim

import (
	"container/heap"
	"context"
	"net/http"
	"sync"
	"time"
)

// The provisioning engine runs cycles for active jobs on the simulated clock.
// It is deliberately cheap: one min-heap of jobs ordered by their next run
// (guarded by Sim.mu), one loop goroutine that sleeps until the earliest due
// time, and at most engineWorkers cycles in flight. A job costs a heap slot
// and its watermark map, never a goroutine or a timer.

// engineWorkers bounds concurrent cycles (the machine may have 2 cores).
const engineWorkers = 4

// enginePollInterval bounds how long the loop sleeps, so that clock
// advances through the admin API are noticed promptly.
const enginePollInterval = 200 * time.Millisecond

type engine struct {
	queue     jobHeap
	wake      chan struct{}
	cyclesRun int64
	failures  int64
	// inFlight counts running cycles; idle (on Sim.mu) is signalled when it
	// drops to zero, so callers can wait for quiescence.
	inFlight int
	idle     *sync.Cond
}

func newEngine(mu *sync.Mutex) *engine {
	return &engine{wake: make(chan struct{}, 1), idle: sync.NewCond(mu)}
}

// waitIdle blocks until no cycle is running. Caller holds s.mu.
func (e *engine) waitIdle() {
	for e.inFlight > 0 {
		e.idle.Wait()
	}
}

// schedule queues j to run at t (or moves it). Caller holds s.mu.
func (e *engine) schedule(j *syncJob, t time.Time) {
	j.nextRun = t
	if j.heapIndex >= 0 {
		heap.Fix(&e.queue, j.heapIndex)
		return
	}
	heap.Push(&e.queue, j)
}

// unschedule removes j from the queue. Caller holds s.mu.
func (e *engine) unschedule(j *syncJob) {
	if j.heapIndex >= 0 {
		heap.Remove(&e.queue, j.heapIndex)
	}
}

// kick wakes the loop (after start/restart) without blocking.
func (e *engine) kick() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// jobHeap orders jobs by nextRun.
type jobHeap []*syncJob

func (h jobHeap) Len() int           { return len(h) }
func (h jobHeap) Less(i, j int) bool { return h[i].nextRun.Before(h[j].nextRun) }
func (h jobHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIndex = i
	h[j].heapIndex = j
}
func (h *jobHeap) Push(x any) {
	j := x.(*syncJob)
	j.heapIndex = len(*h)
	*h = append(*h, j)
}
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	j.heapIndex = -1
	return j
}

// engineLoop runs due cycles until ctx is done.
func (s *Sim) engineLoop(ctx context.Context) {
	s.mu.Lock()
	s.initSyncState()
	e := s.sync.engine
	s.mu.Unlock()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		s.runDueCycles(ctx)
		timer.Reset(s.engineWait())
		select {
		case <-ctx.Done():
			s.mu.Lock()
			e.waitIdle()
			s.mu.Unlock()
			return
		case <-e.wake:
		case <-timer.C:
		}
	}
}

// engineWait is the real time until the earliest job is due, capped by
// enginePollInterval.
func (s *Sim) engineWait() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.sync.engine.queue
	if len(q) == 0 {
		return enginePollInterval
	}
	d := s.clock.RealDuration(q[0].nextRun.Sub(s.clock.Now()))
	return max(min(d, enginePollInterval), time.Millisecond)
}

// runDueCycles runs every cycle that is due now and waits for them; it
// returns how many ran. The loop calls it, and so does POST /_sim/engine/run
// (and tests, after advancing the clock) for deterministic progress.
func (s *Sim) runDueCycles(ctx context.Context) int {
	s.mu.Lock()
	s.initSyncState()
	e := s.sync.engine
	now := s.clock.Now()
	var due []*syncJob
	for len(e.queue) > 0 && !e.queue[0].nextRun.After(now) {
		j := heap.Pop(&e.queue).(*syncJob)
		if j.running {
			j.rerun = true
			continue
		}
		j.running = true
		due = append(due, j)
	}
	e.inFlight += len(due)
	s.mu.Unlock()

	sem := make(chan struct{}, engineWorkers)
	var wg sync.WaitGroup
	for _, j := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() {
				<-sem
				s.mu.Lock()
				if e.inFlight--; e.inFlight == 0 {
					e.idle.Broadcast()
				}
				s.mu.Unlock()
				wg.Done()
			}()
			s.runCycle(ctx, j)
		}()
	}
	wg.Wait()
	return len(due)
}

// handleAdminEngineRun runs all due cycles now and reports how many ran:
// POST /_sim/engine/run (optionally ?advance=40m to move the clock first).
func (s *Sim) handleAdminEngineRun(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.initSyncState()
	e := s.sync.engine
	before := e.cyclesRun
	s.mu.Unlock()
	if v := r.URL.Query().Get("advance"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			writeError(w, r, http.StatusBadRequest, "BadRequest", "advance must be a non-negative Go duration such as 40m or 24h.")
			return
		}
		s.clock.Advance(d)
	}
	s.runDueCycles(r.Context())
	// Cycles the background loop started are awaited (and counted) too, so
	// the caller sees a quiescent engine whoever ran the due cycles.
	s.mu.Lock()
	e.waitIdle()
	n := e.cyclesRun - before
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"cyclesRun": n, "now": formatTime(s.clock.Now())})
}

// handleAdminEngineState reports engine totals: GET /_sim/engine.
func (s *Sim) handleAdminEngineState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initSyncState()
	e := s.sync.engine
	next := ""
	if len(e.queue) > 0 {
		next = formatTime(e.queue[0].nextRun)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"scheduledJobs":              len(e.queue),
		"cyclesRun":                  e.cyclesRun,
		"failedCycles":               e.failures,
		"nextRun":                    next,
		"now":                        formatTime(s.clock.Now()),
		"provisioningEvents":         s.sync.logs.len(),
		"provisioningEventsCapacity": s.sync.logs.capacity(),
	})
}
