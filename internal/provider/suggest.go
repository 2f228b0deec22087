package provider

import (
	"sort"
	"strings"
)

// closeMatches returns up to limit candidates that resemble want, best first:
// case-insensitive substring matches, then small edit distances. Used to turn
// "not found" errors into "did you mean" lists.
func closeMatches(want string, candidates []string, limit int) []string {
	w := strings.ToLower(strings.TrimSpace(want))
	type scored struct {
		name  string
		score int
	}
	var found []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if seen[lc] {
			continue
		}
		seen[lc] = true
		var score int
		switch {
		case w == "":
			continue
		case strings.Contains(lc, w) || strings.Contains(w, lc):
			score = abs(len(lc) - len(w)) // substring: closer lengths first
		default:
			d := editDistance(w, lc)
			// A typo in the first words of a longer name ("mypolicy" for
			// "myPolicies Sandbox") compares against the name's prefix.
			if rc := []rune(lc); len(rc) > len([]rune(w))+1 {
				d = min(d, editDistance(w, string(rc[:len([]rune(w))+1])))
			}
			// Accept up to a third of the name's length in edits (typos, not strangers).
			if d > max(2, len(w)/3) {
				continue
			}
			score = 100 + d
		}
		found = append(found, scored{c, score})
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].score != found[j].score {
			return found[i].score < found[j].score
		}
		return found[i].name < found[j].name
	})
	out := make([]string, 0, min(limit, len(found)))
	for i := 0; i < len(found) && i < limit; i++ {
		out = append(out, found[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (in runes).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// quoteList renders names as "a", "b" and "c" for error messages.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	return strings.Join(q, ", ")
}

// odataString escapes s for use inside a single-quoted OData literal.
func odataString(s string) string {
	return strings.ReplaceAll(s, "'", "''")
}
