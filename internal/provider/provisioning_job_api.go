package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Graph calls for synchronization jobs, secrets and schemas, named after
// terraform-provider-aws conventions (findX, createX, ...). They use raw JSON
// (graphDoer.Do) rather than the SDK's typed models: those drop unknown enum
// values and fields, and have no secrets GET or schema PUT at all.

// graphDoer is the part of *graph.Client these calls need; tests may fake it.
type graphDoer interface {
	Do(ctx context.Context, method, path string, body, out any) error
}

// syncJob is the part of a synchronizationJob the provider reads.
type syncJob struct {
	ID         string `json:"id"`
	TemplateID string `json:"templateId"`
	Schedule   struct {
		Interval string `json:"interval"`
		State    string `json:"state"`
	} `json:"schedule"`
	Status struct {
		Code string `json:"code"`
	} `json:"status"`
}

// running reports whether the job is started (schedule Active and not
// paused). Quarantine still counts as started: the portal shows it "On".
func (j *syncJob) running() bool {
	return strings.EqualFold(j.Schedule.State, "Active") && !strings.EqualFold(j.Status.Code, "Paused")
}

// syncTemplate is the part of a synchronizationTemplate the provider reads.
type syncTemplate struct {
	ID      string          `json:"id"`
	Default bool            `json:"default"`
	Schema  json.RawMessage `json:"schema"`
}

func syncPath(spID string) string {
	return "/servicePrincipals/" + url.PathEscape(spID) + "/synchronization"
}

func jobPath(spID, jobID string) string {
	return syncPath(spID) + "/jobs/" + url.PathEscape(jobID)
}

// findSyncTemplates lists the synchronization templates a service principal offers.
func findSyncTemplates(ctx context.Context, c graphDoer, spID string) ([]syncTemplate, error) {
	var out struct {
		Value []syncTemplate `json:"value"`
	}
	if err := c.Do(ctx, http.MethodGet, syncPath(spID)+"/templates", nil, &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// defaultSyncTemplate picks the template a new job uses when template_id is
// not configured: the one marked default, or the only one.
func defaultSyncTemplate(templates []syncTemplate) (syncTemplate, error) {
	for _, t := range templates {
		if t.Default {
			return t, nil
		}
	}
	if len(templates) == 1 {
		return templates[0], nil
	}
	ids := make([]string, 0, len(templates))
	for _, t := range templates {
		ids = append(ids, t.ID)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return syncTemplate{}, fmt.Errorf("the service principal offers no synchronization templates: its application does not support provisioning")
	}
	return syncTemplate{}, fmt.Errorf("the service principal offers several synchronization templates and none is marked default; set template_id to one of: %s", strings.Join(ids, ", "))
}

func createSyncJob(ctx context.Context, c graphDoer, spID, templateID string) (*syncJob, error) {
	var job syncJob
	if err := c.Do(ctx, http.MethodPost, syncPath(spID)+"/jobs", map[string]string{"templateId": templateID}, &job); err != nil {
		return nil, err
	}
	if job.ID == "" {
		return nil, fmt.Errorf("Graph created the job but returned no id")
	}
	return &job, nil
}

func findSyncJob(ctx context.Context, c graphDoer, spID, jobID string) (*syncJob, error) {
	var job syncJob
	if err := c.Do(ctx, http.MethodGet, jobPath(spID, jobID), nil, &job); err != nil {
		return nil, err
	}
	return &job, nil
}

func deleteSyncJob(ctx context.Context, c graphDoer, spID, jobID string) error {
	return c.Do(ctx, http.MethodDelete, jobPath(spID, jobID), nil, nil)
}

func startSyncJob(ctx context.Context, c graphDoer, spID, jobID string) error {
	return c.Do(ctx, http.MethodPost, jobPath(spID, jobID)+"/start", nil, nil)
}

func pauseSyncJob(ctx context.Context, c graphDoer, spID, jobID string) error {
	return c.Do(ctx, http.MethodPost, jobPath(spID, jobID)+"/pause", nil, nil)
}

// restartResetScope is what the portal's "Restart provisioning" resets.
const restartResetScope = "Watermark,Escrows,QuarantineState"

func restartSyncJob(ctx context.Context, c graphDoer, spID, jobID string) error {
	body := map[string]any{"criteria": map[string]string{"resetScope": restartResetScope}}
	return c.Do(ctx, http.MethodPost, jobPath(spID, jobID)+"/restart", body, nil)
}

// validateJobCredentials is the portal's "Test Connection": Graph asks the
// target to authenticate with these credentials (not the saved ones).
func validateJobCredentials(ctx context.Context, c graphDoer, spID, jobID, tenantURL, token string) error {
	creds := []secretPair{{Key: secretKeyBaseAddress, Value: tenantURL}}
	if token != "" {
		creds = append(creds, secretPair{Key: secretKeySecretToken, Value: token})
	}
	body := map[string]any{"useSavedCredentials": false, "credentials": creds}
	return c.Do(ctx, http.MethodPost, jobPath(spID, jobID)+"/validateCredentials", body, nil)
}

// findSyncSecrets is the raw GET …/synchronization/secrets (no SDK builder).
func findSyncSecrets(ctx context.Context, c graphDoer, spID string) ([]secretPair, error) {
	var out secretsBody
	if err := c.Do(ctx, http.MethodGet, syncPath(spID)+"/secrets", nil, &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

func putSyncSecrets(ctx context.Context, c graphDoer, spID string, pairs []secretPair) error {
	if pairs == nil {
		pairs = []secretPair{}
	}
	return c.Do(ctx, http.MethodPut, syncPath(spID)+"/secrets", secretsBody{Value: pairs}, nil)
}

// findJobSchemaRaw is GET …/jobs/{id}/schema as raw JSON.
func findJobSchemaRaw(ctx context.Context, c graphDoer, spID, jobID string) ([]byte, error) {
	var raw json.RawMessage
	if err := c.Do(ctx, http.MethodGet, jobPath(spID, jobID)+"/schema", nil, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// putJobSchemaRaw replaces the job's schema (Graph rejects PATCH with 404).
func putJobSchemaRaw(ctx context.Context, c graphDoer, spID, jobID string, body []byte) error {
	return c.Do(ctx, http.MethodPut, jobPath(spID, jobID)+"/schema", json.RawMessage(body), nil)
}

// deleteJobSchema resets the job's schema to its template's default.
func deleteJobSchema(ctx context.Context, c graphDoer, spID, jobID string) error {
	return c.Do(ctx, http.MethodDelete, jobPath(spID, jobID)+"/schema", nil, nil)
}

// findJobFilterOperatorsRaw is GET …/jobs/{id}/schema/filterOperators as raw JSON.
func findJobFilterOperatorsRaw(ctx context.Context, c graphDoer, spID, jobID string) ([]byte, error) {
	var raw json.RawMessage
	if err := c.Do(ctx, http.MethodGet, jobPath(spID, jobID)+"/schema/filterOperators", nil, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}
