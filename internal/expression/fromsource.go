package expression

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// FromSource converts a Graph attributeMappingSource tree back into a Node
// using DefaultCatalog. See (*Catalog).FromSource.
func FromSource(src map[string]any) (*Node, error) {
	return DefaultCatalog().FromSource(src)
}

// FromSource converts a Graph attributeMappingSource tree into a Node. A
// Function node whose "expression" text parses to a call of the same
// function is taken from that text (it is authoritative and keeps empty
// trailing arguments the tree cannot express); otherwise the node is rebuilt
// from "parameters", placing each keyed value at its catalog position.
// Switch is read in both encodings: positional keys (source, defaultValue,
// switchValue…) and the scim template's case-literal keys. Constants always
// come back quoted (Bare false): the tree does not record bareness. Nodes
// built here have Pos 0.
func (c *Catalog) FromSource(src map[string]any) (*Node, error) {
	return c.fromSource(src, 0)
}

func (c *Catalog) fromSource(src map[string]any, depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("source tree nests deeper than %d levels", maxDepth)
	}
	if src == nil {
		return nil, fmt.Errorf("attribute mapping source is null")
	}
	kind, _ := src["type"].(string)
	name, hasName := scalarString(src["name"])
	expr, _ := src["expression"].(string)
	switch kind {
	case "", "Attribute": // Graph's default type is Attribute
		if !hasName || name == "" {
			if n, err := Parse(expr); err == nil && n.Kind == Attribute {
				return zeroPos(n), nil
			}
			return nil, fmt.Errorf("Attribute source has no name")
		}
		if !writableAttributeName(name) {
			return nil, fmt.Errorf("attribute name %q cannot appear in an expression: it contains '[', ']' or a line break", name)
		}
		return &Node{Kind: Attribute, Name: name}, nil
	case "Constant":
		if !hasName {
			if n, err := Parse(expr); err == nil && n.Kind == Constant {
				n.Bare = false
				return zeroPos(n), nil
			}
			return nil, fmt.Errorf("Constant source has no name (its value)")
		}
		return &Node{Kind: Constant, Name: name}, nil
	case "Function":
		if n, err := Parse(expr); err == nil && n.Kind == Function && (!hasName || n.Name == name) {
			return zeroPos(n), nil
		}
		if !hasName || name == "" {
			return nil, fmt.Errorf("Function source has no name and its expression %q does not parse", expr)
		}
		if !IsComparisonOperator(name) && !isIdentifier(name) {
			return nil, fmt.Errorf("function name %q is not an identifier (letters, digits and _)", name)
		}
		return c.functionFromParams(name, src["parameters"], depth)
	}
	return nil, fmt.Errorf("source type %q is not Attribute, Constant or Function", kind)
}

type keyedChild struct {
	key   string
	value *Node
}

func (c *Catalog) functionFromParams(name string, raw any, depth int) (*Node, error) {
	items, err := asMaps(raw)
	if err != nil {
		return nil, fmt.Errorf("%s parameters: %w", name, err)
	}
	kids := make([]keyedChild, 0, len(items))
	for i, item := range items {
		key, _ := item["key"].(string)
		value, ok := item["value"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s parameter #%d (%q) has no value object", name, i+1, key)
		}
		child, err := c.fromSource(value, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s parameter %q: %w", name, key, err)
		}
		kids = append(kids, keyedChild{key, child})
	}
	if IsComparisonOperator(name) {
		return comparisonFromParams(name, kids)
	}
	spec, known := c.Lookup(name)
	switch {
	case name == "Switch":
		return switchFromParams(kids)
	case !known:
		// Without a signature the keys cannot be placed; keep the given order.
		n := &Node{Kind: Function, Name: name}
		for _, k := range kids {
			n.Args = append(n.Args, k.value)
		}
		return n, nil
	}
	return placeByKey(spec, kids)
}

func comparisonFromParams(op string, kids []keyedChild) (*Node, error) {
	var left, right *Node
	for _, k := range kids {
		switch k.key {
		case comparisonLeftKey:
			left = k.value
		case comparisonRightKey:
			right = k.value
		}
	}
	if left == nil || right == nil {
		return nil, fmt.Errorf("comparison %q needs parameters %q and %q", op, comparisonLeftKey, comparisonRightKey)
	}
	if left.Operator || right.Operator {
		return nil, fmt.Errorf("comparison %q has a comparison as an operand; comparisons cannot be chained", op)
	}
	return &Node{Kind: Function, Name: op, Operator: true, Args: []*Node{left, right}}, nil
}

// placeByKey lays keyed children out positionally per spec, then drops each
// empty optional slot whose removal still binds every argument to the same
// parameter (so FormatDateTime without dateTimeStyles gets 3 arguments and
// trailing empties disappear, while Replace keeps its inner empties).
func placeByKey(spec *FunctionSpec, kids []keyedChild) (*Node, error) {
	byParam := make([][]*Node, len(spec.Params))
	for _, k := range kids {
		i := paramIndex(spec, k.key)
		if i < 0 {
			return nil, fmt.Errorf("%s has no parameter %q (parameters: %s)", spec.Name, k.key, spec.Signature())
		}
		if len(byParam[i]) > 0 && !spec.Params[i].Multiple {
			return nil, fmt.Errorf("%s parameter %q appears more than once but does not repeat", spec.Name, k.key)
		}
		byParam[i] = append(byParam[i], k.value)
	}
	var args []*Node
	var owner []int
	for i, p := range spec.Params {
		vals := byParam[i]
		if len(vals) == 0 && !p.Multiple {
			vals = []*Node{nil}
		}
		for _, v := range vals {
			args = append(args, v)
			owner = append(owner, i)
		}
	}
	for i := len(args) - 1; i >= 0; i-- {
		if args[i] != nil {
			continue
		}
		trialArgs := append(append([]*Node(nil), args[:i]...), args[i+1:]...)
		trialOwner := append(append([]int(nil), owner[:i]...), owner[i+1:]...)
		if bound, ok := spec.Bind(len(trialArgs)); ok && sameOwners(bound, trialOwner, trialArgs) {
			args, owner = trialArgs, trialOwner
		}
	}
	if len(args) == 1 && args[0] == nil {
		args = nil // "F()" is how a call with nothing in it reads back
	}
	return &Node{Kind: Function, Name: spec.Name, Args: args}, nil
}

// sameOwners reports whether every non-empty argument binds to the parameter it was placed for.
func sameOwners(bound, owner []int, args []*Node) bool {
	for i, a := range args {
		if a != nil && bound[i] != owner[i] {
			return false
		}
	}
	return true
}

func paramIndex(spec *FunctionSpec, key string) int {
	for i, p := range spec.Params {
		if p.Name == key {
			return i
		}
	}
	for i, p := range spec.Params { // tolerate case drift between API versions
		if strings.EqualFold(p.Name, key) {
			return i
		}
	}
	return -1
}

// switchFromParams reads Switch in either encoding: after "source" and an
// optional "defaultValue", either repeated "switchValue" entries holding
// key, value, key, value… (positional) or entries keyed by the case literal.
func switchFromParams(kids []keyedChild) (*Node, error) {
	var source, def *Node
	var cases []*Node
	for _, k := range kids {
		switch k.key {
		case "source":
			source = k.value
		case "defaultValue":
			def = k.value
		case "switchValue":
			cases = append(cases, k.value)
		default:
			cases = append(cases, &Node{Kind: Constant, Name: k.key}, k.value)
		}
	}
	if source == nil {
		return nil, fmt.Errorf("Switch has no \"source\" parameter")
	}
	return &Node{Kind: Function, Name: "Switch", Args: append([]*Node{source, def}, cases...)}, nil
}

func asMaps(raw any) ([]map[string]any, error) {
	switch v := raw.(type) {
	case nil:
		return nil, nil
	case []map[string]any:
		return v, nil
	case []any:
		out := make([]map[string]any, len(v))
		for i, item := range v {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("parameter #%d is %T, not an object", i+1, item)
			}
			out[i] = m
		}
		return out, nil
	}
	return nil, fmt.Errorf("parameters is %T, not an array", raw)
}

// scalarString reads a name that should be a string but may have been
// decoded as a number or boolean.
func scalarString(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case json.Number:
		return s.String(), true
	case float64:
		return strconv.FormatFloat(s, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(s), true
	}
	return "", false
}

func writableAttributeName(name string) bool {
	return name != "" && !strings.ContainsAny(name, "[]\n")
}

func isIdentifier(s string) bool {
	return s != "" && isIdentStart(s[0]) && allBytes(s[1:], isIdentPart)
}

func zeroPos(n *Node) *Node {
	Walk(n, func(x, _ *Node, _ int) { x.Pos = 0 })
	return n
}
