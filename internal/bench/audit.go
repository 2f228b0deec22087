package bench

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Audit is what the simulator holds for the harness's configurations.
type Audit struct {
	Applications      int // live applications named with the prefix
	ServicePrincipals int
	Assignments       int // assignments on those service principals
	Jobs              int // synchronization jobs on those service principals
	Duplicates        int // objects beyond one per configuration
	Missing           int // configurations lacking an object
}

// Orphans is every live object left after a destroy.
func (a Audit) Orphans() int { return a.Applications + a.ServicePrincipals + a.Assignments + a.Jobs }

// AuditDirectory counts the objects belonging to the configurations whose
// display names start with prefix; want is how many configurations should
// exist (0 after destroy). Jobs are listed through Graph, so call it only
// after the request counters have been read.
func (a *Admin) AuditDirectory(prefix string, want int) (Audit, error) {
	st, err := a.State()
	if err != nil {
		return Audit{}, err
	}
	var out Audit
	names := map[string]int{}
	configs := 0
	for _, app := range st.Applications {
		if strings.HasPrefix(app.DisplayName, prefix) {
			out.Applications++
			if names["app "+app.DisplayName]++; names["app "+app.DisplayName] == 1 {
				configs++
			}
		}
	}
	sps := map[string]bool{}
	for _, sp := range st.ServicePrincipals {
		if strings.HasPrefix(sp.DisplayName, prefix) {
			out.ServicePrincipals++
			names["sp "+sp.DisplayName]++
			sps[sp.ID] = true
		}
	}
	perSP := map[string]int{}
	for _, as := range st.Assignments {
		if sps[as.ResourceID] {
			out.Assignments++
			perSP[as.ResourceID]++
		}
	}
	jobs := map[string]int{}
	for id := range sps {
		n, err := a.countJobs(id)
		if err != nil {
			return out, err
		}
		jobs[id] = n
		out.Jobs += n
	}
	for _, n := range names {
		out.Duplicates += max(n-1, 0)
	}
	for id := range sps {
		out.Duplicates += max(perSP[id]-1, 0) + max(jobs[id]-1, 0)
		if perSP[id] == 0 {
			out.Missing++
		}
		if jobs[id] == 0 {
			out.Missing++
		}
	}
	out.Missing += max(want-configs, 0)
	return out, nil
}

// countJobs lists a service principal's synchronization jobs through Graph.
func (a *Admin) countJobs(spID string) (int, error) {
	status, body, err := a.Graph("GET", "/servicePrincipals/"+spID+"/synchronization/jobs", nil)
	if err != nil {
		return 0, err
	}
	if status != 200 {
		return 0, fmt.Errorf("listing the jobs of service principal %s: HTTP %d: %.200s", spID, status, body)
	}
	var list struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return 0, fmt.Errorf("listing the jobs of service principal %s: %w", spID, err)
	}
	return len(list.Value), nil
}
