package graphsim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// faultSpec is the parsed -faults value. Keys (comma separated, key=value):
//
//	throttle=P        probability (0..1) that a Graph request answers 429 TooManyRequests
//	retry-after=D     Retry-After sent with 429 and 503 (Go duration, default 1s; sent as whole seconds)
//	error=P           probability that a Graph request answers a 5xx
//	error-status=N    the 5xx status: 500, 502, 503 (default) or 504
//	latency=D         delay added to every Graph request (not to /_sim or token endpoints)
//	lag=D             replication lag: new applications/service principals answer 404 for D
//	                  (real time; measured on the simulated clock scaled by -speed) and an
//	                  appRoleAssignedTo POST naming a lagging one answers 400 "Not a valid reference update."
//	instantiate404=P  probability that instantiate creates the objects but answers 404
//	only=S            apply throttle and error only to Graph paths containing S (e.g. only=/synchronization)
//
// Throttle and error apply to every Graph request and to each $batch item
// separately, never to the $batch envelope itself (as Graph does).
type faultSpec struct {
	Throttle       float64       `json:"throttle"`
	RetryAfter     time.Duration `json:"-"`
	Error          float64       `json:"error"`
	ErrorStatus    int           `json:"error_status"`
	Latency        time.Duration `json:"-"`
	Lag            time.Duration `json:"-"`
	Instantiate404 float64       `json:"instantiate404"`
	Only           string        `json:"only,omitempty"`
}

func defaultFaultSpec() faultSpec {
	return faultSpec{RetryAfter: time.Second, ErrorStatus: http.StatusServiceUnavailable}
}

// parseFaults parses a fault spec; "" and "none" mean no faults.
func parseFaults(spec string) (faultSpec, error) {
	f := defaultFaultSpec()
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "none" {
		return f, nil
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		if !ok {
			return f, fmt.Errorf("fault %q has no value; write key=value (keys: throttle, retry-after, error, error-status, latency, lag, instantiate404, only)", part)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		var err error
		switch key {
		case "throttle":
			f.Throttle, err = parseProbability(val)
		case "error":
			f.Error, err = parseProbability(val)
		case "instantiate404":
			f.Instantiate404, err = parseProbability(val)
		case "retry-after":
			f.RetryAfter, err = parseNonNegativeDuration(val)
		case "latency":
			f.Latency, err = parseNonNegativeDuration(val)
		case "lag":
			f.Lag, err = parseNonNegativeDuration(val)
		case "error-status":
			f.ErrorStatus, err = strconv.Atoi(val)
			if err == nil && f.ErrorStatus != 500 && f.ErrorStatus != 502 && f.ErrorStatus != 503 && f.ErrorStatus != 504 {
				err = fmt.Errorf("must be 500, 502, 503 or 504")
			}
		case "only":
			f.Only = val
		default:
			return f, fmt.Errorf("unknown fault %q (keys: throttle, retry-after, error, error-status, latency, lag, instantiate404, only)", key)
		}
		if err != nil {
			return f, fmt.Errorf("fault %s=%q: %v", key, val, err)
		}
	}
	return f, nil
}

func parseProbability(v string) (float64, error) {
	p, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(p) || p < 0 || p > 1 {
		return 0, fmt.Errorf("want a probability between 0 and 1")
	}
	return p, nil
}

func parseNonNegativeDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 500ms or 2s")
	}
	return d, nil
}

// String renders the spec in the -faults syntax (only non-default keys).
func (f faultSpec) String() string {
	var parts []string
	if f.Throttle > 0 {
		parts = append(parts, "throttle="+strconv.FormatFloat(f.Throttle, 'g', -1, 64))
	}
	if f.RetryAfter != time.Second {
		parts = append(parts, "retry-after="+f.RetryAfter.String())
	}
	if f.Error > 0 {
		parts = append(parts, "error="+strconv.FormatFloat(f.Error, 'g', -1, 64))
	}
	if f.ErrorStatus != http.StatusServiceUnavailable {
		parts = append(parts, "error-status="+strconv.Itoa(f.ErrorStatus))
	}
	if f.Latency > 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	if f.Lag > 0 {
		parts = append(parts, "lag="+f.Lag.String())
	}
	if f.Instantiate404 > 0 {
		parts = append(parts, "instantiate404="+strconv.FormatFloat(f.Instantiate404, 'g', -1, 64))
	}
	if f.Only != "" {
		parts = append(parts, "only="+f.Only)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ",")
}

// faultInjector holds the current spec and a seeded random source. It has
// its own lock and never takes Sim.mu, so it may be used with Sim.mu held.
type faultInjector struct {
	mu  sync.Mutex
	cur faultSpec
	rng *rand.Rand
}

func newFaultInjector(spec faultSpec, seed uint64) *faultInjector {
	return &faultInjector{cur: spec, rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

func (fi *faultInjector) spec() faultSpec {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.cur
}

func (fi *faultInjector) set(spec faultSpec) {
	fi.mu.Lock()
	fi.cur = spec
	fi.mu.Unlock()
}

// roll returns true with probability p.
func (fi *faultInjector) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.rng.Float64() < p
}

// injectRequestFault answers a Graph request with a throttle or server error
// when the dice say so, and reports whether it did.
func (s *Sim) injectRequestFault(w http.ResponseWriter, r *http.Request) bool {
	f := s.faults.spec()
	if f.Only != "" && !strings.Contains(r.URL.Path, f.Only) {
		return false
	}
	retryAfter := strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds())))
	if s.faults.roll(f.Throttle) {
		s.requests.countFault("throttled")
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("x-ms-throttle-scope", "Tenant_Application/ReadWrite/"+s.tenantID)
		w.Header().Set("x-ms-throttle-information", "ResourceUnitLimitExceeded")
		writeError(w, r, http.StatusTooManyRequests, "TooManyRequests", "Too many requests. Retry after "+retryAfter+" seconds.")
		return true
	}
	if s.faults.roll(f.Error) {
		s.requests.countFault("server_errors")
		switch f.ErrorStatus {
		case http.StatusServiceUnavailable:
			w.Header().Set("Retry-After", retryAfter)
			writeError(w, r, f.ErrorStatus, "ServiceUnavailable", "Service unavailable. The service is temporarily unable to process the request; retry later.")
		case http.StatusGatewayTimeout:
			writeError(w, r, f.ErrorStatus, "GatewayTimeout", "The gateway did not receive a timely response from the upstream service.")
		case http.StatusBadGateway:
			writeError(w, r, f.ErrorStatus, "BadGateway", "The gateway received an invalid response from the upstream service.")
		default:
			writeError(w, r, f.ErrorStatus, "UnknownError", "An internal server error occurred; retry later.")
		}
		return true
	}
	return false
}

// lagging reports whether an object created at the given simulated time is
// still hidden by a replication-lag fault. Lag is a real-time duration, so
// it is scaled by the clock's speed; advancing the clock ends it early.
// Caller holds s.mu (lagging itself only uses the fault injector's lock).
func (s *Sim) lagging(created time.Time) bool {
	lag := s.faults.spec().Lag
	if lag <= 0 || created.IsZero() {
		return false
	}
	simLag := time.Duration(float64(lag) * s.clock.Speed())
	return s.clock.Now().Sub(created) < simLag
}
