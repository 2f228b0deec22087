package syncschema

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// expressionDiagnostics checks a parsed expression against the function
// catalog and, when srcObj is known, its attribute references against the
// source object's attributes (known decides; nil = attribute lookup).
// Expression warnings stay warnings.
func expressionDiagnostics(path, src string, n *expression.Node, cat *expression.Catalog, srcObj map[string]any, srcName string, known func(string) bool) []Diagnostic {
	found := cat.Validate(n)
	if srcObj != nil {
		names := attributeNames(srcObj)
		if known == nil {
			known = func(name string) bool { return attribute(srcObj, name) != nil }
		}
		suggest := func(name string) []string { return expression.Suggest(name, names) }
		found = append(found, expression.ValidateAttributesOf(n, fmt.Sprintf("source object %q", srcName), known, suggest)...)
	}
	out := make([]Diagnostic, 0, len(found))
	for _, d := range found {
		summary := "Invalid expression"
		if d.Severity == expression.SeverityWarning {
			summary = "Suspicious expression"
		}
		out = append(out, Diagnostic{
			Path:    path,
			Summary: summary,
			Detail:  pointAt(src, d.Pos, d.Message),
			Warning: d.Severity == expression.SeverityWarning,
		})
	}
	return out
}

// syntaxErrorDetail renders a parse error like the validation findings.
func syntaxErrorDetail(src string, err error) string {
	var se *expression.SyntaxError
	if errors.As(err, &se) {
		return pointAt(src, se.Pos, se.Msg)
	}
	return err.Error()
}

// pointAt renders "At column N: message" followed by the expression line
// with a caret under the offending position. The excerpt lines are
// indented so Terraform prints them as they are instead of re-wrapping.
func pointAt(src string, pos int, msg string) string {
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	pos = max(0, min(pos, len(src)))
	col := utf8.RuneCountInString(src[strings.LastIndexByte(src[:pos], '\n')+1:pos]) + 1
	excerpt := "  " + strings.ReplaceAll(expression.Excerpt(src, pos), "\n", "\n  ")
	return fmt.Sprintf("At column %d: %s\n\n%s", col, msg, excerpt)
}
