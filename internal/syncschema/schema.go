package syncschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Schema is a synchronizationSchema held as decoded JSON. Numbers are kept
// as json.Number so integers and unusual values round-trip exactly.
type Schema struct {
	doc map[string]any
}

// Parse decodes a synchronizationSchema body (GET …/jobs/{id}/schema).
func Parse(body []byte) (*Schema, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decoding synchronization schema JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("decoding synchronization schema JSON: unexpected data after the top-level object")
	}
	if doc == nil {
		return nil, fmt.Errorf("decoding synchronization schema JSON: the body is null, expected an object")
	}
	return &Schema{doc: doc}, nil
}

// MarshalJSON encodes the schema for a PUT. Map keys come out sorted, which
// is fine: Graph does not care about key order.
func (s *Schema) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Expressions contain quotes, < and &; escaping them as \u003c is legal
	// but makes debug output and diffs unreadable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s.doc); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Clone returns a deep copy that shares nothing with s.
func (s *Schema) Clone() *Schema {
	return &Schema{doc: deepCopy(s.doc).(map[string]any)}
}

// Version returns the schema's version string ("" when absent).
func (s *Schema) Version() string {
	v, _ := s.doc["version"].(string)
	return v
}

// RuleIDFor returns the id of the synchronizationRule whose object mapping
// reads sourceObject (compared case-insensitively): the ruleId
// provisionOnDemand needs. An enabled mapping wins; a disabled one counts
// only when no rule maps the object with an enabled one. "" when none does.
func (s *Schema) RuleIDFor(sourceObject string) string {
	for _, enabledPass := range []bool{true, false} {
		for _, r := range s.rules() {
			for _, om := range objects(r["objectMappings"]) {
				enabled, _ := om["enabled"].(bool)
				if enabled == enabledPass && strings.EqualFold(str(om, "sourceObjectName"), sourceObject) {
					id, _ := r["id"].(string)
					return id
				}
			}
		}
	}
	return ""
}

// SourceObjectNames lists the source object names of every object mapping,
// in schema order, without duplicates.
func (s *Schema) SourceObjectNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, rule := range s.rules() {
		for _, om := range objects(rule["objectMappings"]) {
			n, _ := om["sourceObjectName"].(string)
			if n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = deepCopy(e)
		}
		return a
	default:
		// string, bool, json.Number, nil: immutable.
		return v
	}
}
