// Package expression parses, validates, formats and converts Microsoft Entra
// attribute-mapping expressions such as
//
//	Switch([IsSoftDeleted], , "False", "True", "True", "False")
//	Join(" ", [givenName], [surname])
//
// API (the contract other packages build on):
//
//	Parse(src string) (*Node, error)              // *SyntaxError carries the byte offset
//	Format(n *Node) string                         // canonical text; Parse(Format(n)) equals n
//	DefaultCatalog() *Catalog                      // functions from shared/reference/expression-functions.json (embedded)
//	CatalogFromJSON(functionsResponse []byte) (*Catalog, error) // a Graph GET .../schema/functions body
//	(*Catalog).Validate(n *Node) []Diagnostic       // unknown function (with "did you mean"), arity, ...
//	ToSource(n *Node, c *Catalog) (map[string]any, error)   // Graph attributeMappingSource tree
//	FromSource(src map[string]any) (*Node, error)           // the inverse; accepts both Switch encodings
//	Normalize(src string) (string, error)          // Format(Parse(src)): used for semantic equality
package expression

// Kind is the node type; it matches Graph's attributeMappingSourceType.
type Kind int

const (
	// Attribute is a source attribute reference: [givenName].
	Attribute Kind = iota
	// Constant is a literal: "text", or a bare number / identifier (1000, &HF, -1, vbTextCompare).
	Constant
	// Function is a call: Name(arg, , arg).
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
}
