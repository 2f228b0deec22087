package graphsim

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// $search on directory objects (users, groups): Graph's advanced query.
// The value is one or more quoted clauses "property:value" joined by OR and
// AND (AND binds tighter). A clause matches when every word of the value is
// a case-insensitive prefix of some word of the property, words being split
// on non-alphanumerics and lower→upper case changes ("displayName:wa" finds
// "Wanda" and "Contoso WaterCo"). Graph's real tokenizer is richer; this is
// the documented behaviour reduced to what clients can rely on.

// searchConsistencyMessage is Graph's 400 for $search without the
// advanced-query header.
const searchConsistencyMessage = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"

// userSearchable and groupSearchable are the properties Graph's $search
// accepts on each collection (user-list.md, group-list.md, "Use the $search
// query parameter"), limited to what the simulated objects carry.
var (
	userSearchable = searchableOf(keysOf(userJSON(&User{})), "displayName", "givenName", "surname", "mail",
		"mailNickname", "userPrincipalName", "jobTitle", "otherMails", "proxyAddresses")
	groupSearchable = searchableOf(keysOf(groupJSON(&Group{})), "displayName", "description", "mail",
		"mailNickname", "proxyAddresses")
)

// searchableOf maps the lower-cased names of props that have to their
// canonical spelling: Graph matches search property names case-insensitively.
func searchableOf(has map[string]bool, props ...string) map[string]string {
	out := make(map[string]string, len(props))
	for _, p := range props {
		if has[p] {
			out[strings.ToLower(p)] = p
		}
	}
	return out
}

// searchExpr is a parsed $search value: OR of ANDs of clauses.
type searchExpr [][]searchClause

type searchClause struct {
	property string   // canonical property name
	words    []string // lower-cased words of the value, all must match
}

// searchError is a 400 for a $search value the caller must fix.
type searchError struct{ msg string }

func (e *searchError) Error() string { return e.msg }

// parseSearch parses a $search value against the collection's searchable
// properties (lower-cased name → canonical).
func parseSearch(s string, searchable map[string]string) (searchExpr, error) {
	var expr searchExpr
	var and []searchClause
	rest := strings.TrimSpace(s)
	for {
		c, after, err := parseSearchClause(rest, searchable)
		if err != nil {
			return nil, err
		}
		and = append(and, c)
		rest = strings.TrimSpace(after)
		if rest == "" {
			return append(expr, and), nil
		}
		op, tail, _ := strings.Cut(rest, " ")
		switch strings.ToUpper(op) {
		case "AND":
		case "OR":
			expr = append(expr, and)
			and = nil
		default:
			return nil, &searchError{fmt.Sprintf("Syntax error: expected AND or OR in $search at '%s'.", clip(rest, 50))}
		}
		rest = strings.TrimSpace(tail)
	}
}

// parseSearchClause reads one `"property:value"` clause from the start of s.
func parseSearchClause(s string, searchable map[string]string) (searchClause, string, error) {
	if !strings.HasPrefix(s, `"`) {
		return searchClause{}, "", &searchError{fmt.Sprintf("Syntax error: $search clauses must be quoted as \"property:value\", found '%s'.", clip(s, 50))}
	}
	body, after, closed := strings.Cut(s[1:], `"`)
	if !closed {
		return searchClause{}, "", &searchError{"Syntax error: unterminated quoted clause in $search."}
	}
	name, value, ok := strings.Cut(body, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return searchClause{}, "", &searchError{fmt.Sprintf("Syntax error: $search clause '%s' is not of the form \"property:value\".", clip(body, 50))}
	}
	prop, known := searchable[strings.ToLower(name)]
	if !known {
		return searchClause{}, "", &searchError{fmt.Sprintf("Invalid search property '%s'.", clip(name, 100))}
	}
	words := searchWords(value)
	if len(words) == 0 {
		return searchClause{}, "", &searchError{fmt.Sprintf("Syntax error: $search clause for '%s' has no value.", prop)}
	}
	return searchClause{property: prop, words: words}, after, nil
}

// searchWords splits s on non-alphanumerics and lower→upper case changes
// and lower-cases the words.
func searchWords(s string) []string {
	var words []string
	var cur []rune
	prevLower := false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			prevLower = false
			continue
		case unicode.IsUpper(r) && prevLower:
			flush()
		}
		cur = append(cur, r)
		prevLower = unicode.IsLower(r)
	}
	flush()
	return words
}

// matches reports whether obj satisfies the expression.
func (e searchExpr) matches(obj map[string]any) bool {
	for _, and := range e {
		all := true
		for _, c := range and {
			if !c.matches(obj[c.property]) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// matches reports whether every word of the clause prefixes a word of v (a
// string or a list of strings, such as otherMails).
func (c searchClause) matches(v any) bool {
	var have []string
	switch t := v.(type) {
	case string:
		have = searchWords(t)
	case []string:
		for _, s := range t {
			have = append(have, searchWords(s)...)
		}
	case []any:
		for _, s := range t {
			if str, ok := s.(string); ok {
				have = append(have, searchWords(str)...)
			}
		}
	}
	for _, w := range c.words {
		found := false
		for _, h := range have {
			if strings.HasPrefix(h, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// searchItems applies the request's $search to items. It answers the 400
// itself and reports false when the search cannot run.
func searchItems(w http.ResponseWriter, r *http.Request, spec listSpec, items []map[string]any) ([]map[string]any, bool) {
	q := r.URL.Query().Get("$search")
	if spec.searchable == nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", "Query option '$search' is not supported by the simulator on this collection; remove it (Graph itself supports it).")
		return nil, false
	}
	if !strings.EqualFold(strings.TrimSpace(r.Header.Get("ConsistencyLevel")), "eventual") {
		writeError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery", searchConsistencyMessage)
		return nil, false
	}
	expr, err := parseSearch(q, spec.searchable)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "BadRequest", err.Error())
		return nil, false
	}
	kept := items[:0:0]
	for _, it := range items {
		if expr.matches(it) {
			kept = append(kept, it)
		}
	}
	return kept, true
}
