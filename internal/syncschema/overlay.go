package syncschema

// This file declares the overlay: the part of a synchronization schema that a
// Terraform configuration manages. Everything the overlay does not mention is
// left exactly as Graph returned it.
//
// How object mappings are found: the key of Overlay.ObjectMappings is a
// source object name ("User", "Group"). It resolves to the first object
// mapping, in schema order, whose sourceObjectName equals the key, searching
// synchronizationRules in array order. A schema with several rules (rare for
// outbound SCIM apps) therefore has its later rules' mappings for the same
// source object left untouched; import and generate-config (ExtractAll) only
// describe the first rule.

// Overlay is what a configuration declares about a job's schema.
type Overlay struct {
	// ObjectMappings is keyed by source object name. Object mappings that
	// are not listed are not managed.
	ObjectMappings map[string]ObjectMapping
	// TargetAttributes is keyed by target object name (an object of the
	// rule's target directory), then attribute name. Attributes that are not
	// listed are not managed; listed attributes that do not exist are added.
	TargetAttributes map[string]map[string]TargetAttribute
}

// ObjectMapping is one row of the portal's "Mappings" list.
type ObjectMapping struct {
	// Enabled sets objectMapping.enabled; nil leaves it unchanged.
	Enabled *bool
	// TargetObject sets targetObjectName; "" leaves it unchanged.
	TargetObject string
	// ScopingFilter replaces scope.groups. nil = not managed; an empty,
	// non-nil slice removes every group. Groups are OR-ed, clauses inside a
	// group AND-ed. scope.inputFilterGroups and categoryFilterGroups are kept.
	ScopingFilter []FilterGroup
	// AttributeMappings is keyed by target attribute name. nil = not
	// managed; when non-nil exactly these mappings exist afterwards.
	AttributeMappings map[string]AttributeMapping
}

// AttributeMapping is one attribute mapping. Exactly one of Source,
// Constant and Expression is set.
type AttributeMapping struct {
	// Source is a source attribute name ("userPrincipalName").
	Source string
	// Constant is a literal value.
	Constant string
	// Expression is an Entra mapping expression ("Join(\" \", [givenName], [surname])").
	Expression string
	// DefaultValue is used when the source evaluates to null; nil and ""
	// both mean "none" (Graph returns either).
	DefaultValue *string
	// MatchingPriority > 0 makes this a matching attribute, tried in order.
	MatchingPriority int64
	// Apply is "always" (flowType Always), "on_create" (ObjectAddOnly) or ""
	// (keep the mapping's current flowType; Always for a new mapping).
	Apply string
}

// Apply values accepted in AttributeMapping.Apply.
const (
	ApplyAlways   = "always"
	ApplyOnCreate = "on_create"
)

// FilterGroup is one scoping filter: its clauses are AND-ed.
type FilterGroup struct {
	Clauses []FilterClause
}

// FilterClause is one condition of a scoping filter.
type FilterClause struct {
	// Attribute is the source attribute (sourceOperandName).
	Attribute string
	// Operator is a filterOperators name such as "EQUALS", "IS NOT NULL".
	Operator string
	// Values are the comparison values; empty for unary operators.
	Values []string
}

// TargetAttribute is an "Edit attribute list" entry. nil fields are not
// managed (and, for a new attribute, take the defaults: required false,
// type String, multivalued false, no referenced objects).
type TargetAttribute struct {
	Required    *bool
	Type        *string
	Multivalued *bool
	// ReferencedObjects lists referencedObjectName values; nil = not
	// managed, an empty slice removes every reference.
	ReferencedObjects []string
}

// AttributeTypes are the attributeDefinition.type values Graph documents.
var AttributeTypes = []string{"String", "Integer", "Reference", "Binary", "Boolean", "DateTime"}

// Diagnostic is one problem Validate found. Path uses the provider's
// attribute names, e.g. object_mappings["User"].attribute_mappings["userName"].source.
type Diagnostic struct {
	Path    string
	Summary string
	Detail  string
	// Warning marks a finding that should not block the plan (an
	// expression Entra accepts but that is probably not what was meant).
	Warning bool
}

func (d Diagnostic) String() string {
	if d.Path == "" {
		return d.Summary + ": " + d.Detail
	}
	return d.Path + ": " + d.Summary + ": " + d.Detail
}
