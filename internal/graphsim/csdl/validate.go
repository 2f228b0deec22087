package csdl

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Problem is one way a JSON value departs from the metadata.
type Problem struct {
	Path    string // JSON path, e.g. "value[2].status.code"
	Message string
	// Undeclared names the type and property of an "undeclared property"
	// problem ("microsoft.graph.filterOperatorSchema.name"), else "".
	Undeclared string
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// Validate checks a decoded JSON value (from encoding/json, with or without
// UseNumber) against an EDM type name: "microsoft.graph.user",
// "Collection(microsoft.graph.synchronizationJob)", "Edm.String", …. It
// reports every undeclared property (except on open types and OData
// annotations such as "@odata.type" or "prop@odata.type"), every value of the
// wrong JSON kind or format, enum values that are not members (spelled
// case-sensitively), null collections and null non-nullable values. An
// "@odata.type" annotation on an object switches validation to that type
// when it derives from the expected one.
func (s *Schema) Validate(typeName string, v any) []Problem {
	c := &checker{s: s}
	c.value("$", typeName, false, v)
	return c.problems
}

type checker struct {
	s        *Schema
	problems []Problem
}

func (c *checker) fail(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// value checks v against typ; nullable says whether null is allowed.
func (c *checker) value(path, typ string, nullable bool, v any) {
	if elem, ok := strings.CutPrefix(typ, "Collection("); ok {
		elem = strings.TrimSuffix(elem, ")")
		arr, isArr := v.([]any)
		if !isArr {
			c.fail(path, "want a JSON array (%s; collections are never null), got %s", typ, kindOf(v))
			return
		}
		for i, e := range arr {
			c.value(fmt.Sprintf("%s[%d]", path, i), elem, true, e)
		}
		return
	}
	if v == nil {
		if !nullable {
			c.fail(path, "null is not allowed for non-nullable %s", typ)
		}
		return
	}
	if strings.HasPrefix(typ, "Edm.") {
		if msg := checkPrimitive(typ, v); msg != "" {
			c.fail(path, "%s", msg)
		}
		return
	}
	t := c.s.Type(typ)
	if t == nil {
		c.fail(path, "type %s is not in the metadata digest", typ)
		return
	}
	switch t.Kind {
	case "EnumType":
		c.enum(path, t, v)
	default:
		c.object(path, t, v)
	}
}

func (c *checker) enum(path string, t *Type, v any) {
	str, ok := v.(string)
	if !ok {
		c.fail(path, "want a %s member name (string), got %s", t.Name, kindOf(v))
		return
	}
	parts := []string{str}
	if t.IsFlags {
		parts = strings.Split(str, ",")
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		found := false
		for _, m := range t.Members {
			if m == p {
				found = true
				break
			}
		}
		if !found {
			c.fail(path, "%q is not a member of %s (members: %s)", p, t.Name, strings.Join(t.Members, ", "))
		}
	}
}

func (c *checker) object(path string, t *Type, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		c.fail(path, "want a JSON object (%s), got %s", t.Name, kindOf(v))
		return
	}
	typeName := t.Name
	if at, ok := obj["@odata.type"].(string); ok {
		switch dt := c.s.Type(at); {
		case dt == nil:
			c.fail(path+".@odata.type", "%q names no type in the metadata digest", at)
		case !c.s.DerivesFrom(dt.Name, t.Name):
			c.fail(path+".@odata.type", "%s does not derive from %s", dt.Name, t.Name)
		default:
			typeName = dt.Name
		}
	}
	open := c.s.IsOpen(typeName)
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, "@") || strings.Contains(k, "@odata.") {
			continue // instance or property annotation
		}
		p := path + "." + k
		if prop, ok := c.s.Property(typeName, k); ok {
			c.value(p, prop.Type, prop.Nullable, obj[k])
			continue
		}
		if nav, ok := c.s.NavigationProperty(typeName, k); ok {
			c.value(p, nav.Type, true, obj[k]) // an expanded navigation property
			continue
		}
		if !open {
			c.fail(p, "property %q is not declared on %s (not an open type)", k, typeName)
			c.problems[len(c.problems)-1].Undeclared = typeName + "." + k
		}
	}
}

var (
	guidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	durationRE = regexp.MustCompile(`^-?P(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$`)
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timeRE     = regexp.MustCompile(`^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$`)
)

// checkPrimitive returns why v is not a valid JSON form of the EDM
// primitive type ("" when it is).
func checkPrimitive(typ string, v any) string {
	switch typ {
	case "Edm.String":
		if _, ok := v.(string); !ok {
			return "want a string, got " + kindOf(v)
		}
	case "Edm.Boolean":
		if _, ok := v.(bool); !ok {
			return "want a boolean, got " + kindOf(v)
		}
	case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte":
		if !isInteger(v) {
			return "want an integer number, got " + kindOf(v)
		}
	case "Edm.Single", "Edm.Double", "Edm.Decimal":
		switch v.(type) {
		case float64, json.Number:
		case string: // INF, -INF and NaN are written as strings
			if s := v.(string); s != "INF" && s != "-INF" && s != "NaN" {
				return fmt.Sprintf("want a number, got string %q", s)
			}
		default:
			return "want a number, got " + kindOf(v)
		}
	case "Edm.Guid":
		if s, ok := v.(string); !ok || !guidRE.MatchString(s) {
			return fmt.Sprintf("want a GUID string, got %s", describe(v))
		}
	case "Edm.DateTimeOffset":
		s, ok := v.(string)
		if !ok {
			return "want an RFC 3339 date-time string, got " + kindOf(v)
		}
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return fmt.Sprintf("want an RFC 3339 date-time with offset, got %q", s)
		}
	case "Edm.Duration":
		if s, ok := v.(string); !ok || !durationRE.MatchString(s) || s == "P" || strings.HasSuffix(s, "T") {
			return fmt.Sprintf("want an ISO 8601 duration string, got %s", describe(v))
		}
	case "Edm.Date":
		if s, ok := v.(string); !ok || !dateRE.MatchString(s) {
			return fmt.Sprintf("want a yyyy-mm-dd date, got %s", describe(v))
		}
	case "Edm.TimeOfDay":
		if s, ok := v.(string); !ok || !timeRE.MatchString(s) {
			return fmt.Sprintf("want an hh:mm:ss time of day, got %s", describe(v))
		}
	case "Edm.Binary":
		s, ok := v.(string)
		if !ok {
			return "want a base64 string, got " + kindOf(v)
		}
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			if _, err := base64.RawURLEncoding.DecodeString(s); err != nil {
				return fmt.Sprintf("want base64, got %q", s)
			}
		}
	case "Edm.Stream":
		// streams are not inlined in JSON bodies; any value is an error
		return "a stream property is not part of a JSON body"
	default:
		return "unknown primitive type " + typ
	}
	return ""
}

func isInteger(v any) bool {
	switch n := v.(type) {
	case json.Number:
		_, err := n.Int64()
		return err == nil
	case float64:
		return n == float64(int64(n))
	}
	return false
}

// KindOf names the JSON kind of a decoded value: null, string, boolean,
// number, array or object.
func KindOf(v any) string { return kindOf(v) }

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func describe(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return kindOf(v)
}

// ValidateError checks Graph's error envelope:
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}},
// where date is a UTC date-time and both ids are present and non-empty.
func ValidateError(v any) []Problem {
	c := &checker{}
	root, ok := v.(map[string]any)
	if !ok {
		c.fail("$", "want an error envelope object, got %s", kindOf(v))
		return c.problems
	}
	e, ok := root["error"].(map[string]any)
	if !ok {
		c.fail("$.error", "want an object, got %s", kindOf(root["error"]))
		return c.problems
	}
	for _, k := range []string{"code", "message"} {
		if s, ok := e[k].(string); !ok || s == "" {
			c.fail("$.error."+k, "want a non-empty string, got %s", describe(e[k]))
		}
	}
	inner, ok := e["innerError"].(map[string]any)
	if !ok {
		c.fail("$.error.innerError", "want an object, got %s", kindOf(e["innerError"]))
		return c.problems
	}
	if s, ok := inner["date"].(string); !ok {
		c.fail("$.error.innerError.date", "want a date-time string, got %s", describe(inner["date"]))
	} else if _, err := time.Parse("2006-01-02T15:04:05", s); err != nil {
		c.fail("$.error.innerError.date", "want yyyy-mm-ddThh:mm:ss (UTC), got %q", s)
	}
	for _, k := range []string{"request-id", "client-request-id"} {
		if s, ok := inner[k].(string); !ok || s == "" {
			c.fail("$.error.innerError."+k, "want a non-empty id, got %s", describe(inner[k]))
		}
	}
	return c.problems
}

// ValidateProperty checks one property value of a type (declared structural
// or navigation property); an undeclared property yields no problems here
// (the caller decides whether the type is open).
func (s *Schema) ValidateProperty(typeName, prop string, v any) []Problem {
	c := &checker{s: s}
	if p, ok := s.Property(typeName, prop); ok {
		c.value(prop, p.Type, p.Nullable, v)
	} else if n, ok := s.NavigationProperty(typeName, prop); ok {
		c.value(prop, n.Type, true, v)
	}
	return c.problems
}
