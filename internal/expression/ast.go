// Package expression parses, validates, formats and converts Microsoft Entra
// attribute-mapping expressions such as
//
//	Switch([IsSoftDeleted], , "False", "True", "True", "False")
//	Join(" ", [givenName], [surname])
//
// It owns the expression language: its grammar, the function catalog, the
// conversion to and from Graph's attributeMappingSource trees, semantic
// equality, and the project's one "did you mean" algorithm (SuggestN). It
// makes no Graph calls.
//
// The grammar and conventions are described in README.md.
package expression

// Kind is the node type; it matches Graph's attributeMappingSourceType.
type Kind int

const (
	// Attribute is a source attribute reference: [givenName].
	Attribute Kind = iota
	// Constant is a literal: "text", or a bare number / identifier (1000, &HF, -1, vbTextCompare).
	Constant
	// Function is a call: Name(arg, , arg). A comparison such as
	// [country] = "FR" (accepted by IIF's condition) is also a Function node,
	// with Operator set, Name the operator and Args [left, right].
	Function
)

// String returns Graph's name for the kind.
func (k Kind) String() string {
	switch k {
	case Attribute:
		return "Attribute"
	case Constant:
		return "Constant"
	case Function:
		return "Function"
	}
	return "Unknown"
}

// Node is one node of a parsed expression.
type Node struct {
	Kind Kind
	// Name is the attribute name (without brackets), the constant's unquoted
	// value, or the function name.
	Name string
	// Bare is true for a constant written without quotes (a number, hex
	// literal or identifier); Format writes it back unquoted.
	Bare bool
	// Args are a function's arguments in order; a nil entry is an omitted
	// (empty) argument, as in Switch([x], , "a", "b").
	Args []*Node
	// Pos is the byte offset of the node in the parsed source (0 for nodes
	// built from a Graph tree).
	Pos int
	// Operator is true for an infix comparison (Kind Function): Name is one of
	// = <> < <= > >= and Args is exactly [left, right]. Format writes it as
	// `left op right`; ToSource encodes it as a Function named after the
	// operator with parameters "left" and "right".
	Operator bool
}

// Comparison operators IIF accepts in its condition, longest first so the
// lexer can match greedily.
var comparisonOperators = []string{"<>", "<=", ">=", "=", "<", ">"}

// IsComparisonOperator reports whether name is one of = <> < <= > >=.
func IsComparisonOperator(name string) bool {
	for _, op := range comparisonOperators {
		if op == name {
			return true
		}
	}
	return false
}

// Equal reports whether a and b are the same expression, ignoring Pos.
func Equal(a, b *Node) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a.Kind != b.Kind || a.Name != b.Name || a.Bare != b.Bare || a.Operator != b.Operator || len(a.Args) != len(b.Args) {
		return false
	}
	for i := range a.Args {
		if !Equal(a.Args[i], b.Args[i]) {
			return false
		}
	}
	return true
}

// Walk calls visit for n and every non-nil descendant, parents first, and
// passes each node's parent (nil for the root) and its index in the
// parent's Args.
func Walk(n *Node, visit func(n, parent *Node, index int)) {
	walk(n, nil, -1, visit)
}

func walk(n, parent *Node, index int, visit func(n, parent *Node, index int)) {
	if n == nil {
		return
	}
	visit(n, parent, index)
	for i, a := range n.Args {
		walk(a, n, i, visit)
	}
}
