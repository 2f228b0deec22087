package expression

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// functionsJSON is a Graph `GET …/schema/functions` response this project
// treats as the default function list (its NOTES record per-function
// decisions).
//
//go:embed functions.json
var functionsJSON []byte

// Param is one parameter of a function, in Graph's attributeMappingParameterSchema shape.
type Param struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
	// Multiple is true when the parameter may repeat (Join's source).
	Multiple bool `json:"allowMultipleOccurrences"`
}

// FunctionSpec is one function of the catalog.
type FunctionSpec struct {
	Name   string  `json:"name"`
	Params []Param `json:"parameters"`
}

// Catalog is a set of functions keyed by their case-sensitive name. It is
// immutable once built and safe for concurrent use.
type Catalog struct {
	funcs map[string]*FunctionSpec
	names []string // sorted
}

var (
	defaultCatalogOnce sync.Once
	defaultCatalog     *Catalog
)

// DefaultCatalog returns the embedded function catalog. The result is
// shared; do not modify it.
func DefaultCatalog() *Catalog {
	defaultCatalogOnce.Do(func() {
		c, err := CatalogFromJSON(functionsJSON)
		if err != nil {
			panic("expression: embedded functions.json is invalid: " + err.Error())
		}
		defaultCatalog = c
	})
	return defaultCatalog
}

// CatalogFromJSON builds a catalog from a Graph `GET …/schema/functions`
// response body ({"value":[{"name":…,"parameters":[…]}]}); a bare JSON array
// of functions is accepted too.
func CatalogFromJSON(body []byte) (*Catalog, error) {
	var specs []FunctionSpec
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "[") {
		if err := json.Unmarshal(body, &specs); err != nil {
			return nil, fmt.Errorf("decode function list: %w", err)
		}
	} else {
		var envelope struct {
			Value *[]FunctionSpec `json:"value"`
		}
		if err := json.Unmarshal(body, &envelope); err != nil {
			return nil, fmt.Errorf("decode functions response: %w", err)
		}
		if envelope.Value == nil {
			return nil, fmt.Errorf("decode functions response: no \"value\" array; expected the body of GET …/schema/functions")
		}
		specs = *envelope.Value
	}
	return NewCatalog(specs)
}

// NewCatalog builds a catalog from function specs. Names must be non-empty
// and unique.
func NewCatalog(specs []FunctionSpec) (*Catalog, error) {
	c := &Catalog{funcs: make(map[string]*FunctionSpec, len(specs))}
	for i := range specs {
		s := specs[i]
		if s.Name == "" {
			return nil, fmt.Errorf("function #%d has no name", i+1)
		}
		if _, dup := c.funcs[s.Name]; dup {
			return nil, fmt.Errorf("function %s is listed twice", s.Name)
		}
		for j, p := range s.Params {
			if p.Name == "" {
				return nil, fmt.Errorf("function %s: parameter #%d has no name", s.Name, j+1)
			}
		}
		c.funcs[s.Name] = &s
		c.names = append(c.names, s.Name)
	}
	sort.Strings(c.names)
	return c, nil
}

// Lookup returns the function with exactly this (case-sensitive) name.
func (c *Catalog) Lookup(name string) (*FunctionSpec, bool) {
	f, ok := c.funcs[name]
	return f, ok
}

// Names returns the function names, sorted.
func (c *Catalog) Names() []string {
	return append([]string(nil), c.names...)
}

// Len is the number of functions.
func (c *Catalog) Len() int { return len(c.names) }

// MinArgs is the fewest arguments a call may have: one per required
// parameter (a repeating required parameter counts once).
func (f *FunctionSpec) MinArgs() int {
	n := 0
	for _, p := range f.Params {
		if p.Required {
			n++
		}
	}
	return n
}

// MaxArgs is the most arguments a call may have, or -1 when a parameter repeats.
func (f *FunctionSpec) MaxArgs() int {
	for _, p := range f.Params {
		if p.Multiple {
			return -1
		}
	}
	return len(f.Params)
}

// Signature renders the parameter list for messages: optional parameters in
// brackets, repeating ones with "…": `separator, source…`.
func (f *FunctionSpec) Signature() string {
	parts := make([]string, len(f.Params))
	for i, p := range f.Params {
		s := p.Name
		if p.Multiple {
			s += "…"
		}
		if !p.Required {
			s = "[" + s + "]"
		}
		parts[i] = s
	}
	return strings.Join(parts, ", ")
}

// Bind assigns each of nargs positional arguments to a parameter index.
// Parameters are filled in order: a required one takes one argument; an
// optional single one takes an argument only while there are more
// arguments than the remaining required parameters need (so
// FormatDateTime with 3 arguments skips dateTimeStyles); a repeating one
// takes every argument the later parameters do not need. Consequently
// Coalesce binds all its arguments to `source` (evaluation is the same
// whether the last one is read as a source or as defaultValue). ok is false
// when nargs is outside [MinArgs, MaxArgs].
func (f *FunctionSpec) Bind(nargs int) (paramOf []int, ok bool) {
	if nargs < f.MinArgs() || (f.MaxArgs() >= 0 && nargs > f.MaxArgs()) {
		return nil, false
	}
	paramOf = make([]int, 0, nargs)
	extra := nargs - f.MinArgs()
	for i, p := range f.Params {
		take := 0
		switch {
		case p.Multiple:
			take = extra
			if p.Required {
				take++
			}
			extra = 0
		case p.Required:
			take = 1
		case extra > 0:
			take = 1
			extra--
		}
		for ; take > 0; take-- {
			paramOf = append(paramOf, i)
		}
	}
	return paramOf, len(paramOf) == nargs
}
