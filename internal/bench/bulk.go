package bench

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// batchSize is Graph's JSON batching limit.
const batchSize = 20

// batchItem is one $batch request.
type batchItem struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// batchAnswer is one $batch response.
type batchAnswer struct {
	ID     string          `json:"id"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// batch sends up to 20 items in one $batch and returns the answers by id.
// Any item not answering want fails the call: bulk set-up runs without
// faults, so a failure is a real problem worth stopping for.
func (a *Admin) batch(items []batchItem, want int) (map[string]batchAnswer, error) {
	for i := range items {
		if items[i].Body != nil {
			items[i].Headers = map[string]string{"Content-Type": "application/json"}
		}
	}
	status, body, err := a.Graph("POST", "/$batch", map[string]any{"requests": items})
	if err != nil {
		return nil, err
	}
	if status != 200 {
		return nil, fmt.Errorf("$batch: HTTP %d: %.300s", status, body)
	}
	var out struct {
		Responses []batchAnswer `json:"responses"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("$batch: decoding: %w", err)
	}
	byID := map[string]batchAnswer{}
	for _, r := range out.Responses {
		if r.Status != want {
			return nil, fmt.Errorf("$batch item %s: HTTP %d (want %d): %.300s", r.ID, r.Status, want, r.Body)
		}
		byID[r.ID] = r
	}
	return byID, nil
}

// CreateStartedJobs creates n enterprise applications, each with SCIM
// credentials for target and a started provisioning job, 20 per $batch
// round trip and `workers` batches in flight. It returns the service
// principal ids.
func (a *Admin) CreateStartedJobs(n int, namePrefix, target string, workers int) ([]string, error) {
	spIDs := make([]string, n)
	errs := make(chan error, workers)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for start := 0; start < n; start += batchSize {
		end := min(start+batchSize, n)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := a.createChunk(spIDs[start:end], start, namePrefix, target); err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
		return spIDs, nil
	}
}

// createChunk creates len(out) started jobs with four $batch round trips:
// instantiate, credentials, job, start.
func (a *Admin) createChunk(out []string, offset int, namePrefix, target string) error {
	var items []batchItem
	for i := range out {
		items = append(items, batchItem{ID: strconv.Itoa(i), Method: "POST",
			URL:  "/applicationTemplates/" + graphsim.CustomAppTemplateID + "/instantiate",
			Body: map[string]string{"displayName": fmt.Sprintf("%s %05d", namePrefix, offset+i)}})
	}
	answers, err := a.batch(items, 201)
	if err != nil {
		return fmt.Errorf("instantiating applications: %w", err)
	}
	for i := range out {
		var inst struct {
			ServicePrincipal struct {
				ID string `json:"id"`
			} `json:"servicePrincipal"`
		}
		if err := json.Unmarshal(answers[strconv.Itoa(i)].Body, &inst); err != nil || inst.ServicePrincipal.ID == "" {
			return fmt.Errorf("instantiate answered no service principal id: %s", answers[strconv.Itoa(i)].Body)
		}
		out[i] = inst.ServicePrincipal.ID
	}
	items = items[:0]
	for i, sp := range out {
		items = append(items, batchItem{ID: strconv.Itoa(i), Method: "PUT", URL: "/servicePrincipals/" + sp + "/synchronization/secrets",
			Body: map[string]any{"value": []map[string]string{
				{"key": "BaseAddress", "value": a.ready.GraphEndpoint + "/_sim/scim/" + target},
				{"key": "SecretToken", "value": "sim-token-" + target}}}})
	}
	if _, err := a.batch(items, 204); err != nil {
		return fmt.Errorf("saving credentials: %w", err)
	}
	items = items[:0]
	for i, sp := range out {
		items = append(items, batchItem{ID: strconv.Itoa(i), Method: "POST", URL: "/servicePrincipals/" + sp + "/synchronization/jobs",
			Body: map[string]string{"templateId": "scim"}})
	}
	answers, err = a.batch(items, 201)
	if err != nil {
		return fmt.Errorf("creating jobs: %w", err)
	}
	items = items[:0]
	for i, sp := range out {
		var job struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(answers[strconv.Itoa(i)].Body, &job); err != nil || job.ID == "" {
			return fmt.Errorf("job creation answered no id: %s", answers[strconv.Itoa(i)].Body)
		}
		items = append(items, batchItem{ID: strconv.Itoa(i), Method: "POST", URL: "/servicePrincipals/" + sp + "/synchronization/jobs/" + job.ID + "/start"})
	}
	if _, err := a.batch(items, 204); err != nil {
		return fmt.Errorf("starting jobs: %w", err)
	}
	return nil
}
