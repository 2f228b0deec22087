package syncschema

import _ "embed"

// SCIMTemplateID is the synchronization template of non-gallery
// ("Integrate any other application") applications.
const SCIMTemplateID = "scim"

// scimTemplateSchemaJSON is the default schema of the scim template,
// whose source directory is the Entra ID directory definition that every
// synchronization template shares.
//
//go:embed scim-template-schema.json
var scimTemplateSchemaJSON []byte

// BuiltinTemplateSchema returns a fresh copy of the built-in default schema
// of a synchronization template, or nil when there is none (only the
// non-gallery "scim" template has one; gallery templates differ per app).
func BuiltinTemplateSchema(templateID string) *Schema {
	if templateID != SCIMTemplateID {
		return nil
	}
	s, err := Parse(scimTemplateSchemaJSON)
	if err != nil {
		panic("syncschema: embedded scim-template-schema.json is invalid: " + err.Error())
	}
	return s
}

// entraDirectorySchema returns a schema that holds only the Entra ID
// directory (the source side of every outbound template) and one rule whose
// object mappings name each of its objects, so the validator resolves
// object_mappings keys ("User", "Group") to their source definitions.
func entraDirectorySchema() *Schema {
	base := BuiltinTemplateSchema(SCIMTemplateID)
	rules := base.rules()
	if len(rules) == 0 {
		panic("syncschema: embedded scim template has no synchronization rule")
	}
	srcName := str(rules[0], "sourceDirectoryName")
	dir := base.directory(srcName)
	var mappings []any
	for _, o := range objects(dir["objects"]) {
		mappings = append(mappings, map[string]any{"sourceObjectName": str(o, "name")})
	}
	return &Schema{doc: map[string]any{
		"directories":          []any{dir},
		"synchronizationRules": []any{map[string]any{"sourceDirectoryName": srcName, "objectMappings": mappings}},
	}}
}
