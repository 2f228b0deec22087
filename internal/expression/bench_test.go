package expression

import (
	"strings"
	"testing"
)

// benchMix is a realistic mapping set: mostly direct attributes (as in the
// scim template's 25 mappings), the template's Switch and Join, and the
// documented function examples.
func benchMix() []string {
	mix := []string{}
	for _, a := range []string{"userPrincipalName", "displayName", "jobTitle", "mail", "givenName", "surname", "department", "mailNickname", "employeeId", "telephoneNumber"} {
		mix = append(mix, "["+a+"]")
	}
	return append(mix, docExamples...)
}

// BenchmarkParseValidate measures expressions parsed and validated per
// second (the exprs/s metric) over benchMix.
func BenchmarkParseValidate(b *testing.B) {
	mix := benchMix()
	c := DefaultCatalog()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for _, src := range mix {
			node, err := Parse(src)
			if err != nil {
				b.Fatal(err)
			}
			if ds := c.Validate(node); HasErrors(ds) {
				b.Fatal(ds)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "exprs/s")
}

// BenchmarkNormalize is what schema diffing pays per mapping.
func BenchmarkNormalize(b *testing.B) {
	mix := benchMix()
	n := 0
	for b.Loop() {
		for _, src := range mix {
			if _, err := Normalize(src); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "exprs/s")
}

// BenchmarkToFromSource converts each expression to a Graph tree and back.
func BenchmarkToFromSource(b *testing.B) {
	var nodes []*Node
	for _, src := range benchMix() {
		n, _ := Parse(src)
		nodes = append(nodes, n)
	}
	count := 0
	for b.Loop() {
		for _, n := range nodes {
			tree, err := ToSource(n, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := FromSource(tree); err != nil {
				b.Fatal(err)
			}
			count++
		}
	}
	b.ReportMetric(float64(count)/b.Elapsed().Seconds(), "exprs/s")
}

// BenchmarkParseWorstCase parses a maximum-length, deeply nested expression.
func BenchmarkParseWorstCase(b *testing.B) {
	src := strings.Repeat("Append(", maxDepth) + "[a]" + strings.Repeat(`, "x")`, maxDepth)
	src += strings.Repeat(" ", MaxLength-len([]rune(src)))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		n, err := Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		Validate(n)
	}
}
