package provider

import (
	"context"
	"sync"
	"time"
)

// Short-lived, per-process caches. Terraform calls ReadResource and then
// PlanResourceChange in the same provider process, and during apply it
// plans again before Create; these caches let the later calls reuse what the
// earlier ones just read, so a refresh costs one schema GET and a create one
// templates GET. Writes invalidate the entries they change.

// jobSchemaCache keeps the schema a refresh read for the plan that follows
// in the same provider process (Terraform calls ReadResource, then
// PlanResourceChange), so a plan costs one schema GET, not two.
var jobSchemaCache = struct {
	sync.Mutex
	m map[string]cachedJobSchema
}{m: map[string]cachedJobSchema{}}

type cachedJobSchema struct {
	raw []byte
	at  time.Time
}

// jobSchemaCacheTTL is short: the cache only bridges one refresh and the
// plan right after it.
const jobSchemaCacheTTL = 30 * time.Second

func rememberJobSchema(spID, jobID string, raw []byte) {
	jobSchemaCache.Lock()
	defer jobSchemaCache.Unlock()
	jobSchemaCache.m[spID+"/"+jobID] = cachedJobSchema{raw: raw, at: time.Now()}
}

func forgetJobSchema(spID, jobID string) {
	jobSchemaCache.Lock()
	defer jobSchemaCache.Unlock()
	delete(jobSchemaCache.m, spID+"/"+jobID)
}

func recentJobSchema(spID, jobID string) []byte {
	jobSchemaCache.Lock()
	defer jobSchemaCache.Unlock()
	e, ok := jobSchemaCache.m[spID+"/"+jobID]
	if !ok || time.Since(e.at) > jobSchemaCacheTTL {
		return nil
	}
	return e.raw
}

// syncTemplatesCache holds the template list of a service principal; the
// list is fixed by the application (gallery entry), so it never goes stale
// within the TTL.
var syncTemplatesCache = struct {
	sync.Mutex
	m map[string]cachedTemplates
}{m: map[string]cachedTemplates{}}

type cachedTemplates struct {
	list []syncTemplate
	at   time.Time
}

// findSyncTemplatesCached is findSyncTemplates with a jobSchemaCacheTTL cache.
func findSyncTemplatesCached(ctx context.Context, c graphDoer, spID string) ([]syncTemplate, error) {
	syncTemplatesCache.Lock()
	e, ok := syncTemplatesCache.m[spID]
	syncTemplatesCache.Unlock()
	if ok && time.Since(e.at) <= jobSchemaCacheTTL {
		return e.list, nil
	}
	list, err := findSyncTemplates(ctx, c, spID)
	if err != nil {
		return nil, err
	}
	syncTemplatesCache.Lock()
	syncTemplatesCache.m[spID] = cachedTemplates{list: list, at: time.Now()}
	syncTemplatesCache.Unlock()
	return list, nil
}

// resetProviderCaches empties the caches. Each terraform command normally
// runs a fresh provider process; tests that serve the provider from one
// process across commands call this between commands to measure honestly.
func resetProviderCaches() {
	jobSchemaCache.Lock()
	jobSchemaCache.m = map[string]cachedJobSchema{}
	jobSchemaCache.Unlock()
	syncTemplatesCache.Lock()
	syncTemplatesCache.m = map[string]cachedTemplates{}
	syncTemplatesCache.Unlock()
}
