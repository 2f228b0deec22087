package expression

import "strconv"

// functionRules holds the per-function constraints of the function
// reference that a parameter list cannot express. It runs after the
// argument count has been checked.
func (v *validator) functionRules(n, parent *Node) {
	switch n.Name {
	case "SelectUniqueValue":
		if len(n.Args) < 2 {
			v.errorf(n.Pos, "`SelectUniqueValue` needs at least 2 rules to choose between; got %d", len(n.Args))
		}
		if parent != nil {
			v.errorf(n.Pos, "`SelectUniqueValue` must be the outermost function of the expression")
		}
	case "Split":
		if len(n.Args) < 2 || n.Args[1] == nil {
			v.warnf(n.Pos, "`Split` without a delimiter: the function reference requires one, e.g. Split([proxyAddresses], \",\")")
		}
	case "Replace":
		v.replaceRule(n)
	case "IIF":
		v.iifRule(n)
	case "RandomString":
		v.randomStringRule(n)
	case "Item":
		if len(n.Args) == 2 && constantInt(n.Args[1]) == 0 {
			v.warnf(n.Args[1].Pos, "`Item` counts from 1; index 0 does not select an item")
		}
	}
}

// iifRule: the function reference lists IIF conditions that test a source
// attribute for emptiness as unsupported — when the attribute is empty or
// null the condition check itself fails — and recommends Switch with an ""
// key instead.
func (v *validator) iifRule(n *Node) {
	if len(n.Args) == 0 || n.Args[0] == nil {
		return
	}
	cond := n.Args[0]
	var attr *Node
	switch {
	case cond.Operator && len(cond.Args) == 2:
		for i, side := range cond.Args {
			other := cond.Args[1-i]
			if side != nil && side.Kind == Constant && side.Name == "" && other != nil && other.Kind == Attribute {
				attr = other
			}
		}
	case cond.Kind == Function && (cond.Name == "IsPresent" || cond.Name == "IsNull" || cond.Name == "IsNullOrEmpty"):
		if len(cond.Args) == 1 && cond.Args[0] != nil && cond.Args[0].Kind == Attribute {
			attr = cond.Args[0]
		}
	}
	if attr != nil {
		a := Format(attr)
		v.warnf(cond.Pos, "the function reference lists this IIF condition as unsupported: the condition check fails when %s is empty or null; use Switch(%s, %s, \"\", \"<value if empty>\") instead", a, a, a)
	}
}

// replaceRule: the documented Replace forms pair something to find (Find
// or RegularExpression) with something to put instead (Replacement,
// ReplacementPropertyName or Template).
func (v *validator) replaceRule(n *Node) {
	given := func(i int) bool { return i < len(n.Args) && n.Args[i] != nil }
	find := given(1) || given(2)
	with := given(4) || given(5) || given(6)
	if !find || !with {
		v.warnf(n.Pos, "`Replace` does nothing useful without something to find (argument 2 oldValue or 3 regexPattern) and something to put instead (argument 5 replacementValue, 6 replacementAttributeName or 7 template), e.g. Replace([preferredLanguage], \"-\", , , \"_\", , )")
	}
}

// randomStringRule: Length is at most 256 and at least the sum of the
// minimum counts, when they are all literal numbers.
func (v *validator) randomStringRule(n *Node) {
	if len(n.Args) < 5 {
		return
	}
	var nums [5]int
	for i := range nums {
		nums[i] = constantInt(n.Args[i])
		if nums[i] < 0 {
			return
		}
	}
	if nums[0] > 256 {
		v.errorf(n.Args[0].Pos, "`RandomString` length is at most 256; got %d", nums[0])
	}
	if sum := nums[1] + nums[2] + nums[3] + nums[4]; sum > nums[0] {
		v.errorf(n.Pos, "`RandomString` length %d is shorter than the minimum counts it must contain (%d)", nums[0], sum)
	}
}

// constantInt returns a constant argument's non-negative integer value, or -1.
func constantInt(a *Node) int {
	if a == nil || a.Kind != Constant {
		return -1
	}
	i, err := strconv.Atoi(a.Name)
	if err != nil || i < 0 {
		return -1
	}
	return i
}
