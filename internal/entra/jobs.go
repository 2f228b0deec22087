package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra/jobstatus"
)

// Job is the part of a synchronizationJob the provider's resources read.
// The full status (for the data source and the exporter) is JobStatus.
type Job struct {
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

// Running reports whether the job is started (schedule Active and not
// paused). Quarantine still counts as started: the portal shows it "On".
func (j *Job) Running() bool {
	return strings.EqualFold(j.Schedule.State, "Active") && !strings.EqualFold(j.Status.Code, "Paused")
}

// CreateJob creates a synchronization job from one of the service
// principal's synchronization templates.
func (c *Client) CreateJob(ctx context.Context, spID, templateID string) (*Job, error) {
	var job Job
	if err := c.post(ctx, syncPath(spID)+"/jobs", map[string]string{"templateId": templateID}, &job); err != nil {
		return nil, err
	}
	if job.ID == "" {
		return nil, fmt.Errorf("Graph created the job but returned no id")
	}
	return &job, nil
}

// FindJob reads a job; a deleted one answers 404.
func (c *Client) FindJob(ctx context.Context, spID, jobID string) (*Job, error) {
	var job Job
	if err := c.get(ctx, jobPath(spID, jobID), &job); err != nil {
		return nil, err
	}
	return &job, nil
}

// FindJobJSON reads a job as raw JSON.
func (c *Client) FindJobJSON(ctx context.Context, spID, jobID string) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := c.get(ctx, jobPath(spID, jobID), &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// FindJobStatus reads a job's full status.
func (c *Client) FindJobStatus(ctx context.Context, spID, jobID string, opts ...jobstatus.Option) (*jobstatus.Job, error) {
	raw, err := c.FindJobJSON(ctx, spID, jobID)
	if err != nil {
		return nil, err
	}
	return jobstatus.Parse(raw, opts...)
}

// ListJobStatuses reads the full status of each of the service principal's
// jobs.
func (c *Client) ListJobStatuses(ctx context.Context, spID string, opts ...jobstatus.Option) ([]*jobstatus.Job, error) {
	var out []*jobstatus.Job
	err := c.g.GetAll(ctx, JobsPath(spID), func(raw json.RawMessage) error {
		j, err := jobstatus.Parse(raw, opts...)
		if err == nil {
			out = append(out, j)
		}
		return err
	})
	return out, err
}

// JobsPath is the collection of a service principal's jobs. It is exported
// for $batch requests, which name their routes relative to the API root.
func JobsPath(spID string) string { return syncPath(spID) + "/jobs" }

// DeleteJob deletes a job (its schema goes with it; the service principal's
// secrets stay).
func (c *Client) DeleteJob(ctx context.Context, spID, jobID string) error {
	return c.delete(ctx, jobPath(spID, jobID))
}

// StartJob starts or resumes a job.
func (c *Client) StartJob(ctx context.Context, spID, jobID string) error {
	return c.post(ctx, jobPath(spID, jobID)+"/start", nil, nil)
}

// PauseJob pauses a job; its state is kept.
func (c *Client) PauseJob(ctx context.Context, spID, jobID string) error {
	return c.post(ctx, jobPath(spID, jobID)+"/pause", nil, nil)
}

// restartResetScope is what the portal's "Restart provisioning" resets.
const restartResetScope = "Watermark,Escrows,QuarantineState"

// RestartJob restarts a job the way the portal does: the next cycle is an
// initial cycle, escrows and quarantine are cleared.
func (c *Client) RestartJob(ctx context.Context, spID, jobID string) error {
	body := map[string]any{"criteria": map[string]string{"resetScope": restartResetScope}}
	return c.post(ctx, jobPath(spID, jobID)+"/restart", body, nil)
}

// ValidateCredentials is the portal's "Test Connection": Graph asks the
// target to authenticate with these credentials (not the saved ones). An
// empty token sends only the tenant URL.
func (c *Client) ValidateCredentials(ctx context.Context, spID, jobID, tenantURL, token string) error {
	creds := []SecretPair{{Key: SecretKeyBaseAddress, Value: tenantURL}}
	if token != "" {
		creds = append(creds, SecretPair{Key: SecretKeySecretToken, Value: token})
	}
	body := map[string]any{"useSavedCredentials": false, "credentials": creds}
	return c.post(ctx, jobPath(spID, jobID)+"/validateCredentials", body, nil)
}
