package expression

import (
	"fmt"
	"strings"
	"unicode/utf8"
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

// Excerpt renders the source line holding byte offset pos with a caret under
// it, for plan-time messages:
//
//	Join(" " [givenName])
//	         ^
//
// Lines longer than 80 characters are windowed around the caret with "…".
func Excerpt(src string, pos int) string {
	pos = max(0, min(pos, len(src)))
	start := strings.LastIndexByte(src[:pos], '\n') + 1
	end := len(src)
	if i := strings.IndexByte(src[pos:], '\n'); i >= 0 {
		end = pos + i
	}
	line := []rune(strings.TrimRight(src[start:end], "\r"))
	col := utf8.RuneCountInString(src[start:pos])
	const width = 80
	prefix, suffix := "", ""
	if len(line) > width {
		from := max(0, min(col-width/2, len(line)-width))
		if from > 0 {
			prefix = "…"
		}
		if from+width < len(line) {
			suffix = "…"
		}
		line = line[from : from+width]
		col = col - from + utf8.RuneCountInString(prefix)
	}
	return prefix + string(line) + suffix + "\n" + strings.Repeat(" ", col) + "^"
}
