package syncschema

import "fmt"

// scopeGroupNamePrefix names groups this package creates. Names are derived
// from the group's position so a re-apply of the same configuration writes
// the same names.
const scopeGroupNamePrefix = "Scoping filter "

// applyScope replaces objectMapping.scope.groups with the declared groups.
// An existing group whose clauses already mean the same keeps its JSON (and
// its name); inputFilterGroups, categoryFilterGroups and any unknown scope
// fields are kept.
func applyScope(mapping map[string]any, declared []FilterGroup) {
	scope, _ := mapping["scope"].(map[string]any)
	existing := objects(scopeGroups(scope))
	if groupsEqual(readGroups(existing), declared) {
		return
	}
	if scope == nil {
		if len(declared) == 0 {
			return // no scope and none wanted: leave "scope": null alone
		}
		scope = map[string]any{"categoryFilterGroups": []any{}, "inputFilterGroups": []any{}}
		mapping["scope"] = scope
	}
	used := map[int]bool{}
	names := map[string]bool{}
	groups := make([]any, len(declared))
	for i, g := range declared {
		for j, e := range existing {
			if !used[j] && clausesEqual(readClauses(e), g.Clauses) {
				used[j] = true
				groups[i] = e
				names[str(e, "name")] = true
				break
			}
		}
	}
	for i, g := range declared {
		if groups[i] != nil {
			continue
		}
		name := uniqueGroupName(i, names)
		names[name] = true
		groups[i] = newGroup(name, g)
	}
	scope["groups"] = groups
}

func scopeGroups(scope map[string]any) any {
	if scope == nil {
		return nil
	}
	return scope["groups"]
}

func uniqueGroupName(i int, taken map[string]bool) string {
	name := fmt.Sprintf("%s%d", scopeGroupNamePrefix, i+1)
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s%d (%d)", scopeGroupNamePrefix, i+1, n)
	}
	return name
}

func newGroup(name string, g FilterGroup) map[string]any {
	clauses := make([]any, len(g.Clauses))
	for i, c := range g.Clauses {
		values := make([]any, len(c.Values))
		for j, v := range c.Values {
			values[j] = v
		}
		clauses[i] = map[string]any{
			"operatorName":      c.Operator,
			"sourceOperandName": c.Attribute,
			"targetOperand":     map[string]any{"values": values},
		}
	}
	return map[string]any{"name": name, "clauses": clauses}
}

// readGroups converts Graph filter groups to the overlay form.
func readGroups(groups []map[string]any) []FilterGroup {
	out := make([]FilterGroup, 0, len(groups))
	for _, g := range groups {
		out = append(out, FilterGroup{Clauses: readClauses(g)})
	}
	return out
}

func readClauses(group map[string]any) []FilterClause {
	raw := objects(group["clauses"])
	out := make([]FilterClause, 0, len(raw))
	for _, c := range raw {
		// Values stays nil for a clause without values (IS TRUE, IS NULL…),
		// so import and generate-config write no `values = []`.
		fc := FilterClause{Attribute: str(c, "sourceOperandName"), Operator: str(c, "operatorName")}
		if op, ok := c["targetOperand"].(map[string]any); ok {
			vals, _ := op["values"].([]any)
			for _, v := range vals {
				if s, ok := v.(string); ok {
					fc.Values = append(fc.Values, s)
				} else {
					fc.Values = append(fc.Values, fmt.Sprint(v))
				}
			}
		}
		out = append(out, fc)
	}
	return out
}

// groupsEqual compares positionally: group and clause order is what the
// configuration wrote and what Extract returns.
func groupsEqual(a, b []FilterGroup) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !clausesEqual(a[i].Clauses, b[i].Clauses) {
			return false
		}
	}
	return true
}

func clausesEqual(a, b []FilterClause) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Attribute != b[i].Attribute || a[i].Operator != b[i].Operator || !stringsEqual(a[i].Values, b[i].Values) {
			return false
		}
	}
	return true
}

func stringsEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
