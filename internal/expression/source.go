package expression

import (
	"fmt"
)

// Parameter keys of a comparison node in a Graph tree. UNVERIFIED: no public
// sample shows how Graph encodes IIF's comparison condition; this project
// writes it as a Function named after the operator with "left" and "right"
// parameters, and FromSource reads that back. Consumers that only need the
// text can rely on the node's "expression", which is always the canonical text.
const (
	comparisonLeftKey  = "left"
	comparisonRightKey = "right"
)

// ToSource converts n into Graph's attributeMappingSource tree (the shape of
// attributeMapping.source), using JSON-compatible values (map[string]any,
// []any, string):
//
//	Attribute {"expression":"[mail]","name":"mail","parameters":[],"type":"Attribute"}
//	Constant  {"expression":"\"1\"","name":"1","parameters":[],"type":"Constant"}  (bare numbers too)
//	Function  {"expression":<canonical text>,"name":fn,"parameters":[{"key":param,"value":child}…],"type":"Function"}
//
// Parameter keys are the catalog's parameter names (nil c means
// DefaultCatalog); omitted optional arguments are absent and a repeating
// parameter is repeated under the same key. Switch uses the case-literal
// encoding of the scim template (see switchToSource). It fails for an
// unknown function or an argument count the function does not accept.
func ToSource(n *Node, c *Catalog) (map[string]any, error) {
	if c == nil {
		c = DefaultCatalog()
	}
	if n == nil {
		return nil, fmt.Errorf("cannot convert an empty expression to a Graph source")
	}
	switch n.Kind {
	case Attribute:
		return leafSource(Format(n), n.Name, Attribute), nil
	case Constant:
		return leafSource(Quote(n.Name), n.Name, Constant), nil
	case Function:
		return functionToSource(n, c)
	}
	return nil, fmt.Errorf("node kind %d is not Attribute, Constant or Function", n.Kind)
}

func leafSource(expression, name string, k Kind) map[string]any {
	return map[string]any{"expression": expression, "name": name, "parameters": []any{}, "type": k.String()}
}

func functionSource(n *Node, params []any) map[string]any {
	return map[string]any{"expression": Format(n), "name": n.Name, "parameters": params, "type": Function.String()}
}

func param(key string, value map[string]any) map[string]any {
	return map[string]any{"key": key, "value": value}
}

func functionToSource(n *Node, c *Catalog) (map[string]any, error) {
	if n.Operator {
		if len(n.Args) != 2 || n.Args[0] == nil || n.Args[1] == nil {
			return nil, fmt.Errorf("comparison %q needs a left and a right operand", n.Name)
		}
		left, err := ToSource(n.Args[0], c)
		if err != nil {
			return nil, err
		}
		right, err := ToSource(n.Args[1], c)
		if err != nil {
			return nil, err
		}
		return functionSource(n, []any{param(comparisonLeftKey, left), param(comparisonRightKey, right)}), nil
	}
	spec, ok := c.Lookup(n.Name)
	if !ok {
		return nil, fmt.Errorf("%s is not a function in the catalog, so its parameters cannot be named", n.Name)
	}
	paramOf, ok := spec.Bind(len(n.Args))
	if !ok {
		return nil, fmt.Errorf("%s does not accept %d arguments (parameters: %s)", n.Name, len(n.Args), spec.Signature())
	}
	children := make([]map[string]any, len(n.Args))
	for i, a := range n.Args {
		if a == nil {
			if spec.Params[paramOf[i]].Required {
				return nil, fmt.Errorf("%s: required argument %d (%s) is empty", n.Name, i+1, spec.Params[paramOf[i]].Name)
			}
			continue
		}
		child, err := ToSource(a, c)
		if err != nil {
			return nil, err
		}
		children[i] = child
	}
	if n.Name == "Switch" {
		if params, ok := switchToSource(n, children); ok {
			return functionSource(n, params), nil
		}
	}
	params := []any{}
	for i, child := range children {
		if child != nil {
			params = append(params, param(spec.Params[paramOf[i]].Name, child))
		}
	}
	return functionSource(n, params), nil
}

// switchToSource writes Switch the way the scim template stores it: the
// source under "source", a non-empty default under "defaultValue", then one
// parameter per case whose key is the case literal and whose value is the
// result ([RECON] in scim-template-schema.NOTES.md). It declines (ok false)
// when that encoding would lose information — a case key that is not a
// constant, repeats, or collides with a positional key — and the caller then
// uses the positional encoding (repeated "switchValue" keys), which
// FromSource also reads.
func switchToSource(n *Node, children []map[string]any) ([]any, bool) {
	if len(n.Args) < 2 || (len(n.Args)-2)%2 != 0 {
		return nil, false
	}
	params := []any{param("source", children[0])}
	if children[1] != nil {
		params = append(params, param("defaultValue", children[1]))
	}
	seen := map[string]bool{}
	for i := 2; i < len(n.Args); i += 2 {
		key, value := n.Args[i], children[i+1]
		if key == nil || key.Kind != Constant || value == nil || seen[key.Name] || isSwitchPositionalKey(key.Name) {
			return nil, false
		}
		seen[key.Name] = true
		params = append(params, param(key.Name, value))
	}
	return params, true
}

func isSwitchPositionalKey(k string) bool {
	return k == "source" || k == "defaultValue" || k == "switchValue"
}
