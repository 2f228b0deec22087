package graphsim

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// compiledSchema is what the engine needs from a synchronization schema:
// parsed expressions, target attribute types and scoping filters. Compiling
// is also the structural validation of PUT …/schema.
type compiledSchema struct {
	ruleIDs []string
	user    *compiledMapping // the enabled User mapping of the first rule, if any
	group   *compiledMapping // the enabled Group mapping of the first rule, if any
}

type compiledMapping struct {
	name, sourceObject, targetObject string
	attrs                            []compiledAttr
	matching                         *compiledAttr // lowest matchingPriority ≥ 1
	scope                            [][]filterClause
}

type compiledAttr struct {
	target       string
	node         *expression.Node
	defaultValue string
	hasDefault   bool
	addOnly      bool // flowType ObjectAddOnly: only on create
	targetType   string
	multivalued  bool
	priority     int
}

type filterClause struct {
	operator, attribute string
	values              []string
	re                  *regexp.Regexp
}

// objectIndex is a directory's objects by name → attribute name
// (lowercase) → attribute definition.
type objectIndex map[string]map[string]map[string]any

// compileSchema validates the structure of a schema and compiles it.
func compileSchema(schema map[string]any) (*compiledSchema, error) {
	dirs, ok := schema["directories"].([]any)
	if !ok || len(dirs) == 0 {
		return nil, fmt.Errorf("schema.directories must be a non-empty array of directory definitions")
	}
	byDir := map[string]objectIndex{}
	for i, d := range dirs {
		dm := asMap(d)
		name, _ := dm["name"].(string)
		if name == "" {
			return nil, fmt.Errorf("schema.directories[%d] has no name", i)
		}
		objs, ok := dm["objects"].([]any)
		if !ok {
			return nil, fmt.Errorf("directory %q: objects must be an array", name)
		}
		idx := objectIndex{}
		for j, o := range objs {
			om := asMap(o)
			oname, _ := om["name"].(string)
			if oname == "" {
				return nil, fmt.Errorf("directory %q: objects[%d] has no name", name, j)
			}
			attrs := map[string]map[string]any{}
			for k, a := range asSlice(om["attributes"]) {
				am := asMap(a)
				an, _ := am["name"].(string)
				if an == "" {
					return nil, fmt.Errorf("directory %q object %q: attributes[%d] has no name", name, oname, k)
				}
				attrs[strings.ToLower(an)] = am
			}
			idx[oname] = attrs
		}
		byDir[name] = idx
	}
	rules, ok := schema["synchronizationRules"].([]any)
	if !ok || len(rules) == 0 {
		return nil, fmt.Errorf("schema.synchronizationRules must be a non-empty array")
	}
	out := &compiledSchema{}
	for i, r := range rules {
		rm := asMap(r)
		id, _ := rm["id"].(string)
		if id == "" {
			return nil, fmt.Errorf("synchronizationRules[%d] has no id", i)
		}
		out.ruleIDs = append(out.ruleIDs, id)
		srcName, _ := rm["sourceDirectoryName"].(string)
		tgtName, _ := rm["targetDirectoryName"].(string)
		src, tgt := byDir[srcName], byDir[tgtName]
		if src == nil || tgt == nil {
			return nil, fmt.Errorf("rule %q: sourceDirectoryName %q and targetDirectoryName %q must name directories of the schema", id, srcName, tgtName)
		}
		for j, om := range asSlice(rm["objectMappings"]) {
			m, err := compileMapping(asMap(om), src, tgt)
			if err != nil {
				return nil, fmt.Errorf("rule %q objectMappings[%d]: %w", id, j, err)
			}
			enabled, _ := asMap(om)["enabled"].(bool)
			if i > 0 || !enabled {
				continue
			}
			switch {
			case strings.EqualFold(m.sourceObject, "User") && out.user == nil:
				out.user = m
			case strings.EqualFold(m.sourceObject, "Group") && out.group == nil:
				out.group = m
			}
		}
	}
	return out, nil
}

func compileMapping(om map[string]any, src, tgt objectIndex) (*compiledMapping, error) {
	m := &compiledMapping{}
	m.name, _ = om["name"].(string)
	m.sourceObject, _ = om["sourceObjectName"].(string)
	m.targetObject, _ = om["targetObjectName"].(string)
	srcAttrs, tgtAttrs := src[m.sourceObject], tgt[m.targetObject]
	if srcAttrs == nil {
		return nil, fmt.Errorf("sourceObjectName %q is not an object of the source directory", m.sourceObject)
	}
	if tgtAttrs == nil {
		return nil, fmt.Errorf("targetObjectName %q is not an object of the target directory", m.targetObject)
	}
	for k, a := range asSlice(om["attributeMappings"]) {
		am := asMap(a)
		target, _ := am["targetAttributeName"].(string)
		def := tgtAttrs[strings.ToLower(target)]
		if def == nil {
			return nil, fmt.Errorf("attributeMappings[%d]: target attribute %q is not defined on %q (add it to the target object's attributes first)", k, target, m.targetObject)
		}
		node, err := mappingSourceNode(asMap(am["source"]))
		if err != nil {
			return nil, fmt.Errorf("attributeMappings[%d] (%s): %w", k, target, err)
		}
		if err := checkSourceAttributes(node, srcAttrs, m.sourceObject); err != nil {
			return nil, fmt.Errorf("attributeMappings[%d] (%s): %w", k, target, err)
		}
		ca := compiledAttr{target: target, node: node, priority: asInt(am["matchingPriority"])}
		ca.targetType, _ = def["type"].(string)
		ca.multivalued, _ = def["multivalued"].(bool)
		if dv, ok := am["defaultValue"].(string); ok && dv != "" {
			ca.defaultValue, ca.hasDefault = dv, true
		}
		ca.addOnly = am["flowType"] == "ObjectAddOnly"
		m.attrs = append(m.attrs, ca)
	}
	for i := range m.attrs {
		a := &m.attrs[i]
		if a.priority >= 1 && (m.matching == nil || a.priority < m.matching.priority) {
			m.matching = a
		}
	}
	scope, err := compileScope(asMap(om["scope"]), srcAttrs)
	if err != nil {
		return nil, err
	}
	m.scope = scope
	return m, nil
}

// maxExpressionLength is Entra's documented limit on mapping expressions.
const maxExpressionLength = 10_000

// mappingSourceNode parses an attributeMappingSource: its expression text
// when present (the canonical form), else its tree.
func mappingSourceNode(src map[string]any) (*expression.Node, error) {
	if src == nil {
		return nil, fmt.Errorf("source is required (an attributeMappingSource object)")
	}
	if text, _ := src["expression"].(string); strings.TrimSpace(text) != "" {
		if len(text) > maxExpressionLength {
			return nil, fmt.Errorf("the expression is %d characters long; Entra limits expressions to %d", len(text), maxExpressionLength)
		}
		n, perr := expression.Parse(text)
		if perr == nil {
			return n, checkFunctions(n)
		}
		if n2, ferr := expression.FromSource(src); ferr == nil {
			return n2, checkFunctions(n2)
		}
		return nil, fmt.Errorf("expression %q does not parse: %v", text, perr)
	}
	n, err := expression.FromSource(src)
	if err != nil {
		return nil, fmt.Errorf("source tree is invalid: %v", err)
	}
	return n, checkFunctions(n)
}

// checkFunctions rejects calls to functions the catalog does not know or
// with an argument count the function does not accept.
func checkFunctions(n *expression.Node) error {
	cat := expression.DefaultCatalog()
	var err error
	expression.Walk(n, func(x, _ *expression.Node, _ int) {
		if err != nil || x.Kind != expression.Function || x.Operator {
			return
		}
		spec, ok := cat.Lookup(x.Name)
		if !ok {
			err = fmt.Errorf("unknown function %q (see …/schema/functions)", x.Name)
			return
		}
		if min, max := spec.MinArgs(), spec.MaxArgs(); len(x.Args) < min || (max >= 0 && len(x.Args) > max) {
			err = fmt.Errorf("%s takes %s, got %d arguments", x.Name, spec.Signature(), len(x.Args))
		}
	})
	return err
}

func checkSourceAttributes(n *expression.Node, attrs map[string]map[string]any, object string) error {
	var err error
	expression.Walk(n, func(x, _ *expression.Node, _ int) {
		if err == nil && x.Kind == expression.Attribute && attrs[strings.ToLower(x.Name)] == nil {
			err = fmt.Errorf("source attribute [%s] is not defined on %q", x.Name, object)
		}
	})
	return err
}

// compileScope compiles a scoping filter: groups are ORed, clauses ANDed.
func compileScope(scope map[string]any, srcAttrs map[string]map[string]any) ([][]filterClause, error) {
	var out [][]filterClause
	for gi, g := range asSlice(scope["groups"]) {
		var clauses []filterClause
		for ci, c := range asSlice(asMap(g)["clauses"]) {
			cm := asMap(c)
			fc := filterClause{}
			fc.operator, _ = cm["operatorName"].(string)
			fc.attribute, _ = cm["sourceOperandName"].(string)
			if !knownFilterOperators[fc.operator] {
				return nil, fmt.Errorf("scope.groups[%d].clauses[%d]: unknown operatorName %q (see …/schema/filterOperators)", gi, ci, fc.operator)
			}
			if srcAttrs[strings.ToLower(fc.attribute)] == nil {
				return nil, fmt.Errorf("scope.groups[%d].clauses[%d]: sourceOperandName %q is not a source attribute", gi, ci, fc.attribute)
			}
			for _, v := range asSlice(asMap(cm["targetOperand"])["values"]) {
				fc.values = append(fc.values, asString(v))
			}
			if fc.operator == "REGEX MATCH" || fc.operator == "NOT REGEX MATCH" {
				if len(fc.values) == 0 {
					return nil, fmt.Errorf("scope.groups[%d].clauses[%d]: %s needs a pattern in targetOperand.values", gi, ci, fc.operator)
				}
				re, err := regexp.Compile(fc.values[0])
				if err != nil {
					return nil, fmt.Errorf("scope.groups[%d].clauses[%d]: invalid regular expression %q: %v", gi, ci, fc.values[0], err)
				}
				fc.re = re
			}
			clauses = append(clauses, fc)
		}
		if len(clauses) > 0 {
			out = append(out, clauses)
		}
	}
	return out, nil
}
