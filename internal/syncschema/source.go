package syncschema

import (
	"fmt"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// declaredNode turns the one set field of a mapping into an expression tree.
func declaredNode(m AttributeMapping) (*expression.Node, error) {
	switch n := setCount(m); {
	case n == 0:
		return nil, fmt.Errorf("none of source, constant or expression is set; set exactly one")
	case n > 1:
		return nil, fmt.Errorf("%s are set; set exactly one", strings.Join(setFields(m), " and "))
	}
	switch {
	case m.Source != "":
		return &expression.Node{Kind: expression.Attribute, Name: m.Source}, nil
	case m.Constant != "":
		return &expression.Node{Kind: expression.Constant, Name: m.Constant}, nil
	default:
		n, err := expression.Parse(m.Expression)
		if err != nil {
			return nil, fmt.Errorf("expression %q does not parse: %w", m.Expression, err)
		}
		return n, nil
	}
}

func setFields(m AttributeMapping) []string {
	var f []string
	if m.Source != "" {
		f = append(f, "source")
	}
	if m.Constant != "" {
		f = append(f, "constant")
	}
	if m.Expression != "" {
		f = append(f, "expression")
	}
	return f
}

func setCount(m AttributeMapping) int { return len(setFields(m)) }

// existingNode decodes a mapping's Graph source tree with the catalog (nil
// = the default one); nil when it is absent or cannot be decoded (then it
// never compares equal and gets rewritten).
func existingNode(mapping map[string]any, cat *expression.Catalog) *expression.Node {
	src, ok := mapping["source"].(map[string]any)
	if !ok {
		return nil
	}
	if cat == nil {
		cat = expression.DefaultCatalog()
	}
	n, err := cat.FromSource(src)
	if err != nil {
		return nil
	}
	return n
}

// nodesEquivalent compares two trees by meaning: constants compare by value
// whether quoted or bare (Graph stores 1 as "1"), function names compare
// case-insensitively, and trailing omitted arguments are ignored (Graph's
// tree simply leaves absent optional parameters out). Function names are
// compared exactly, like the catalog does.
func nodesEquivalent(a, b *expression.Node) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a.Kind != b.Kind {
		return false
	}
	if a.Name != b.Name {
		return false
	}
	aa, ba := trimOmitted(a.Args), trimOmitted(b.Args)
	if len(aa) != len(ba) {
		return false
	}
	for i := range aa {
		if !nodesEquivalent(aa[i], ba[i]) {
			return false
		}
	}
	return true
}

func trimOmitted(args []*expression.Node) []*expression.Node {
	for len(args) > 0 && args[len(args)-1] == nil {
		args = args[:len(args)-1]
	}
	return args
}
