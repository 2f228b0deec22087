package expression

import (
	"fmt"
	"strings"
)

// Severity says whether a diagnostic must block the configuration.
type Severity int

const (
	// SeverityError: Entra would reject or mis-evaluate the expression.
	SeverityError Severity = iota
	// SeverityWarning: accepted, but probably not what was meant.
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one finding of Validate. Pos is the byte offset of the
// offending node in the parsed source (0 for trees built from Graph JSON).
type Diagnostic struct {
	Pos      int
	Severity Severity
	Message  string
	// Suggestions are replacement names, best first (may be empty).
	Suggestions []string
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s at offset %d: %s", d.Severity, d.Pos, d.Message)
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// didYouMean renders "did you mean `A`?" or "did you mean `A` or `B`?",
// wrapping each suggestion with wrap (e.g. brackets for attributes).
func didYouMean(suggestions []string, wrap func(string) string) string {
	quoted := make([]string, len(suggestions))
	for i, s := range suggestions {
		quoted[i] = "`" + wrap(s) + "`"
	}
	switch len(quoted) {
	case 0:
		return ""
	case 1:
		return "did you mean " + quoted[0] + "?"
	}
	return "did you mean " + strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1] + "?"
}
