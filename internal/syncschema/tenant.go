package syncschema

import (
	"sort"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// Source attributes that only some tenants have. A synchronization
// schema's Entra ID directory does not list them by default: Graph's
// "Configure synchronization with directory extension attributes" adds the
// attribute definition to the directory's User object in the same schema
// PUT as the mapping. WithTenantSourceAttributes does that for the names an
// overlay uses.

// Name prefixes of tenant-specific source attributes.
const (
	// ExtensionPrefix starts directory extension names:
	// extension_<appId without dashes>_<name>.
	ExtensionPrefix = "extension_"
	// CustomSecurityPrefix starts custom security attribute names as the
	// provisioning service shows them: CustomSecurityAttributes.<set>_<name>.
	CustomSecurityPrefix = "CustomSecurityAttributes."
)

// TenantAttributes are the tenant's directory extensions and custom
// security attributes. A list that could not be read (Read false) leaves
// names with its prefix unchecked instead of rejecting them.
type TenantAttributes struct {
	Extensions         []ExtensionAttribute
	ExtensionsRead     bool
	CustomSecurity     []CustomSecurityAttribute
	CustomSecurityRead bool
}

// ExtensionAttribute is one extensionProperty of
// POST /directoryObjects/getAvailableExtensionProperties.
type ExtensionAttribute struct {
	Name          string   // extension_<appId>_<name>
	DataType      string   // Binary, Boolean, DateTime, Integer, LargeInteger, String
	MultiValued   bool     // isMultiValued
	TargetObjects []string // User, Group, …
}

// CustomSecurityAttribute is one active customSecurityAttributeDefinition.
type CustomSecurityAttribute struct {
	ID         string // <attributeSet>_<name>
	Type       string // String, Integer, Boolean
	Collection bool   // isCollection
}

// SourceAttributeNames lists, sorted and without duplicates, every source
// attribute o refers to: mapping sources, [attribute] references inside
// expressions (that parse) and scoping-filter clause attributes.
func SourceAttributeNames(o Overlay) []string {
	seen := map[string]bool{}
	for _, om := range o.ObjectMappings {
		for _, g := range om.ScopingFilter {
			for _, c := range g.Clauses {
				seen[c.Attribute] = true
			}
		}
		for _, m := range om.AttributeMappings {
			if m.Source != "" {
				seen[m.Source] = true
			}
			if m.Expression == "" {
				continue
			}
			if n, err := expression.Parse(m.Expression); err == nil {
				expression.Walk(n, func(x, _ *expression.Node, _ int) {
					if x.Kind == expression.Attribute {
						seen[x.Name] = true
					}
				})
			}
		}
	}
	delete(seen, "")
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TenantLookups reports which tenant lists checking o needs: directory
// extensions when it uses an extension_ name, custom security attributes
// when it uses a CustomSecurityAttributes. name. Most overlays need neither.
func TenantLookups(o Overlay) (extensions, customSecurity bool) {
	for _, n := range SourceAttributeNames(o) {
		extensions = extensions || hasPrefixFold(n, ExtensionPrefix)
		customSecurity = customSecurity || hasPrefixFold(n, CustomSecurityPrefix)
	}
	return extensions, customSecurity
}

// unverifiable reports whether name belongs to a tenant list that could
// not be read, so it is accepted unchecked.
func (t TenantAttributes) unverifiable(name string) bool {
	return (!t.ExtensionsRead && hasPrefixFold(name, ExtensionPrefix)) ||
		(!t.CustomSecurityRead && hasPrefixFold(name, CustomSecurityPrefix))
}

// definitions returns, per Entra ID object name (lower case), the
// attribute definitions of the tenant attributes among used (nil = all).
func (t TenantAttributes) definitions(used []string) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	var isUsed func(name string) bool
	if used == nil {
		isUsed = func(string) bool { return true }
	} else {
		set := map[string]bool{}
		for _, n := range used {
			set[strings.ToLower(n)] = true
		}
		isUsed = func(name string) bool { return set[strings.ToLower(name)] }
	}
	for _, e := range t.Extensions {
		if !isUsed(e.Name) {
			continue
		}
		for _, obj := range e.TargetObjects {
			out[strings.ToLower(obj)] = append(out[strings.ToLower(obj)], attributeDefinition(e.Name, extensionType(e.DataType), e.MultiValued))
		}
	}
	for _, c := range t.CustomSecurity {
		name := CustomSecurityPrefix + c.ID
		if isUsed(name) {
			// Custom security attributes are assigned to users (and
			// service principals), never to groups.
			out["user"] = append(out["user"], attributeDefinition(name, c.Type, c.Collection))
		}
	}
	return out
}

// WithTenantSourceAttributes returns s when every tenant attribute that o
// uses is already defined in the source directories of s's rules, and
// otherwise a copy with the missing attribute definitions added to the
// source objects, as Graph's directory-extension guide does before mapping
// one. Names that are not in t are not added (validation reports them).
func WithTenantSourceAttributes(s *Schema, o Overlay, t TenantAttributes) *Schema {
	return withSourceDefinitions(s, t.definitions(SourceAttributeNames(o)))
}

// withSourceDefinitions adds defs (per lower-case object name) to the
// source objects of s's rules where missing, copying s only if needed.
func withSourceDefinitions(s *Schema, defs map[string][]map[string]any) *Schema {
	if s == nil || len(defs) == 0 {
		return s
	}
	var out *Schema
	seen := map[string]bool{}
	for _, r := range s.rules() {
		dirName := str(r, "sourceDirectoryName")
		if seen[dirName] {
			continue
		}
		seen[dirName] = true
		dir := s.directory(dirName)
		for _, obj := range objects(dir["objects"]) {
			for _, def := range defs[strings.ToLower(str(obj, "name"))] {
				if attribute(obj, str(def, "name")) != nil {
					continue
				}
				if out == nil {
					out = s.Clone()
				}
				target := object(out.directory(dirName), str(obj, "name"))
				target["attributes"] = append(asAnySlice(target["attributes"]), def)
			}
		}
	}
	if out == nil {
		return s
	}
	return out
}

func attributeDefinition(name, typ string, multivalued bool) map[string]any {
	return map[string]any{
		"anchor": false, "caseExact": false, "defaultValue": nil, "flowNullValues": false, "metadata": []any{},
		"multivalued": multivalued, "mutability": "ReadWrite", "name": name, "referencedObjects": []any{},
		"required": false, "type": typ,
	}
}

// extensionType maps extensionProperty.dataType to attributeDefinition.type.
func extensionType(dataType string) string {
	switch dataType {
	case "Integer", "LargeInteger":
		return "Integer"
	case "Boolean", "DateTime", "Binary":
		return dataType
	default:
		return "String"
	}
}

func asAnySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
