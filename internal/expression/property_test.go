package expression

import (
	"math/rand"
	"testing"
)

// genNode builds a random expression that Parse can produce: attribute
// names with spaces and punctuation, strings with quotes, backslashes and
// line breaks, every bare-constant form, empty arguments (never as the only
// argument, which Parse reads as no arguments), and comparisons as
// arguments.
func genNode(r *rand.Rand, depth int) *Node {
	switch k := r.Intn(10); {
	case k < 3 || depth <= 0:
		return genLeaf(r)
	case k < 4:
		return &Node{Kind: Function, Name: pick(r, comparisonOperators), Operator: true,
			Args: []*Node{genOperand(r, depth-1), genOperand(r, depth-1)}}
	default:
		return genCall(r, depth)
	}
}

func genOperand(r *rand.Rand, depth int) *Node {
	if depth > 0 && r.Intn(3) == 0 {
		return genCall(r, depth)
	}
	return genLeaf(r)
}

func genCall(r *rand.Rand, depth int) *Node {
	names := append(DefaultCatalog().Names(), "Unknown_fn", "x")
	n := &Node{Kind: Function, Name: pick(r, names)}
	nargs := r.Intn(6)
	for i := 0; i < nargs; i++ {
		if nargs > 1 && r.Intn(4) == 0 {
			n.Args = append(n.Args, nil)
			continue
		}
		n.Args = append(n.Args, genNode(r, depth-1))
	}
	return n
}

func genLeaf(r *rand.Rand) *Node {
	switch r.Intn(3) {
	case 0:
		return &Node{Kind: Attribute, Name: pick(r, []string{"mail", "extension_abc_costCenter", "name with spaces", "a.b:c", " padded ", "ü", "x(y)", `q"uote`, `back\slash`})}
	case 1:
		return &Node{Kind: Constant, Name: pick(r, []string{"", " ", "plain", `a "quoted" word`, `\`, `\\`, `\"`, "line\nbreak", "tab\t", "é", "[not attr]", "F(x)", ", )"})}
	}
	return &Node{Kind: Constant, Bare: true, Name: pick(r, []string{"0", "1000", "-1", "-14", "2.5", "&HF", "&hff", "vbTextCompare", "IgnoreAttributeFlow", "_x"})}
}

func pick(r *rand.Rand, from []string) string { return from[r.Intn(len(from))] }

func TestPropertyFormatParseRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(20261125))
	converted := 0
	for i := 0; i < 5000; i++ {
		n := genNode(r, 5)
		checkRoundTrip(t, n)
		if t.Failed() {
			t.Fatalf("failed on generated expression #%d: %s", i, Format(n))
		}
		// Whatever ToSource accepts must come back identical from the tree,
		// both from the expression text and from the parameters alone.
		tree, err := ToSource(n, nil)
		if err != nil {
			continue
		}
		converted++
		if back, err := FromSource(tree); err != nil || (n.Kind == Function && !Equal(back, n)) {
			t.Fatalf("FromSource(ToSource(%s)) = %s, %v", Format(n), Format(back), err)
		}
		stripExpressions(tree)
		rebuilt, err := FromSource(tree)
		if err != nil {
			t.Fatalf("tree-only FromSource(%s): %v", Format(n), err)
		}
		again, err := ToSource(rebuilt, nil)
		if err != nil {
			t.Fatalf("ToSource(rebuilt %s from %s): %v", Format(rebuilt), Format(n), err)
		}
		stripExpressions(again)
		if !Equal(mustFromSource(t, again), mustFromSource(t, tree)) {
			t.Fatalf("tree-only round trip of %s changed: %s", Format(n), Format(rebuilt))
		}
	}
	if converted < 500 {
		t.Errorf("only %d of 5000 generated expressions converted to a tree; the generator no longer exercises ToSource", converted)
	}
}

func mustFromSource(t *testing.T, tree map[string]any) *Node {
	t.Helper()
	n, err := FromSource(tree)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
