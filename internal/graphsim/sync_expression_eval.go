package graphsim

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
	"github.com/google/uuid"
)

// The evaluator runs attribute-mapping expressions (parsed by
// internal/expression) against a source object. It is simulator-only: values
// are nil (null: not provisioned), a string, or []string for multi-valued
// attributes; booleans are the strings "True"/"False" as in Entra.

// evalEnv is what an expression can read.
type evalEnv struct {
	attr func(name string) any // nil when absent
	now  time.Time
}

// evalError is an evaluation failure (unknown function, bad argument).
type evalError struct{ msg string }

func (e *evalError) Error() string { return e.msg }

func evalErrorf(format string, args ...any) error {
	return &evalError{fmt.Sprintf(format, args...)}
}

// evaluate evaluates n.
func evaluate(n *expression.Node, env *evalEnv) (any, error) {
	if n == nil {
		return nil, nil
	}
	switch n.Kind {
	case expression.Attribute:
		return normalizeValue(env.attr(n.Name)), nil
	case expression.Constant:
		return n.Name, nil
	case expression.Function:
		if n.Operator {
			ok, err := compare(n, env)
			if err != nil {
				return nil, err
			}
			return boolString(ok), nil
		}
		fn := evalFunctions[n.Name]
		if fn == nil {
			return nil, evalErrorf("function %q is not supported by the simulator's evaluator", n.Name)
		}
		return fn(n.Args, env)
	}
	return nil, evalErrorf("unknown expression node kind %d", n.Kind)
}

// normalizeValue maps source attribute values onto the evaluator's types.
func normalizeValue(v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return t
	case bool:
		return boolString(t)
	case []string:
		return t
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s := scalarString(normalizeValue(e)); s != "" {
				out = append(out, s)
			}
		}
		return out
	default:
		return fmt.Sprint(t)
	}
}

func boolString(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// scalarString returns a value as one string (first value of a list).
func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []string:
		if len(t) > 0 {
			return t[0]
		}
	}
	return ""
}

func isNullOrEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []string:
		return len(t) == 0
	}
	return false
}

// arg evaluates argument i (nil when omitted or absent).
func arg(args []*expression.Node, i int, env *evalEnv) (any, error) {
	if i >= len(args) || args[i] == nil {
		return nil, nil
	}
	return evaluate(args[i], env)
}

// argString evaluates argument i as a string; ok is false when it is null.
func argString(args []*expression.Node, i int, env *evalEnv) (string, bool, error) {
	v, err := arg(args, i, env)
	if err != nil || v == nil {
		return "", false, err
	}
	return scalarString(v), true, nil
}

// argInt evaluates argument i as an integer (decimal or &H hex).
func argInt(args []*expression.Node, i int, env *evalEnv, fn string) (int, error) {
	s, ok, err := argString(args, i, env)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, evalErrorf("%s: argument %d is required and must be an integer", fn, i+1)
	}
	return parseInteger(s, fn)
}

func parseInteger(s, fn string) (int, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "&H") || strings.HasPrefix(s, "&h") {
		n, err := strconv.ParseInt(s[2:], 16, 64)
		if err != nil {
			return 0, evalErrorf("%s: %q is not a hex integer", fn, s)
		}
		return int(n), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, evalErrorf("%s: %q is not an integer", fn, s)
	}
	return n, nil
}

// mapString applies f to a string or to each value of a list; null stays null.
func mapString(v any, f func(string) string) any {
	switch t := v.(type) {
	case string:
		return f(t)
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			out[i] = f(s)
		}
		return out
	}
	return nil
}

// unaryString builds a function of one string source argument.
func unaryString(f func(string) string) evalFunc {
	return func(args []*expression.Node, env *evalEnv) (any, error) {
		v, err := arg(args, 0, env)
		if err != nil {
			return nil, err
		}
		return mapString(v, f), nil
	}
}

type evalFunc func(args []*expression.Node, env *evalEnv) (any, error)

var evalFunctions map[string]evalFunc

func init() {
	evalFunctions = map[string]evalFunc{
		"Append":              fnAppend,
		"Prepend":             fnPrepend,
		"Join":                fnJoin,
		"Mid":                 fnMid,
		"Left":                fnLeft,
		"Replace":             fnReplace,
		"Switch":              fnSwitch,
		"IIF":                 fnIIF,
		"Coalesce":            fnCoalesce,
		"ToLower":             unaryString(strings.ToLower),
		"ToUpper":             unaryString(strings.ToUpper),
		"StripSpaces":         unaryString(func(s string) string { return strings.ReplaceAll(s, " ", "") }),
		"NormalizeDiacritics": unaryString(normalizeDiacritics),
		"ConvertToBase64":     unaryString(toBase64UTF16),
		"ConvertToUTF8Hex":    unaryString(func(s string) string { return hex.EncodeToString([]byte(s)) }),
		"Redact":              unaryString(func(s string) string { return s }), // redacts logs only
		"CStr":                unaryString(func(s string) string { return s }),
		"Split":               fnSplit,
		"Not":                 fnNot,
		"CBool":               fnCBool,
		"IsNull":              predicate(func(v any) bool { return v == nil }),
		"IsNothing":           predicate(func(v any) bool { return v == nil }),
		"IsNullOrEmpty":       predicate(isNullOrEmpty),
		"IsPresent":           predicate(func(v any) bool { return !isNullOrEmpty(v) }),
		"IsString":            predicate(func(v any) bool { _, ok := v.(string); return ok }),
		"IgnoreFlowIfNullOrEmpty": func(args []*expression.Node, env *evalEnv) (any, error) {
			v, err := arg(args, 0, env)
			if err != nil || isNullOrEmpty(v) {
				return nil, err
			}
			return v, nil
		},
		"Count":             fnCount,
		"Item":              fnItem,
		"RemoveDuplicates":  fnRemoveDuplicates,
		"Word":              fnWord,
		"PCase":             fnPCase,
		"InStr":             fnInStr,
		"BitAnd":            fnBitAnd,
		"Guid":              func([]*expression.Node, *evalEnv) (any, error) { return uuid.NewString(), nil },
		"Now":               func(_ []*expression.Node, env *evalEnv) (any, error) { return env.now.UTC().Format(time.RFC3339), nil },
		"DefaultDomain":     func([]*expression.Node, *evalEnv) (any, error) { return "graphsim.onmicrosoft.com", nil },
		"RandomString":      fnRandomString,
		"SelectUniqueValue": fnCoalesce, // no uniqueness check against the target in the simulator
		"FormatDateTime":    fnFormatDateTime,
		"CDate":             fnCDate,
		"DateAdd":           fnDateAdd,
		"DateDiff":          fnDateDiff,
		"DateFromNum":       fnDateFromNum,
		"NumFromDate":       fnNumFromDate,
		// App role functions read the appRoleAssignments attribute, which the
		// simulator's users do not carry: they evaluate to null.
		"AppRoleAssignments":                 nullFunction,
		"AppRoleAssignmentsComplex":          nullFunction,
		"AssertiveAppRoleAssignmentsComplex": nullFunction,
		"SingleAppRoleAssignment":            nullFunction,
	}
}

func nullFunction([]*expression.Node, *evalEnv) (any, error) { return nil, nil }

func predicate(p func(any) bool) evalFunc {
	return func(args []*expression.Node, env *evalEnv) (any, error) {
		v, err := arg(args, 0, env)
		if err != nil {
			return nil, err
		}
		return boolString(p(v)), nil
	}
}

func fnAppend(args []*expression.Node, env *evalEnv) (any, error) {
	v, err := arg(args, 0, env)
	if err != nil || v == nil {
		return nil, err
	}
	suffix, _, err := argString(args, 1, env)
	return mapString(v, func(s string) string { return s + suffix }), err
}

func fnPrepend(args []*expression.Node, env *evalEnv) (any, error) {
	prefix, _, err := argString(args, 0, env)
	if err != nil {
		return nil, err
	}
	v, err := arg(args, 1, env)
	return mapString(v, func(s string) string { return prefix + s }), err
}

func fnJoin(args []*expression.Node, env *evalEnv) (any, error) {
	sep, _, err := argString(args, 0, env)
	if err != nil {
		return nil, err
	}
	var parts []string
	for i := 1; i < len(args); i++ {
		v, err := arg(args, i, env)
		if err != nil {
			return nil, err
		}
		switch t := v.(type) {
		case string:
			if t != "" {
				parts = append(parts, t)
			}
		case []string:
			parts = append(parts, t...)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	return strings.Join(parts, sep), nil
}

func fnMid(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	start, err := argInt(args, 1, env, "Mid")
	if err != nil {
		return nil, err
	}
	length, err := argInt(args, 2, env, "Mid")
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	if start < 1 || length < 0 {
		return nil, evalErrorf("Mid: start must be ≥ 1 and length ≥ 0")
	}
	if start > len(r) {
		return "", nil
	}
	end := min(start-1+length, len(r))
	return string(r[start-1 : end]), nil
}

func fnLeft(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	n, err := argInt(args, 1, env, "Left")
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	if n < 0 {
		n = 0
	}
	return string(r[:min(n, len(r))]), nil
}

// fnReplace follows the parameter list source, Find, RegularExpression,
// RegularExpressionGroupName, Replacement, ReplacementPropertyName, Template.
func fnReplace(args []*expression.Node, env *evalEnv) (any, error) {
	v, err := arg(args, 0, env)
	if err != nil {
		return nil, err
	}
	var p [7]string
	var has [7]bool
	for i := 1; i < 7; i++ {
		if p[i], has[i], err = argString(args, i, env); err != nil {
			return nil, err
		}
	}
	replacement := p[4]
	if has[5] {
		replacement = scalarString(normalizeValue(env.attr(p[5])))
	}
	if has[6] { // Template: the source value replaces Find inside Template.
		if !has[1] || v == nil {
			return nil, nil
		}
		return strings.ReplaceAll(p[6], p[1], scalarString(v)), nil
	}
	if v == nil {
		return nil, nil
	}
	switch {
	case has[1]:
		return mapString(v, func(s string) string { return strings.ReplaceAll(s, p[1], replacement) }), nil
	case has[2]:
		re, err := regexp.Compile(p[2])
		if err != nil {
			return nil, evalErrorf("Replace: invalid regular expression %q: %v", p[2], err)
		}
		if has[3] {
			idx := re.SubexpIndex(p[3])
			if idx < 0 {
				return nil, evalErrorf("Replace: the regular expression has no group %q", p[3])
			}
			return mapString(v, func(s string) string {
				m := re.FindStringSubmatchIndex(s)
				if m == nil || m[2*idx] < 0 {
					return s
				}
				return s[:m[2*idx]] + replacement + s[m[2*idx+1]:]
			}), nil
		}
		return mapString(v, func(s string) string { return re.ReplaceAllLiteralString(s, replacement) }), nil
	}
	return v, nil
}

// fnSwitch: Switch(source, defaultValue, key1, value1, key2, value2, …);
// keys compare case-sensitively.
func fnSwitch(args []*expression.Node, env *evalEnv) (any, error) {
	src, _, err := argString(args, 0, env)
	if err != nil {
		return nil, err
	}
	if len(args) > 2 && (len(args)-2)%2 != 0 {
		return nil, evalErrorf("Switch: expects key/value pairs after the default value")
	}
	for i := 2; i+1 < len(args); i += 2 {
		key, _, err := argString(args, i, env)
		if err != nil {
			return nil, err
		}
		if key == src {
			return arg(args, i+1, env)
		}
	}
	return arg(args, 1, env)
}

func fnIIF(args []*expression.Node, env *evalEnv) (any, error) {
	cond, err := truthy(args, 0, env)
	if err != nil {
		return nil, err
	}
	if cond {
		return arg(args, 1, env)
	}
	return arg(args, 2, env)
}

// truthy evaluates a condition argument: a comparison, or a "True"/"False"
// value. A null operand makes the condition false (documented for IIF).
func truthy(args []*expression.Node, i int, env *evalEnv) (bool, error) {
	if i >= len(args) || args[i] == nil {
		return false, evalErrorf("a condition is required")
	}
	if args[i].Kind == expression.Function && args[i].Operator {
		return compare(args[i], env)
	}
	v, err := evaluate(args[i], env)
	if err != nil {
		return false, err
	}
	return strings.EqualFold(scalarString(v), "true"), nil
}

// compare evaluates left op right (= <> < <= > >=); numbers compare
// numerically, everything else as case-sensitive strings.
func compare(n *expression.Node, env *evalEnv) (bool, error) {
	l, err := arg(n.Args, 0, env)
	if err != nil {
		return false, err
	}
	r, err := arg(n.Args, 1, env)
	if err != nil {
		return false, err
	}
	if isNullOrEmpty(l) || r == nil {
		return false, nil
	}
	ls, rs := scalarString(l), scalarString(r)
	c := strings.Compare(ls, rs)
	if lf, err1 := strconv.ParseFloat(ls, 64); err1 == nil {
		if rf, err2 := strconv.ParseFloat(rs, 64); err2 == nil {
			c = 0
			if lf < rf {
				c = -1
			} else if lf > rf {
				c = 1
			}
		}
	}
	switch n.Name {
	case "=":
		return c == 0, nil
	case "<>":
		return c != 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return false, evalErrorf("unknown comparison operator %q", n.Name)
}

func fnCoalesce(args []*expression.Node, env *evalEnv) (any, error) {
	for i := range args {
		v, err := arg(args, i, env)
		if err != nil {
			return nil, err
		}
		if !isNullOrEmpty(v) {
			return v, nil
		}
	}
	return nil, nil
}

func fnSplit(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	delim, has, err := argString(args, 1, env)
	if err != nil {
		return nil, err
	}
	if !has {
		delim = ","
	}
	return strings.Split(s, delim), nil
}

func fnNot(args []*expression.Node, env *evalEnv) (any, error) {
	b, err := truthy(args, 0, env)
	if err != nil {
		return nil, err
	}
	return boolString(!b), nil
}

func fnCBool(args []*expression.Node, env *evalEnv) (any, error) {
	b, err := truthy(args, 0, env)
	if err != nil {
		return nil, err
	}
	return boolString(b), nil
}

func listOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []string:
		return t
	}
	return nil
}

func fnCount(args []*expression.Node, env *evalEnv) (any, error) {
	v, err := arg(args, 0, env)
	return strconv.Itoa(len(listOf(v))), err
}

func fnItem(args []*expression.Node, env *evalEnv) (any, error) {
	v, err := arg(args, 0, env)
	if err != nil {
		return nil, err
	}
	i, err := argInt(args, 1, env, "Item")
	if err != nil {
		return nil, err
	}
	l := listOf(v)
	if i < 1 || i > len(l) {
		return nil, nil
	}
	return l[i-1], nil
}

func fnRemoveDuplicates(args []*expression.Node, env *evalEnv) (any, error) {
	v, err := arg(args, 0, env)
	if err != nil || v == nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []string{}
	for _, s := range listOf(v) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

func fnWord(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	n, err := argInt(args, 1, env, "Word")
	if err != nil {
		return nil, err
	}
	delims, _, err := argString(args, 2, env)
	if err != nil {
		return nil, err
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	if n < 1 || n > len(words) {
		return nil, nil
	}
	return words[n-1], nil
}

func fnPCase(args []*expression.Node, env *evalEnv) (any, error) {
	s, ok, err := argString(args, 0, env)
	if err != nil || !ok {
		return nil, err
	}
	seps, has, err := argString(args, 1, env)
	if err != nil {
		return nil, err
	}
	if !has {
		seps = " "
	}
	out := []rune(strings.ToLower(s))
	start := true
	for i, r := range out {
		if strings.ContainsRune(seps, r) {
			start = true
			continue
		}
		if start {
			out[i] = unicode.ToUpper(r)
		}
		start = false
	}
	return string(out), nil
}

func fnInStr(args []*expression.Node, env *evalEnv) (any, error) {
	a, okA, err := argString(args, 0, env)
	if err != nil {
		return nil, err
	}
	b, okB, err := argString(args, 1, env)
	if err != nil || !okA || !okB {
		return nil, err
	}
	start := 1
	if len(args) > 2 && args[2] != nil {
		if start, err = argInt(args, 2, env, "InStr"); err != nil {
			return nil, err
		}
	}
	mode, _, _ := argString(args, 3, env)
	if strings.EqualFold(mode, "vbTextCompare") {
		a, b = strings.ToLower(a), strings.ToLower(b)
	}
	if start < 1 || start > len(a)+1 {
		return "0", nil
	}
	i := strings.Index(a[start-1:], b)
	if i < 0 {
		return "0", nil
	}
	return strconv.Itoa(i + start), nil
}

func fnBitAnd(args []*expression.Node, env *evalEnv) (any, error) {
	a, err := argInt(args, 0, env, "BitAnd")
	if err != nil {
		return nil, err
	}
	b, err := argInt(args, 1, env, "BitAnd")
	if err != nil {
		return nil, err
	}
	return strconv.Itoa(a & b), nil
}

func fnRandomString(args []*expression.Node, env *evalEnv) (any, error) {
	n, err := argInt(args, 0, env, "RandomString")
	if err != nil {
		return nil, err
	}
	if n < 1 || n > 256 {
		return nil, evalErrorf("RandomString: Length must be between 1 and 256")
	}
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b), nil
}

// toBase64UTF16 matches Entra's ConvertToBase64, which encodes UTF-16LE.
func toBase64UTF16(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

var diacritics = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "æ", "ae", "ç", "c",
	"è", "e", "é", "e", "ê", "e", "ë", "e", "ì", "i", "í", "i", "î", "i", "ï", "i",
	"ñ", "n", "ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o", "ù", "u",
	"ú", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y", "ß", "ss",
	"À", "A", "Á", "A", "Â", "A", "Ã", "A", "Ä", "A", "Å", "A", "Æ", "AE", "Ç", "C",
	"È", "E", "É", "E", "Ê", "E", "Ë", "E", "Ì", "I", "Í", "I", "Î", "I", "Ï", "I",
	"Ñ", "N", "Ò", "O", "Ó", "O", "Ô", "O", "Õ", "O", "Ö", "O", "Ø", "O", "Ù", "U",
	"Ú", "U", "Û", "U", "Ü", "U", "Ý", "Y",
)

func normalizeDiacritics(s string) string { return diacritics.Replace(s) }
