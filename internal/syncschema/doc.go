// Package syncschema holds a synchronization schema as raw JSON and applies
// the overlay that the provider declares (object mappings, attribute mappings,
// scoping filters, target attribute edits) without touching anything else.
//
// The schema is decoded into map[string]any with json.Decoder.UseNumber, so
// fields and enum values this project does not model survive a
// read-modify-write byte-for-byte in meaning (Graph's typed SDK models would
// drop them).
package syncschema
