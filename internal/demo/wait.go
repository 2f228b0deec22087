package demo

import (
	"context"
	"fmt"
	"time"
)

// observation is what the demo saw once the expected outcome was reached.
type observation struct {
	apps       []demoApp
	wrongApp   string // key of the app configured with the wrong token
	metrics    *metricSet
	scimUsers  map[string]int // SCIM target name → users it holds
	alerts     []promAlert    // nil without Prometheus
	prometheus bool
	ruleWaits  map[string]ruleWait // alert name → shipped and demo `for:`
	speed      float64             // simulator speed the demo rules are scaled by

	applyTook, simElapsed, realElapsed time.Duration
}

// wrongTokenApp is the key (in examples/demo's "apps" output) of the app
// that the demo gives a wrong token.
const wrongTokenApp = "andmoney_advisors"

// outcomeReached says whether the scrape shows what the demo is about:
// every job observed, the good ones with a successful cycle, the wrong token
// quarantined. It returns what is still missing otherwise.
func outcomeReached(m *metricSet, apps []demoApp) (bool, string) {
	for _, a := range apps {
		j := m.job(jobKey{a.ServicePrincipalID, a.JobID})
		switch {
		case !j.Observed:
			return false, a.DisplayName + " not yet discovered by the exporter"
		case a.Key == wrongTokenApp && !j.Quarantined:
			return false, fmt.Sprintf("%s not yet quarantined (%g failed cycles)", a.DisplayName, j.ConsecutiveFailures)
		case a.Key != wrongTokenApp && j.LastCycle != "Succeeded":
			return false, a.DisplayName + " has no successful cycle yet"
		}
	}
	return true, ""
}

// firingGrace bounds how long the demo waits, once one alert for the
// wrong-token app fires, for its other pending alerts to fire too.
const firingGrace = 10 * time.Second

// waitForOutcome polls the exporter (and Prometheus) until the outcome is
// reached and, with Prometheus, an alert for the wrong-token app is firing
// (and its other alerts fired too, or firingGrace passed).
func (r *run) waitForOutcome(ctx context.Context, apps []demoApp) (*observation, error) {
	deadline := time.Now().Add(r.opts.Timeout)
	var wrongSP string
	for _, a := range apps {
		if a.Key == wrongTokenApp {
			wrongSP = a.ServicePrincipalID
		}
	}
	if wrongSP == "" {
		return nil, fmt.Errorf("%s has no %q app in its apps output", demoConfigDir, wrongTokenApp)
	}
	missing := "the exporter has not answered yet"
	var firstFiring time.Time
	for {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("after %s: %s (logs: %s)", r.opts.Timeout, missing, r.workDir)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
		m, err := r.exp.scrape(ctx)
		if err != nil {
			if r.exp.exited() {
				return nil, err
			}
			missing = err.Error()
			continue
		}
		ok, why := outcomeReached(m, apps)
		if !ok {
			missing = why
			continue
		}
		obs := &observation{apps: apps, wrongApp: wrongTokenApp, metrics: m, prometheus: r.prom != nil}
		if r.prom != nil {
			alerts, err := r.prom.alerts(ctx)
			if err != nil {
				return nil, err
			}
			firing, pending := alertStates(alerts, wrongSP)
			if firing == 0 {
				missing = "Prometheus has no firing alert for the wrong-token app yet"
				continue
			}
			if firstFiring.IsZero() {
				firstFiring = time.Now()
			}
			if pending > 0 && time.Since(firstFiring) < firingGrace {
				missing = "Prometheus still has a pending alert for the wrong-token app"
				continue
			}
			obs.alerts = alerts
		}
		if obs.scimUsers, err = r.scimUserCounts(ctx, apps); err != nil {
			return nil, err
		}
		return obs, nil
	}
}

// alertStates counts the firing and pending alerts that carry the
// service principal's id.
func alertStates(alerts []promAlert, sp string) (firing, pending int) {
	for _, a := range alerts {
		if a.Labels["service_principal_id"] != sp {
			continue
		}
		switch a.State {
		case "firing":
			firing++
		case "pending":
			pending++
		}
	}
	return firing, pending
}

// scimUserCounts reads how many users each app's SCIM target received.
func (r *run) scimUserCounts(ctx context.Context, apps []demoApp) (map[string]int, error) {
	out := map[string]int{}
	for _, a := range apps {
		target := scimTargetName(a.TenantURL)
		if target == "" {
			continue
		}
		n, err := r.sim.scimUsers(ctx, target)
		if err != nil {
			return nil, err
		}
		out[target] = n
	}
	return out, nil
}
