package syncschema

import (
	"fmt"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// expressionDiagnostics checks a parsed expression against the function
// catalog and, when srcObj is known, its attribute references against the
// source object's attributes. Expression warnings stay warnings.
func expressionDiagnostics(path string, n *expression.Node, cat *expression.Catalog, srcObj map[string]any, srcName string) []Diagnostic {
	found := cat.Validate(n)
	if srcObj != nil {
		names := attributeNames(srcObj)
		known := func(name string) bool { return attribute(srcObj, name) != nil }
		suggest := func(name string) []string { return expression.Suggest(name, names) }
		found = append(found, expression.ValidateAttributesOf(n, fmt.Sprintf("source object %q", srcName), known, suggest)...)
	}
	out := make([]Diagnostic, 0, len(found))
	for _, d := range found {
		summary := "Invalid expression"
		if d.Severity == expression.SeverityWarning {
			summary = "Suspicious expression"
		}
		msg := d.Message
		if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") {
			msg += "."
		}
		out = append(out, Diagnostic{
			Path:    path,
			Summary: summary,
			Detail:  fmt.Sprintf("At offset %d: %s", d.Pos, msg),
			Warning: d.Severity == expression.SeverityWarning,
		})
	}
	return out
}
