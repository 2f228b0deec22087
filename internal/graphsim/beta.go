package graphsim

import (
	"context"
	"net/http"
)

// The simulator serves /beta/… from its v1.0 routes. Beta defines a few
// properties v1.0 does not; clients such as the AzureAD provider $select
// them on beta (servicePrincipal.samlMetadataUrl), so beta requests see them
// (null unless modelled) and v1.0 requests keep v1.0's shape.

type betaKey struct{}

// markBeta records that r arrived under /beta.
func markBeta(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), betaKey{}, true))
}

// isBeta reports whether r arrived under /beta.
func isBeta(r *http.Request) bool {
	b, _ := r.Context().Value(betaKey{}).(bool)
	return b
}

// betaOnlyProperties are beta properties of a resource that v1.0 lacks, with
// the value the simulator serves (it models none of them).
var betaOnlyProperties = map[string]map[string]any{
	"servicePrincipal": {"samlMetadataUrl": nil},
	// Beta returns a group's (Entra Connect) writeback settings on every
	// GET; a cloud group without writeback has both fields null.
	"group": {"writebackConfiguration": map[string]any{"isEnabled": nil, "onPremisesGroupType": nil}},
}

// addBetaProperties adds the beta-only properties of resource to obj on a
// beta request.
func addBetaProperties(r *http.Request, resource string, obj map[string]any) {
	if !isBeta(r) {
		return
	}
	for k, v := range betaOnlyProperties[resource] {
		if _, ok := obj[k]; !ok {
			obj[k] = deepCopy(v)
		}
	}
}
