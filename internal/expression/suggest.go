package expression

import (
	"sort"
	"strings"
)

// Suggest returns up to three candidates close to name, best first, for
// "did you mean" messages about functions, attributes, operators or
// templates. Comparison is case-insensitive; a candidate qualifies when its
// edit distance (insertions, deletions, substitutions and adjacent
// transpositions) is within about a third of the name's length, or when it
// differs from name only in case.
func Suggest(name string, candidates []string) []string {
	if name == "" {
		return nil
	}
	lname := strings.ToLower(name)
	limit := 1 + len([]rune(lname))/3
	if limit > 4 {
		limit = 4
	}
	type scored struct {
		s    string
		dist int
	}
	var hits []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		if c == name || seen[c] {
			continue
		}
		seen[c] = true
		d := editDistance(lname, strings.ToLower(c), limit)
		if d <= limit {
			hits = append(hits, scored{c, d})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].dist != hits[j].dist {
			return hits[i].dist < hits[j].dist
		}
		return hits[i].s < hits[j].s
	})
	if len(hits) > 3 {
		hits = hits[:3]
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
