package graphsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
	"github.com/google/uuid"
)

// jobSchemaJSON returns the job's schema: its own after a PUT, else the
// template default; id is the job id.
func (s *Sim) jobSchemaJSON(j *syncJob) map[string]any {
	if j.schema != nil {
		return j.schema
	}
	return s.sync.templates[j.TemplateID].schemaJSON(j.ID)
}

// jobCompiled returns the compiled schema the engine uses for j. Caller
// holds s.mu.
func (s *Sim) jobCompiled(j *syncJob) *compiledSchema {
	if j.schema != nil && j.compiled != nil {
		return j.compiled
	}
	return s.sync.templates[j.TemplateID].compiled
}

func (s *Sim) handleGetJobSchema(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	writeRawJSON(w, http.StatusOK, s.jobSchemaJSON(j))
}

// handlePutJobSchema replaces the schema after validating its structure;
// every field is stored and returned as sent (including unknown fields and
// enum values), except id and version, which the service owns.
func (s *Sim) handlePutJobSchema(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	compiled, err := compileSchema(body)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid synchronization schema: "+err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	known := s.sync.templates[j.TemplateID].compiled.ruleIDs
	for _, id := range compiled.ruleIDs {
		if !slices.Contains(known, id) {
			writeError(w, r, http.StatusBadRequest, "BadRequest",
				fmt.Sprintf("Invalid synchronization schema: rule id %q is not defined by template %q (known: %s); keep the rule ids from GET …/schema.", id, j.TemplateID, strings.Join(known, ", ")))
			return
		}
	}
	body["id"] = j.ID
	body["version"] = fmt.Sprintf("Date:%s, ActivityId:%s", formatTime(s.clock.Now()), uuid.NewString())
	j.schema = body
	j.compiled = compiled
	s.schemaChanged(j)
	w.WriteHeader(http.StatusNoContent)
}

// schemaChanged makes the next cycle reprocess every object, as Entra does
// after a schema update. Caller holds s.mu.
func (s *Sim) schemaChanged(j *syncJob) {
	for id, e := range j.exported {
		e.hash = 0
		j.exported[id] = e
	}
	j.needsFull = true
}

// handlePatchJobSchema answers as Graph does: syncfabric has no PATCH route,
// so the SDK's Patch method always fails with this 404.
func (s *Sim) handlePatchJobSchema(w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf(`{"Message":"No HTTP resource was found that matches the request URI 'https://syncfabric.windowsazure.com/api/servicePrincipals('%s')/synchronization/jobs('%s')/schema?api-version=2.0'."}`,
		r.PathValue("id"), r.PathValue("jobId"))
	writeError(w, r, http.StatusNotFound, "UnknownError", msg)
}

// handleDeleteJobSchema resets the schema to the template default.
func (s *Sim) handleDeleteJobSchema(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	j.schema, j.compiled = nil, nil
	s.schemaChanged(j)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Sim) handleFunctions(w http.ResponseWriter, r *http.Request) {
	if !s.schemaOwnerExists(w, r) {
		return
	}
	writeRawJSON(w, http.StatusOK, map[string]any{
		"@odata.context": metadataURL(r) + "Collection(microsoft.graph.attributeMappingFunctionSchema)",
		"value":          expressionFunctions,
	})
}

func (s *Sim) handleFilterOperators(w http.ResponseWriter, r *http.Request) {
	if !s.schemaOwnerExists(w, r) {
		return
	}
	writeRawJSON(w, http.StatusOK, map[string]any{
		"@odata.context": metadataURL(r) + "Collection(microsoft.graph.filterOperatorSchema)",
		"value":          filterOperators,
	})
}

// schemaOwnerExists checks the SP and the job or template in the path.
func (s *Sim) schemaOwnerExists(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PathValue("jobId") != "" {
		_, _, ok := s.lookupJob(w, r)
		return ok
	}
	p, ok := s.lookupSP(w, r)
	if !ok {
		return false
	}
	_, ok = s.templateOf(w, r, p)
	return ok
}

// publicError is Graph's publicError shape used by parseExpression.
func publicError(code, message string) map[string]any {
	return map[string]any{"code": code, "message": message, "target": nil, "details": []any{}, "innerError": nil}
}

// handleParseExpression parses the expression, converts it to Graph's
// attributeMappingSource tree and evaluates it against testInputObject.
func (s *Sim) handleParseExpression(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r, false)
	if !ok {
		return
	}
	s.mu.Lock()
	_, _, found := s.lookupJob(w, r)
	now := s.clock.Now()
	s.mu.Unlock()
	if !found {
		return
	}
	text, isString := body["expression"].(string)
	if !isString || strings.TrimSpace(text) == "" {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "expression is required: a mapping expression such as Join(\" \", [givenName], [surname]).")
		return
	}
	if msg := testInputShapeError(body["testInputObject"]); msg != "" {
		writeError(w, r, http.StatusBadRequest, "BadRequest", msg)
		return
	}
	resp := map[string]any{
		"error": nil, "evaluationSucceeded": false, "evaluationResult": []string{}, // a collection is never null
		"parsedExpression": nil, "parsingSucceeded": false,
	}
	var node *expression.Node
	var err error
	if len(text) > maxExpressionLength {
		err = fmt.Errorf("the expression is %d characters long; Entra limits expressions to %d", len(text), maxExpressionLength)
	} else if node, err = expression.Parse(text); err == nil {
		err = checkFunctions(node)
	}
	var tree map[string]any
	if err == nil {
		tree, err = expression.ToSource(node, expression.DefaultCatalog())
	}
	if err != nil {
		resp["error"] = publicError("InvalidExpression", err.Error())
		writeJSON(w, http.StatusOK, resp)
		return
	}
	resp["parsingSucceeded"] = true
	resp["parsedExpression"] = tree
	input := asMap(body["testInputObject"])
	if input == nil {
		writeJSON(w, http.StatusOK, resp)
		return
	}
	props := map[string]any{}
	for _, p := range asSlice(input["properties"]) {
		pm := asMap(p)
		if k, _ := pm["key"].(string); k != "" {
			props[strings.ToLower(k)] = jsonToAttribute(pm["value"])
		}
	}
	env := &evalEnv{now: now, attr: func(name string) any { return props[strings.ToLower(name)] }}
	value, err := evaluate(node, env)
	if err != nil {
		resp["error"] = publicError("EvaluationFailed", err.Error())
		writeJSON(w, http.StatusOK, resp)
		return
	}
	resp["evaluationSucceeded"] = true
	resp["evaluationResult"] = resultList(value)
	writeJSON(w, http.StatusOK, resp)
}

// jsonToAttribute converts a testInputObject value to an attribute value.
func jsonToAttribute(v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			out = append(out, asString(e))
		}
		return out
	default:
		return asString(t)
	}
}

// resultList renders an evaluation result as parseExpression's string list.
func resultList(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []string:
		if t != nil {
			return t
		}
	}
	return []string{}
}

// handleDiscover serves POST …/schema/directories/{directoryId}/discover:
// the directory definition as the job's schema holds it, stamped with the
// discovery time (the simulator's SCIM targets have nothing to add).
func (s *Sim) handleDiscover(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, j, ok := s.lookupJob(w, r)
	if !ok {
		return
	}
	want := r.PathValue("directoryId")
	for _, d := range asSlice(s.jobSchemaJSON(j)["directories"]) {
		dm := asMap(d)
		if dm["id"] == want || dm["name"] == want {
			out := shallowCopy(dm)
			out["discoveryDateTime"] = formatTime(s.clock.Now())
			writeRawJSON(w, http.StatusOK, out)
			return
		}
	}
	writeError(w, r, http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Directory '%s' is not part of this job's schema; use an id from GET …/schema.", want))
}

// testInputShapeError checks that testInputObject, when given, is an
// expressionInputObject: {"definition":…, "properties":[{"key","value"}]}.
// A malformed one must be a 400, not an evaluation against nothing.
func testInputShapeError(v any) string {
	if v == nil {
		return ""
	}
	const want = `testInputObject must look like {"definition":null,"properties":[{"key":"givenName","value":"Ada"}]}`
	input, ok := v.(map[string]any)
	if !ok {
		return want
	}
	props, present := input["properties"]
	if !present || props == nil {
		return ""
	}
	list, ok := props.([]any)
	if !ok {
		return want
	}
	for _, p := range list {
		pm, ok := p.(map[string]any)
		if !ok {
			return want
		}
		if k, ok := pm["key"].(string); !ok || k == "" {
			return want + ": every property needs a non-empty string key"
		}
	}
	return ""
}
