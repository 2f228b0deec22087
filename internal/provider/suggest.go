package provider

import (
	"strings"
)

// quoteList renders names as "a", "b" and "c" for error messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ", ")
}
