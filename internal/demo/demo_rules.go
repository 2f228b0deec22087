package demo

import (
	"fmt"
	"math"
	"time"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v2"
)

// demoRulesFile is where the demo writes its time-scaled copy of the
// shipped alert rules, relative to the work directory.
const demoRulesFile = "prometheus/rules.demo.yml"

// ruleWait is one alert's `for:` in the shipped rules and in the demo copy.
type ruleWait struct {
	Shipped, Demo time.Duration
}

// scaleAlertRules returns a copy of a Prometheus rule file whose `for:` and
// `keep_firing_for:` durations are divided by speed, the simulator's clock
// speed (simulated seconds per real second), and rounded up to whole
// seconds (the demo's evaluation interval). Everything else, expressions
// and thresholds included, is unchanged.
//
// Why: Prometheus measures `for:` in real time, but the provisioning cycles
// it watches run on the simulator's accelerated clock. At speed 600 the
// wrong-token job has been quarantined for ten simulated minutes after one
// real second; the shipped `for: 5m` would keep the alert pending for five
// real minutes, longer than the whole demo. Dividing by the same speed keeps
// the rules' meaning in simulated time. The shipped file is never modified.
// Expressions are not rewritten: range selectors such as [2h] stay in real
// time, and time() compared with the simulator's timestamps (which run
// ahead of the wall clock) never trips the staleness alerts during a demo;
// the demo's story, a wrong token, does not depend on either.
//
// The result also maps every alert name to its shipped and demo wait.
func scaleAlertRules(src []byte, speed float64) ([]byte, map[string]ruleWait, error) {
	if speed < 1 {
		return nil, nil, fmt.Errorf("simulator speed %g: must be at least 1", speed)
	}
	var doc yaml.MapSlice
	if err := yaml.UnmarshalStrict(src, &doc); err != nil {
		return nil, nil, fmt.Errorf("parsing %s: %w", alertRulesFile, err)
	}
	groups, ok := lookup(doc, "groups").([]any)
	if !ok || len(groups) == 0 {
		return nil, nil, fmt.Errorf("%s has no rule groups", alertRulesFile)
	}
	waits := map[string]ruleWait{}
	for gi, g := range groups {
		group, ok := g.(yaml.MapSlice)
		if !ok {
			return nil, nil, fmt.Errorf("%s: group %d is not a mapping", alertRulesFile, gi)
		}
		rules, _ := lookup(group, "rules").([]any)
		for ri, r := range rules {
			rule, ok := r.(yaml.MapSlice)
			if !ok {
				return nil, nil, fmt.Errorf("%s: group %d rule %d is not a mapping", alertRulesFile, gi, ri)
			}
			name, _ := lookup(rule, "alert").(string)
			for i := range rule {
				key, _ := rule[i].Key.(string)
				if key != "for" && key != "keep_firing_for" {
					continue
				}
				text := fmt.Sprint(rule[i].Value)
				shipped, err := model.ParseDuration(text)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: alert %q: %s %q: %w", alertRulesFile, name, key, text, err)
				}
				demo := scaleWait(time.Duration(shipped), speed)
				rule[i].Value = model.Duration(demo).String()
				if key == "for" && name != "" {
					waits[name] = ruleWait{Shipped: time.Duration(shipped), Demo: demo}
				}
			}
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	header := fmt.Sprintf("# Written by make demo from %s: a DEMO-ONLY copy whose for: durations are\n"+
		"# divided by the simulator's speed (%g simulated seconds per second), rounded up\n"+
		"# to whole seconds. Deploy the original file, not this one.\n", alertRulesFile, speed)
	return append([]byte(header), out...), waits, nil
}

// scaleWait divides d by speed, rounding up to a whole second; zero stays zero.
func scaleWait(d time.Duration, speed float64) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(d.Seconds()/speed)) * time.Second
}

// lookup returns the value of key in a YAML mapping, or nil.
func lookup(m yaml.MapSlice, key string) any {
	for _, item := range m {
		if k, _ := item.Key.(string); k == key {
			return item.Value
		}
	}
	return nil
}
