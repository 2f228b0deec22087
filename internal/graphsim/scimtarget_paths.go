package graphsim

import (
	"fmt"
	"strings"
)

// SCIM attribute paths as Entra writes target attribute names:
//
//	userName
//	name.givenName
//	emails[type eq "work"].value
//	urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department
//	urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager
//
// Both the engine (building SCIM documents) and the SCIM targets (applying
// PATCH operations) use these helpers.

type scimPath struct {
	urn         string // extension schema, "" for core attributes
	attr        string // top-level attribute within the (extension) object
	filterAttr  string // e.g. "type" in emails[type eq "work"]
	filterValue string
	sub         string // sub-attribute after the dot
}

// coreUserSchema is the core User schema URN; attributes under it live at the
// top level of the SCIM document.
const (
	coreUserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	coreGroupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

func parseSCIMPath(p string) (scimPath, error) {
	var out scimPath
	if strings.HasPrefix(strings.ToLower(p), "urn:") {
		// The attribute follows the last ':' that is not inside [...].
		depth, cut := 0, -1
		for i := 0; i < len(p); i++ {
			switch p[i] {
			case '[':
				depth++
			case ']':
				depth--
			case ':':
				if depth == 0 {
					cut = i
				}
			}
		}
		if cut <= 0 || cut == len(p)-1 {
			return out, fmt.Errorf("SCIM path %q has no attribute after its schema URN", p)
		}
		out.urn, p = p[:cut], p[cut+1:]
		if strings.EqualFold(out.urn, coreUserSchema) || strings.EqualFold(out.urn, coreGroupSchema) {
			out.urn = ""
		}
	}
	if i := strings.IndexByte(p, '['); i >= 0 {
		j := strings.IndexByte(p, ']')
		if j < i {
			return out, fmt.Errorf("SCIM path %q has an unterminated filter", p)
		}
		f := strings.Fields(p[i+1 : j])
		if len(f) != 3 || !strings.EqualFold(f[1], "eq") {
			return out, fmt.Errorf("SCIM path %q: only [attr eq \"value\"] filters are supported", p)
		}
		out.filterAttr, out.filterValue = f[0], strings.Trim(f[2], `"`)
		out.attr = p[:i]
		p = strings.TrimPrefix(p[j+1:], ".")
		out.sub = p
		return out, nil
	}
	if i := strings.IndexByte(p, '.'); i >= 0 {
		out.attr, out.sub = p[:i], p[i+1:]
	} else {
		out.attr = p
	}
	if out.attr == "" {
		return out, fmt.Errorf("SCIM path is empty")
	}
	return out, nil
}

// container returns the object that holds the path's top-level attribute,
// creating the extension object when create is set.
func (p scimPath) container(doc map[string]any, create bool) map[string]any {
	if p.urn == "" {
		return doc
	}
	ext, ok := doc[p.urn].(map[string]any)
	if !ok && create {
		ext = map[string]any{}
		doc[p.urn] = ext
		addSchema(doc, p.urn)
	}
	return ext
}

func addSchema(doc map[string]any, urn string) {
	schemas, _ := doc["schemas"].([]any)
	for _, s := range schemas {
		if s == urn {
			return
		}
	}
	doc["schemas"] = append(schemas, urn)
}

// scimSet writes value at path (nil removes it).
func scimSet(doc map[string]any, path string, value any) error {
	p, err := parseSCIMPath(path)
	if err != nil {
		return err
	}
	c := p.container(doc, value != nil)
	if c == nil {
		return nil
	}
	switch {
	case p.filterAttr != "":
		list, _ := c[p.attr].([]any)
		var elem map[string]any
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && strings.EqualFold(asString(m[p.filterAttr]), p.filterValue) {
				elem = m
				break
			}
		}
		if elem == nil {
			if value == nil {
				return nil
			}
			elem = map[string]any{p.filterAttr: filterLiteral(p.filterValue)}
			if p.filterAttr == "type" && len(list) == 0 && p.attr == "emails" {
				elem["primary"] = true
			}
			list = append(list, elem)
			c[p.attr] = list
		}
		key := p.sub
		if key == "" {
			key = "value"
		}
		if value == nil {
			delete(elem, key)
		} else {
			elem[key] = value
		}
	case p.sub != "":
		obj, ok := c[p.attr].(map[string]any)
		if !ok {
			if value == nil {
				return nil
			}
			obj = map[string]any{}
			c[p.attr] = obj
		}
		if value == nil {
			delete(obj, p.sub)
		} else {
			obj[p.sub] = value
		}
	default:
		if value == nil {
			delete(c, p.attr)
		} else {
			c[p.attr] = value
		}
	}
	return nil
}

// filterLiteral turns "True"/"False" filter values into booleans (roles[primary eq "True"]).
func filterLiteral(v string) any {
	switch strings.ToLower(v) {
	case "true":
		return true
	case "false":
		return false
	}
	return v
}

// scimGet reads the value at path (nil when absent).
func scimGet(doc map[string]any, path string) any {
	p, err := parseSCIMPath(path)
	if err != nil {
		return nil
	}
	c := p.container(doc, false)
	if c == nil {
		return nil
	}
	switch {
	case p.filterAttr != "":
		list, _ := c[p.attr].([]any)
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && strings.EqualFold(asString(m[p.filterAttr]), p.filterValue) {
				key := p.sub
				if key == "" {
					key = "value"
				}
				return m[key]
			}
		}
		return nil
	case p.sub != "":
		obj, _ := c[p.attr].(map[string]any)
		return obj[p.sub]
	default:
		return c[p.attr]
	}
}
