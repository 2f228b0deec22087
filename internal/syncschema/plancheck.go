package syncschema

import (
	"fmt"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/expression"
)

// CheckPlan checks o at plan time when the job's service principal does not
// exist yet (its application is created in the same apply), so neither the
// job's schema nor its template can be read through it.
//
// template is the template's schema when it is known anyway (the built-in
// default of the non-gallery "scim" template, or one read through another
// service principal of the same application): then o gets every check
// Check does. With template nil, only what needs no template is checked:
// source attributes (mapping sources, [attribute] references in
// expressions, scoping-filter clauses) against the Entra ID directory, which
// is the same for every template, plus the offline checks; deferred then
// names the target-side parts left for apply (object mappings for other
// source objects, target attributes, target objects).
//
// Either way the tenant's directory extensions and custom security
// attributes in t count as source attributes (all of them, so typos get
// a suggestion). Messages are the same as Check's.
func CheckPlan(template *Schema, o Overlay, t TenantAttributes, ops []FilterOperator, cat *expression.Catalog) (errs, warns []Diagnostic, deferred []string) {
	v := &validator{o: o, ops: ops, cat: cat, unverified: t.unverifiable}
	if template != nil {
		v.s = withSourceDefinitions(template, t.definitions(nil))
		errs, warns = v.run()
		return errs, warns, nil
	}
	v.s = withSourceDefinitions(entraDirectorySchema(), t.definitions(nil))
	v.sourceOnly = true
	errs, warns = v.run()
	return errs, warns, deferredTargets(v.s, o)
}

// deferredTargets lists what CheckPlan without a template leaves for apply,
// one line per object mapping or target object, in a stable order.
func deferredTargets(entra *Schema, o Overlay) []string {
	var out []string
	for _, name := range sortedKeys(o.ObjectMappings) {
		om := o.ObjectMappings[name]
		if rule, _ := entra.findObjectMapping(name); rule == nil {
			out = append(out, fmt.Sprintf("object_mappings[%q]: the source object and its mappings", name))
			continue
		}
		var parts []string
		if om.TargetObject != "" {
			parts = append(parts, fmt.Sprintf("target object %q", om.TargetObject))
		}
		if len(om.AttributeMappings) > 0 {
			parts = append(parts, "target attributes "+strings.Join(quoted(sortedKeys(om.AttributeMappings)), ", "))
		}
		if len(parts) > 0 {
			out = append(out, fmt.Sprintf("object_mappings[%q]: %s", name, strings.Join(parts, "; ")))
		}
	}
	for _, name := range sortedKeys(o.TargetAttributes) {
		out = append(out, fmt.Sprintf("target_attributes[%q]: the object and its attributes %s",
			name, strings.Join(quoted(sortedKeys(o.TargetAttributes[name])), ", ")))
	}
	return out
}

func quoted(names []string) []string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return q
}
