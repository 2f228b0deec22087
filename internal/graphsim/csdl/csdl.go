// Package csdl reads the digest of Microsoft Graph's published v1.0 metadata
// (CSDL) that graphsim embeds (internal/graphsim/data/graph-v1-csdl-digest.json)
// and answers the questions the simulator and its tests ask of it: which
// properties a type declares (with its base types), whether it is open, what
// an enum's members are, and whether a JSON value has the shape the metadata
// prescribes (Validate).
//
// A Schema is immutable once parsed and safe for concurrent use.
package csdl

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Property is one structural property: its EDM type (e.g. "Edm.String",
// "Collection(microsoft.graph.appRole)") and, for a collection, whether its
// elements may be null (for a single value, whether the value may be null).
type Property struct {
	Type     string `json:"type"`
	Nullable bool   `json:"nullable"`
}

// NavigationProperty is a relationship to another entity (or a collection).
type NavigationProperty struct {
	Type           string `json:"type"`
	ContainsTarget bool   `json:"containsTarget"`
}

// Type is an entity, complex or enum type.
type Type struct {
	Name                 string
	Kind                 string                        `json:"kind"` // EntityType, ComplexType, EnumType
	BaseType             string                        `json:"baseType"`
	Abstract             bool                          `json:"abstract"`
	OpenType             bool                          `json:"openType"`
	Properties           map[string]Property           `json:"properties"`
	NavigationProperties map[string]NavigationProperty `json:"navigationProperties"`
	DerivedTypes         []string                      `json:"derivedTypes"`
	Members              []string                      `json:"members"`
	IsFlags              bool                          `json:"isFlags"`
}

// EntitySet is an entity set or singleton of the service root.
type EntitySet struct {
	Kind string `json:"kind"` // EntitySet or Singleton
	Type string `json:"type"`
}

// Operation is a bound action or function.
type Operation struct {
	Name             string            `json:"name"`
	Kind             string            `json:"kind"`
	BindingParameter string            `json:"bindingParameter"`
	Parameters       map[string]string `json:"parameters"`
	ReturnType       string            `json:"returnType"`
}

// Schema is a parsed digest.
type Schema struct {
	Source     string
	types      map[string]*Type
	propNames  map[string][]string // type → sorted structural properties with base types
	aliases    map[string]string
	EntitySets map[string]EntitySet
	Operations []Operation
}

// Parse reads a digest document.
func Parse(data []byte) (*Schema, error) {
	var doc struct {
		Source     string               `json:"source"`
		Aliases    map[string]string    `json:"aliases"`
		EntitySets map[string]EntitySet `json:"entitySets"`
		Operations []Operation          `json:"operations"`
		Types      map[string]*Type     `json:"types"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("csdl: reading digest: %w", err)
	}
	if len(doc.Types) == 0 {
		return nil, fmt.Errorf("csdl: the digest declares no types")
	}
	for name, t := range doc.Types {
		t.Name = name
	}
	s := &Schema{Source: doc.Source, types: doc.Types, aliases: doc.Aliases, EntitySets: doc.EntitySets, Operations: doc.Operations}
	for name, t := range s.types {
		if t.BaseType != "" && s.Type(t.BaseType) == nil {
			return nil, fmt.Errorf("csdl: type %s names unknown base type %s", name, t.BaseType)
		}
	}
	s.propNames = make(map[string][]string, len(s.types))
	for name := range s.types {
		s.propNames[name] = s.collectPropertyNames(name)
	}
	return s, nil
}

// Type returns a type by its qualified name ("microsoft.graph.user"), an
// alias ("graph.user") or a leading '#' ("#microsoft.graph.user"); nil when
// the digest does not hold it.
func (s *Schema) Type(name string) *Type {
	name = strings.TrimPrefix(name, "#")
	if t := s.types[name]; t != nil {
		return t
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		if ns, ok := s.aliases[name[:i]]; ok {
			return s.types[ns+name[i:]]
		}
	}
	return nil
}

// lineage returns t and its base types, most derived first.
func (s *Schema) lineage(name string) []*Type {
	var out []*Type
	for t := s.Type(name); t != nil; t = s.Type(t.BaseType) {
		out = append(out, t)
		if t.BaseType == "" {
			break
		}
	}
	return out
}

// Property returns a structural property declared on the type or a base type.
func (s *Schema) Property(typeName, prop string) (Property, bool) {
	for _, t := range s.lineage(typeName) {
		if p, ok := t.Properties[prop]; ok {
			return p, true
		}
	}
	return Property{}, false
}

// NavigationProperty returns a navigation property of the type or a base type.
func (s *Schema) NavigationProperty(typeName, prop string) (NavigationProperty, bool) {
	for _, t := range s.lineage(typeName) {
		if p, ok := t.NavigationProperties[prop]; ok {
			return p, true
		}
	}
	return NavigationProperty{}, false
}

// PropertyNames lists the structural properties of the type and its base
// types, sorted. The slice is shared: do not modify it.
func (s *Schema) PropertyNames(typeName string) []string {
	if t := s.Type(typeName); t != nil {
		return s.propNames[t.Name]
	}
	return nil
}

func (s *Schema) collectPropertyNames(typeName string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range s.lineage(typeName) {
		for p := range t.Properties {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// IsOpen reports whether the type or a base type is open (accepts
// properties the metadata does not declare).
func (s *Schema) IsOpen(typeName string) bool {
	for _, t := range s.lineage(typeName) {
		if t.OpenType {
			return true
		}
	}
	return false
}

// DerivesFrom reports whether typeName is base or derives from it.
func (s *Schema) DerivesFrom(typeName, base string) bool {
	b := s.Type(base)
	if b == nil {
		return false
	}
	for _, t := range s.lineage(typeName) {
		if t == b {
			return true
		}
	}
	return false
}

// Names returns every name the metadata gives to a path segment: entity
// sets and singletons, structural and navigation properties and bound
// operations. graphsim matches request path segments against it
// case-insensitively.
func (s *Schema) Names() []string {
	seen := map[string]bool{}
	add := func(n string) { seen[n] = true }
	for n := range s.EntitySets {
		add(n)
	}
	for _, t := range s.types {
		for p := range t.Properties {
			add(p)
		}
		for p := range t.NavigationProperties {
			add(p)
		}
		if t.Kind == "EntityType" {
			add(t.Name) // type casts such as microsoft.graph.user
		}
	}
	for _, o := range s.Operations {
		add(o.Name)
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
