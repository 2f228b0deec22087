package expression

import (
	"sort"
	"strings"
)

// Suggest returns up to three candidates close to name, best first, for
// "did you mean" messages about functions, attributes, operators or
// templates. It is SuggestN with a limit of three.
func Suggest(name string, candidates []string) []string { return SuggestN(name, candidates, 3) }

// SuggestN is the project's one "did you mean" algorithm. Comparison is
// case-insensitive; a candidate qualifies when its edit distance
// (insertions, deletions, substitutions and adjacent transpositions) is
// within about a third of the name's length, or when it differs from name
// only in case. A candidate much longer than name (a gallery entry with a
// suffix, "myPolicies Sandbox" for "mypolicy") also qualifies when its start
// is that close; such matches rank after whole-name matches. At most n
// candidates are returned.
func SuggestN(name string, candidates []string, n int) []string {
	if name == "" || n <= 0 {
		return nil
	}
	lname := strings.ToLower(name)
	runes := len([]rune(lname))
	limit := min(1+runes/3, 4)
	type scored struct {
		s     string
		score int
	}
	var hits []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		if c == name || seen[c] {
			continue
		}
		seen[c] = true
		lc := strings.ToLower(c)
		if d := editDistance(lname, lc, limit); d <= limit {
			hits = append(hits, scored{c, d})
			continue
		}
		if rc := []rune(lc); len(rc) > runes+1 {
			if d := editDistance(lname, string(rc[:runes+1]), limit); d <= limit {
				hits = append(hits, scored{c, limit + 1 + d})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score < hits[j].score
		}
		return hits[i].s < hits[j].s
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.s
	}
	return out
}

// editDistance is the optimal-string-alignment distance between a and b
// (by rune). It returns limit+1 as soon as the distance must exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
