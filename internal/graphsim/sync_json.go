package graphsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxSyncBody bounds request bodies of synchronization routes (a full schema
// is ~70 kB; 4 MiB leaves room for large customer schemas).
const maxSyncBody = 4 << 20

// decodeJSONObject decodes a JSON object with UseNumber, so numbers and
// fields the simulator does not model survive a round trip.
func decodeJSONObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("unexpected data after the JSON object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the body must be a JSON object")
	}
	return m, nil
}

// readJSONBody reads and decodes the request body as a JSON object, writing
// Graph's 400 for malformed input. An empty body decodes to an empty object
// when allowEmpty is set.
func readJSONBody(w http.ResponseWriter, r *http.Request, allowEmpty bool) (map[string]any, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxSyncBody+1))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Could not read the request body: "+err.Error())
		return nil, false
	}
	if len(data) > maxSyncBody {
		writeError(w, r, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("The request body exceeds %d bytes.", maxSyncBody))
		return nil, false
	}
	if len(bytes.TrimSpace(data)) == 0 {
		if allowEmpty {
			return map[string]any{}, true
		}
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Empty Payload. JSON content expected.")
		return nil, false
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(strings.ToLower(ct), "json") {
		writeError(w, r, http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"Content-Type '"+ct+"' is not supported; send application/json.")
		return nil, false
	}
	m, err := decodeJSONObject(data)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Invalid JSON in the request body: "+err.Error())
		return nil, false
	}
	return m, true
}

// deepCopy copies a decoded JSON value.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}

// shallowCopy copies the top level of an object.
func shallowCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "True"
		}
		return "False"
	}
	return ""
}

// asInt reads a JSON number (json.Number or float64) as an int.
func asInt(v any) int {
	switch t := v.(type) {
	case json.Number:
		n, _ := t.Int64()
		return int(n)
	case float64:
		return int(t)
	}
	return 0
}
