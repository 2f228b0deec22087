package entra

import (
	"context"
	"encoding/json"
	"fmt"
)

// OnDemandSubject is one object to provision on demand.
type OnDemandSubject struct {
	ObjectID   string
	ObjectType string // source object name, e.g. User or Group
}

// OnDemandAnswer is provisionOnDemand's stringKeyStringValuePair: Value is
// a JSON document describing the run, which callers parse.
type OnDemandAnswer struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ProvisionOnDemand runs one subject through the rule ruleID. The graph
// transport waits out the 5-requests-per-10-seconds limit (429 with
// Retry-After).
func (c *Client) ProvisionOnDemand(ctx context.Context, spID, jobID, ruleID string, s OnDemandSubject) (OnDemandAnswer, error) {
	body := map[string]any{"parameters": []any{map[string]any{
		"ruleId": ruleID,
		"subjects": []any{map[string]any{
			"objectId":       s.ObjectID,
			"objectTypeName": s.ObjectType,
			"links":          map[string]any{"manager": nil, "members": []any{}, "owners": []any{}},
		}},
	}}}
	var raw json.RawMessage
	if err := c.post(ctx, jobPath(spID, jobID)+"/provisionOnDemand", body, &raw); err != nil {
		return OnDemandAnswer{}, err
	}
	var answer OnDemandAnswer
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &answer); err != nil {
			return OnDemandAnswer{}, fmt.Errorf("decoding the provisionOnDemand answer: %w", err)
		}
	}
	return answer, nil
}
