// Package syncschema holds a synchronization schema as raw JSON and applies
// the overlay that the provider declares (object mappings, attribute mappings,
// scoping filters, target attribute edits) without touching anything else.
//
// The schema is decoded into map[string]any with json.Decoder.UseNumber, so
// fields and enum values this project does not model survive a
// read-modify-write byte-for-byte in meaning (Graph's typed SDK models would
// drop them).
//
// A provider plan/apply uses it like this:
//
//	s, _ := syncschema.Parse(body)                       // GET …/jobs/{id}/schema
//	errs, warns := syncschema.ValidateOffline(overlay, nil, cat) // ValidateConfig: no schema needed
//	errs, warns = syncschema.Check(s, overlay, ops, cat)   // plan time, against the job's schema
//	errs, warns, deferred := syncschema.CheckPlan(nil, overlay, tenant, ops, cat) // plan time, application not created yet
//	next, _ := syncschema.Apply(s, overlay, cat)         // only declared parts change
//	if !syncschema.EquivalentSchemas(s, next) { PUT next.MarshalJSON() }
//	state := syncschema.Extract(s, &overlay)             // refresh, in the declared shape
//
// Import and generate-config use ExtractAll (mappings of the first rule) and
// DiffFromTemplate (target attribute edits relative to the template).
// overlay.go explains how object mappings are resolved. The package makes
// no Graph calls: internal/entra reads and writes schemas, this package only
// reasons about them.
package syncschema
