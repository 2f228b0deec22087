package graphsim

import (
	_ "embed"
	"net/http"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim/csdl"
)

// csdlDigestJSON is Graph's published v1.0 metadata for every type
// provisioning touches (data/graph-v1-csdl-digest.NOTES.md says where it
// comes from). It decides
// which properties a type has, which $select may name, and the JSON shape of
// every value the simulator writes.
//
//go:embed data/graph-v1-csdl-digest.json
var csdlDigestJSON []byte

// metadata is the parsed digest; immutable after package initialisation.
var metadata = mustParseMetadata()

func mustParseMetadata() *csdl.Schema {
	s, err := csdl.Parse(csdlDigestJSON)
	if err != nil {
		panic("graphsim: embedded CSDL digest is invalid: " + err.Error())
	}
	return s
}

// Metadata returns Graph's v1.0 metadata digest the simulator is built on
// (read-only), for clients and tests that validate responses against it.
func Metadata() *csdl.Schema { return metadata }

// segmentNames maps the lower-case form of every name Graph's metadata gives
// a path segment (entity sets, properties, navigation properties, bound
// operations, type casts) and of the OData literals ($count, $ref, …) to
// its canonical spelling: Graph matches path segments case-insensitively
// (/serviceprincipals, /Synchronization/Jobs), the simulator's mux does not.
var segmentNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range metadata.Names() {
		m[strings.ToLower(n)] = n
	}
	// Names the digest does not hold: OData literals and operations bound to
	// types it digests only partly.
	for _, n := range []string{"$count", "$ref", "$batch", "$value", "$metadata", "acquireAccessToken", "synchronization", "secrets"} {
		m[strings.ToLower(n)] = n
	}
	return m
}()

// canonicalSegment returns the metadata spelling of a path segment, or the
// segment itself when it is not a metadata name (an id, a template id). A
// key address such as "serviceprincipals(appId='…')" keeps its key as sent.
func canonicalSegment(seg string) string {
	name, rest := seg, ""
	if i := strings.IndexByte(seg, '('); i >= 0 {
		name, rest = seg[:i], seg[i:]
	}
	if c, ok := segmentNames[strings.ToLower(name)]; ok {
		return c + rest
	}
	return seg
}

// normalizeGraphPath rewrites a Graph path the way Graph reads it: trailing
// slashes dropped, metadata names matched case-insensitively.
func normalizeGraphPath(r *http.Request) {
	p := r.URL.Path
	for len(p) > len(graphPrefix)+1 && strings.HasSuffix(p, "/") {
		p = strings.TrimSuffix(p, "/")
	}
	segs := strings.Split(p, "/")
	for i := 2; i < len(segs); i++ { // segs[0] == "", segs[1] == "v1.0"
		segs[i] = canonicalSegment(segs[i])
	}
	if np := strings.Join(segs, "/"); np != r.URL.Path {
		r.URL.Path = np
		r.URL.RawPath = ""
	}
}

// apiVersion is "beta" for requests sent to /beta (served by the v1.0
// routes), else "v1.0".
func apiVersion(r *http.Request) string {
	if r != nil && isBeta(r) {
		return "beta"
	}
	return "v1.0"
}

// metadataURL is the service root's metadata document, the prefix of every
// @odata.context: Graph names its own public root there whatever host the
// client used, so clients that parse the context see the same value as
// against Graph.
func metadataURL(r *http.Request) string {
	return "https://graph.microsoft.com/" + apiVersion(r) + "/$metadata#"
}
