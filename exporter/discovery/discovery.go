// Package discovery finds the service principals whose synchronization jobs
// the exporter monitors: either every service principal in the tenant that
// has a job (a paged list, then $batch GETs of their jobs, 20 per batch), or
// an explicit list of ids. Display-name include/exclude patterns apply to both.
package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/exporter/graphapi"
	"github.com/entra-provisioning/terraform-provider-entra/exporter/snapshot"
	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// Config selects service principals.
type Config struct {
	// ServicePrincipalIDs, when set, replaces the tenant-wide listing.
	ServicePrincipalIDs []string
	// Include keeps only display names matching it (nil: all).
	Include *regexp.Regexp
	// Exclude drops display names matching it (nil: none).
	Exclude *regexp.Regexp
	// GraphFilter is an optional OData $filter for the listing, e.g.
	// "tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')" to skip
	// first-party and managed-identity principals in large tenants.
	GraphFilter string
}

// Found is a service principal with the raw job objects Graph returned.
type Found struct {
	ServicePrincipal snapshot.ServicePrincipal
	Jobs             []json.RawMessage
}

// selectFields is the $select for service principals: only what the
// job_info metric needs, which keeps pages small.
const selectFields = "id,appId,displayName,applicationTemplateId"

// pageSize is Graph's maximum $top for servicePrincipals.
const pageSize = 999

type wireSP struct {
	ID                    string `json:"id"`
	AppID                 string `json:"appId"`
	DisplayName           string `json:"displayName"`
	ApplicationTemplateID string `json:"applicationTemplateId"`
}

type wirePage struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// Discover returns the service principals to monitor with their current jobs.
// Service principals whose job list could not be read are returned with
// Jobs == nil and listed in the returned error (a *PartialError), so callers
// can keep monitoring what they already knew.
func Discover(ctx context.Context, c graphapi.Client, cfg Config) ([]Found, error) {
	var sps []snapshot.ServicePrincipal
	var err error
	var notFound error
	if len(cfg.ServicePrincipalIDs) > 0 {
		sps, err = getExplicit(ctx, c, cfg.ServicePrincipalIDs)
		if IsPartial(err) {
			notFound, err = err, nil
		}
	} else {
		sps, err = list(ctx, c, cfg.GraphFilter)
	}
	if err != nil {
		return nil, err
	}
	kept := sps[:0]
	for _, sp := range sps {
		if sp.DisplayName == "" && len(cfg.ServicePrincipalIDs) > 0 {
			// Details unreadable this time: filters apply once the name is known.
			kept = append(kept, sp)
			continue
		}
		if cfg.Include != nil && !cfg.Include.MatchString(sp.DisplayName) {
			continue
		}
		if cfg.Exclude != nil && cfg.Exclude.MatchString(sp.DisplayName) {
			continue
		}
		kept = append(kept, sp)
	}
	found, err := withJobs(ctx, c, kept)
	if err == nil && notFound != nil {
		return found, notFound
	}
	return found, err
}

func list(ctx context.Context, c graphapi.Client, filter string) ([]snapshot.ServicePrincipal, error) {
	path := entra.ServicePrincipalsPath(selectFields, pageSize, filter)
	var out []snapshot.ServicePrincipal
	for path != "" {
		var page wirePage
		if err := c.Get(ctx, path, &page); err != nil {
			return nil, fmt.Errorf("list service principals: %w", err)
		}
		for _, raw := range page.Value {
			var sp wireSP
			if err := json.Unmarshal(raw, &sp); err != nil || sp.ID == "" {
				continue // one unusable entry must not hide the others
			}
			out = append(out, snapshot.ServicePrincipal(sp))
		}
		path = page.NextLink
	}
	return out, nil
}

// getExplicit reads the configured service principals. One that Graph says
// does not exist (404) is dropped with an error naming it; one that could not
// be read for another reason is kept with only its id, so that a transient
// failure does not make its jobs disappear.
func getExplicit(ctx context.Context, c graphapi.Client, ids []string) ([]snapshot.ServicePrincipal, error) {
	reqs := make([]graphapi.BatchRequest, len(ids))
	for i, id := range ids {
		reqs[i] = graphapi.BatchRequest{ID: fmt.Sprint(i), URL: entra.ServicePrincipalSelectPath(id, selectFields)}
	}
	resps, err := c.Batch(ctx, reqs)
	if err != nil {
		return nil, fmt.Errorf("get configured service principals: %w", err)
	}
	byID := indexResponses(resps)
	out := make([]snapshot.ServicePrincipal, 0, len(ids))
	var missing []string
	var firstErr error
	for i, id := range ids {
		r, ok := byID[fmt.Sprint(i)]
		var sp wireSP
		switch {
		case ok && r.Status == 200 && json.Unmarshal(r.Body, &sp) == nil:
			if sp.ID == "" {
				sp.ID = id
			}
			out = append(out, snapshot.ServicePrincipal(sp))
		case ok && r.Status == 404:
			missing = append(missing, id)
			if firstErr == nil {
				firstErr = responseError(r, entra.ServicePrincipalSelectPath(id, selectFields))
			}
		default:
			out = append(out, snapshot.ServicePrincipal{ID: id})
		}
	}
	if len(missing) > 0 {
		// Reported, but the others are still monitored.
		return out, &PartialError{Failed: missing, First: firstErr, Message: fmt.Sprintf(
			"configured service principal(s) %s do not exist: check --graph.service-principal-id", strings.Join(missing, ", "))}
	}
	return out, nil
}

// BatchCallSize is how many job lists one Batch call asks for: exactly one
// $batch request's worth (Graph's limit is 20). Handling each answer before
// asking for the next keeps 20 job lists' JSON alive at a time instead of
// the whole tenant's (tens of MB at 10,000 jobs), for the same number of
// requests.
const BatchCallSize = 20

// withJobs reads every candidate's job list through $batch and keeps those
// that have at least one job.
func withJobs(ctx context.Context, c graphapi.Client, sps []snapshot.ServicePrincipal) ([]Found, error) {
	var found []Found
	partial := &PartialError{}
	for start := 0; start < len(sps); start += BatchCallSize {
		chunk := sps[start:min(start+BatchCallSize, len(sps))]
		var err error
		if found, err = withJobsChunk(ctx, c, chunk, found, partial); err != nil {
			return nil, err
		}
	}
	if len(partial.Failed) > 0 {
		return found, partial
	}
	return found, nil
}

// withJobsChunk reads the job lists of up to BatchCallSize service
// principals and appends what it found.
func withJobsChunk(ctx context.Context, c graphapi.Client, sps []snapshot.ServicePrincipal, found []Found, partial *PartialError) ([]Found, error) {
	reqs := make([]graphapi.BatchRequest, len(sps))
	for i, sp := range sps {
		reqs[i] = graphapi.BatchRequest{ID: strconv.Itoa(i), URL: JobsPath(sp.ID)}
	}
	resps, err := c.Batch(ctx, reqs)
	if err != nil {
		return nil, fmt.Errorf("list synchronization jobs: %w", err)
	}
	byID := indexResponses(resps)
	for i, sp := range sps {
		r, ok := byID[strconv.Itoa(i)]
		switch {
		case ok && r.Status == 200:
			jobs, err := DecodeJobList(r.Body)
			if err != nil {
				partial.add(sp, err)
				found = append(found, Found{ServicePrincipal: sp})
				continue
			}
			if len(jobs) > 0 {
				found = append(found, Found{ServicePrincipal: sp, Jobs: jobs})
			}
		case ok && r.Status == 404:
			// Deleted between the listing and now, or not provisioning-capable.
		default:
			partial.add(sp, responseError(r, JobsPath(sp.ID)))
			found = append(found, Found{ServicePrincipal: sp})
		}
	}
	return found, nil
}

// JobsPath is the job list of one service principal.
func JobsPath(spID string) string { return entra.JobsPath(spID) }

// DecodeJobList decodes {"value":[job,...]} into raw job objects.
func DecodeJobList(body []byte) ([]json.RawMessage, error) {
	var page struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, &graphapi.MalformedError{What: "synchronization job list", Err: err}
	}
	return page.Value, nil
}

// PartialError lists service principals that could not be read; the
// others were discovered normally.
type PartialError struct {
	Failed  []string
	First   error
	Message string // overrides the default message
}

func (e *PartialError) add(sp snapshot.ServicePrincipal, err error) {
	e.Failed = append(e.Failed, sp.ID)
	if e.First == nil {
		e.First = err
	}
}

func (e *PartialError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s (%v)", e.Message, e.First)
	}
	return fmt.Sprintf("could not read the synchronization jobs of %d service principal(s), first: %v", len(e.Failed), e.First)
}

func (e *PartialError) Unwrap() error { return e.First }

// IsPartial reports whether err only says some service principals failed.
func IsPartial(err error) bool {
	var p *PartialError
	return errors.As(err, &p)
}

func indexResponses(resps []graphapi.BatchResponse) map[string]graphapi.BatchResponse {
	m := make(map[string]graphapi.BatchResponse, len(resps))
	for _, r := range resps {
		m[r.ID] = r
	}
	return m
}

// responseError turns a failed $batch item into a *graphapi.Error carrying
// Graph's error code from the item body.
func responseError(r graphapi.BatchResponse, path string) error {
	if r.ID == "" && r.Status == 0 {
		return &graphapi.MalformedError{What: "$batch answer", Err: fmt.Errorf("no response for %s", path)}
	}
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &env)
	return &graphapi.Error{StatusCode: r.Status, Code: env.Error.Code, Message: env.Error.Message, Path: path}
}

// ResponseError is responseError for other packages reading $batch answers.
func ResponseError(r graphapi.BatchResponse, path string) error { return responseError(r, path) }
