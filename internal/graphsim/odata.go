package graphsim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/csdl"
)

// maxBodyBytes bounds request bodies; Graph rejects far smaller ones already.
const maxBodyBytes = 4 << 20

// decodeBody decodes a JSON request body into v, answering Graph's errors
// itself and reporting false when the body is unusable:
//   - a non-JSON Content-Type → 415 (⚠ UNVERIFIED exact code; Graph's OData
//     stack answers 415 for unsupported media types, so that is the safest guess)
//   - an empty body → 400 BadRequest "Empty Payload. JSON content expected."
//   - malformed JSON or wrong value types → 400 BadRequest
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json") && mt != "text/json") {
			writeError(w, r, http.StatusUnsupportedMediaType, "UnsupportedMediaType", fmt.Sprintf("Content type '%s' is not supported; send the body as application/json.", ct))
			return false
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, r, http.StatusRequestEntityTooLarge, "BadRequest", "The request body is too large or could not be read.")
		return false
	}
	if len(bytes.TrimSpace(data)) == 0 {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Empty Payload. JSON content expected.")
		return false
	}
	if r.Header.Get("Content-Type") == "" {
		writeError(w, r, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "A request body needs a Content-Type header; send it as application/json.")
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Invalid value for property '%s': expected %s.", te.Field, te.Type))
			return false
		}
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return false
	}
	if dec.More() {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload: unexpected data after the JSON value.")
		return false
	}
	return true
}

// listSpec describes a collection for writeList.
type listSpec struct {
	context       string          // @odata.context fragment, e.g. "servicePrincipals"
	resource      string          // resource name in messages, e.g. "servicePrincipal"
	filterable    map[string]bool // properties $filter may use; nil = any
	defaultSelect []string        // properties returned without $select; nil = all
	defaultTop    int             // page size without $top
	maxTop        int             // largest $top accepted
	// filterOnly are select-only properties $filter may use although the
	// rendered items do not carry them, with the value every item has
	// (what the simulator does not model, such as license errors).
	filterOnly map[string]any
	// searchable are the properties $search may use (lower-cased name →
	// canonical); nil = $search is not simulated on this collection.
	searchable map[string]string
}

// typeName is the collection's type in Graph's metadata.
func (l listSpec) typeName() string { return "microsoft.graph." + l.resource }

// writeList applies $filter, $orderby, $count, $skip/$skiptoken, $top and
// $select to items and writes a page with @odata.nextLink when more remain.
func (s *Sim) writeList(w http.ResponseWriter, r *http.Request, spec listSpec, items []map[string]any) {
	s.writeListLazy(w, r, spec, len(items), func(i int) map[string]any { return items[i] })
}

// withFilterOnly is item with the list's filter-only properties added (a
// copy; item itself is rendered output and stays as it is).
func withFilterOnly(item, extra map[string]any) map[string]any {
	if len(extra) == 0 {
		return item
	}
	out := make(map[string]any, len(item)+len(extra))
	for k, v := range item {
		out[k] = v
	}
	for k, v := range extra {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	return out
}

// writeListLazy is writeList over n items rendered on demand by at, so that
// an unfiltered page of a large collection renders only that page. at must
// be safe to call without Sim.mu (immutable data such as seeded users).
func (s *Sim) writeListLazy(w http.ResponseWriter, r *http.Request, spec listSpec, n int, at func(int) map[string]any) {
	q := r.URL.Query()
	_, search := q["$search"]
	if q.Get("$filter") == "" && q.Get("$orderby") == "" && !search {
		s.writePage(w, r, spec, n, at)
		return
	}
	items := make([]map[string]any, n)
	for i := range items {
		items[i] = at(i)
	}
	if search {
		var ok bool
		if items, ok = searchItems(w, r, spec, items); !ok {
			return
		}
	}
	if f := q.Get("$filter"); f != "" {
		expr, err := parseFilter(f, spec.filterable)
		if err != nil {
			var fe *filterError
			if errors.As(err, &fe) && fe.unsupported {
				writeError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery", fmt.Sprintf("Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.", fe.property, spec.resource))
				return
			}
			writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
			return
		}
		kept := items[:0:0]
		for _, it := range items {
			if expr.eval(filterEnv{obj: withFilterOnly(it, spec.filterOnly)}) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	if ob := q.Get("$orderby"); ob != "" {
		prop, dir, _ := strings.Cut(strings.TrimSpace(ob), " ")
		desc := strings.EqualFold(strings.TrimSpace(dir), "desc")
		if len(items) > 0 {
			if _, ok := items[0][prop]; !ok {
				writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Could not find a property named '%s' on type 'microsoft.graph.%s' for $orderby.", prop, spec.resource))
				return
			}
		}
		sort.SliceStable(items, func(i, j int) bool {
			c, _ := compareValues(items[i][prop], items[j][prop])
			if desc {
				return c > 0
			}
			return c < 0
		})
	}
	s.writePage(w, r, spec, len(items), func(i int) map[string]any { return items[i] })
}

// writePage applies $skip/$skiptoken, $top, $select and $count to n items.
func (s *Sim) writePage(w http.ResponseWriter, r *http.Request, spec listSpec, n int, at func(int) map[string]any) {
	if writeCountIfAsked(w, r, n) {
		return
	}
	q := r.URL.Query()
	top := spec.defaultTop
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > spec.maxTop {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", fmt.Sprintf("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", v, spec.maxTop))
			return
		}
		top = n
	}
	offset := 0
	if v := q.Get("$skip"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Invalid value '%s' for $skip; it must be a non-negative integer.", v))
			return
		}
		offset = n
	}
	if v := q.Get("$skiptoken"); v != "" {
		n, ok := decodeSkipToken(v)
		if !ok {
			writeError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid paging token: follow @odata.nextLink exactly as returned.")
			return
		}
		offset = n
	}
	var sample []map[string]any
	if n > 0 {
		sample = []map[string]any{at(0)}
	}
	selected, ok := selectedProperties(w, r, spec, sample)
	if !ok {
		return
	}
	total := n
	end := min(offset+top, total)
	page := []map[string]any{}
	for i := offset; i < end; i++ {
		page = append(page, project(at(i), selected, spec.typeName()))
	}
	resp := map[string]any{"@odata.context": contextURL(r, spec)}
	if q.Get("$count") == "true" {
		resp["@odata.count"] = total
	}
	if end < total {
		next := url.Values{}
		for k, vs := range q {
			if k != "$skiptoken" && k != "$skip" {
				next[k] = vs
			}
		}
		next.Set("$skiptoken", encodeSkipToken(end))
		resp["@odata.nextLink"] = s.ready.GraphEndpoint + r.URL.Path + "?" + next.Encode()
	}
	resp["value"] = page
	writeJSON(w, http.StatusOK, resp)
}

// selectedProperties validates $select against the type's properties in
// Graph's metadata (an unknown name is Graph's 400, also when the result is
// empty) and returns the properties to output.
func selectedProperties(w http.ResponseWriter, r *http.Request, spec listSpec, _ []map[string]any) ([]string, bool) {
	props := selectList(r, spec.typeName())
	if props == nil {
		return spec.defaultSelect, true
	}
	for _, p := range props {
		if _, beta := betaOnlyProperties[spec.resource][p]; !selectable(spec.typeName(), p) && !(beta && isBeta(r)) {
			writeError(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Could not find a property named '%s' on type '%s'.", p, spec.typeName()))
			return nil, false
		}
	}
	return props, true
}

// selectList is the request's $select names (nil without $select), each
// spelled as the metadata spells it: Graph matches $select names
// case-insensitively ($select=DisplayName) and answers with the declared name.
func selectList(r *http.Request, typeName string) []string {
	sel := r.URL.Query().Get("$select")
	if strings.TrimSpace(sel) == "" {
		return nil
	}
	var props []string
	for _, p := range strings.Split(sel, ",") {
		if p = strings.TrimSpace(p); p != "" {
			props = append(props, canonicalProperty(typeName, p))
		}
	}
	return props
}

// selectable reports whether $select may name prop on typeName: a property
// the metadata declares on the type or a base type. On directoryObject
// collections (members, deleted items) the properties of the directory
// object types provisioning uses are selectable too, as in Graph.
func selectable(typeName, prop string) bool {
	if _, ok := metadata.Property(typeName, prop); ok {
		return true
	}
	if typeName == "microsoft.graph.directoryObject" {
		for _, t := range directoryObjectTypes {
			if _, ok := metadata.Property(t, prop); ok {
				return true
			}
		}
	}
	return false
}

// canonicalProperty returns the declared spelling of a property name matched
// case-insensitively on typeName (or, for directoryObject, on the directory
// object types), or name itself when none matches.
func canonicalProperty(typeName, name string) string {
	types := []string{typeName}
	if typeName == "microsoft.graph.directoryObject" {
		types = append(types, directoryObjectTypes...)
	}
	for _, t := range types {
		if _, ok := metadata.Property(t, name); ok {
			return name
		}
		for _, p := range metadata.PropertyNames(t) {
			if strings.EqualFold(p, name) {
				return p
			}
		}
	}
	return name
}

var directoryObjectTypes = []string{"microsoft.graph.user", "microsoft.graph.group", "microsoft.graph.application", "microsoft.graph.servicePrincipal"}

// contextURL is a collection's @odata.context with the $select list, e.g.
// https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId).
func contextURL(r *http.Request, spec listSpec) string {
	c := strings.ReplaceAll(spec.context, "{id}", r.PathValue("id"))
	if props := selectList(r, spec.typeName()); props != nil {
		c += "(" + strings.Join(props, ",") + ")"
	}
	return metadataURL(r) + c
}

// project keeps only props (plus @odata.type) of obj; nil props keeps all.
// A selected property the object has no value for is null (an empty array
// for a collection), as Graph answers it.
func project(obj map[string]any, props []string, typeName string) map[string]any {
	if props == nil {
		return obj
	}
	out := make(map[string]any, len(props)+1)
	t, hasType := obj["@odata.type"]
	if hasType {
		out["@odata.type"] = t
	}
	for _, p := range props {
		if v, ok := obj[p]; ok {
			out[p] = v
			continue
		}
		if p == "@odata.type" {
			continue
		}
		if derived, ok := t.(string); ok {
			typeName = strings.TrimPrefix(derived, "#")
		}
		out[p] = emptyValue(typeName, p)
	}
	return out
}

// emptyValue is how Graph writes a property without a value: [] for a
// collection, null otherwise (the type's zero value when the metadata says
// it is not nullable).
func emptyValue(typeName, prop string) any {
	types := []string{typeName}
	if typeName == "microsoft.graph.directoryObject" {
		types = directoryObjectTypes
	}
	for _, t := range types {
		if p, ok := metadata.Property(t, prop); ok {
			return zeroValue(p)
		}
	}
	return nil
}

// zeroValue is the JSON value of a property nobody has set.
func zeroValue(p csdl.Property) any {
	if strings.HasPrefix(p.Type, "Collection(") {
		return []any{}
	}
	if p.Nullable {
		return nil
	}
	switch p.Type {
	case "Edm.Boolean":
		return false
	case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Double", "Edm.Single":
		return 0
	case "Edm.DateTimeOffset":
		return "0001-01-01T00:00:00Z" // .NET's DateTimeOffset.MinValue, as Graph writes it
	}
	return nil
}

// writeObject writes one object with @odata.context, honouring $select.
func (s *Sim) writeObject(w http.ResponseWriter, r *http.Request, spec listSpec, status int, obj map[string]any) {
	selected, ok := selectedProperties(w, r, spec, []map[string]any{obj})
	if !ok {
		return
	}
	out := project(obj, selected, spec.typeName())
	resp := make(map[string]any, len(out)+1)
	for k, v := range out {
		resp[k] = v
	}
	resp["@odata.context"] = contextURL(r, spec) + "/$entity"
	writeJSON(w, status, resp)
}

// Skip tokens are opaque to clients (Graph's are too); ours encode an offset.
func encodeSkipToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("graphsim:" + strconv.Itoa(offset)))
}

func decodeSkipToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	v, ok := strings.CutPrefix(string(b), "graphsim:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}
