package graph

import (
	"net/url"
	"regexp"
	"strings"
)

// idPlaceholder replaces object ids, job ids, template ids and other
// per-object segments in normalised routes.
const idPlaceholder = "{id}"

// collectionSegments are Graph path segments followed by an object id. The
// segment after one of these is replaced by {id} unless it is a known
// action or function name below.
var collectionSegments = map[string]bool{
	"applicationTemplates": true,
	"applications":         true,
	"servicePrincipals":    true,
	"appRoleAssignedTo":    true,
	"appRoleAssignments":   true,
	"jobs":                 true,
	"templates":            true,
	"directories":          true,
	"users":                true,
	"groups":               true,
	"members":              true,
	"owners":               true,
	"provisioning":         true, // /auditLogs/provisioning/{id}
	"deletedItems":         true,
}

// actionSegments are names that may follow a collection segment but are
// operations, not ids (e.g. POST …/jobs/validateCredentials).
var actionSegments = map[string]bool{
	"validateCredentials":              true,
	"delta":                            true,
	"getByIds":                         true,
	"getAvailableExtensionProperties":  true,
	"validateProperties":               true,
	"microsoft.graph.application":      true,
	"microsoft.graph.servicePrincipal": true,
	"microsoft.graph.user":             true,
	"microsoft.graph.group":            true,
}

var (
	guidPattern = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// keyPredicate matches OData key predicates like (appId='…') or ('…').
	keyPredicate = regexp.MustCompile(`\(([A-Za-z]+=)?'[^']*'\)`)
)

// Route normalises a request to "METHOD /path/with/{id}/placeholders", the key
// used by the request counter and the permission table. path may be relative
// to /v1.0, start with /v1.0, or be an absolute URL (an @odata.nextLink); the
// query string is dropped.
func Route(method, path string) string {
	return strings.ToUpper(method) + " " + normalisePath(path)
}

func normalisePath(p string) string {
	if u, err := url.Parse(p); err == nil && u.IsAbs() {
		p = u.EscapedPath()
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if unescaped, err := url.PathUnescape(p); err == nil {
		p = unescaped
	}
	p = strings.TrimPrefix(p, "/v1.0")
	p = strings.TrimPrefix(p, "/beta")
	segments := strings.Split(strings.Trim(p, "/"), "/")
	for i, seg := range segments {
		switch {
		case seg == "":
			continue
		case keyPredicate.MatchString(seg):
			// servicePrincipals(appId='x') → servicePrincipals(appId={id})
			segments[i] = keyPredicate.ReplaceAllStringFunc(seg, func(m string) string {
				if eq := strings.Index(m, "="); eq > 0 {
					return m[:eq+1] + idPlaceholder + ")"
				}
				return "(" + idPlaceholder + ")"
			})
		case i > 0 && collectionSegments[segments[i-1]] && !actionSegments[seg] && !strings.HasPrefix(seg, "$"):
			segments[i] = idPlaceholder
		case guidPattern.MatchString(seg):
			segments[i] = guidPattern.ReplaceAllString(seg, idPlaceholder)
		}
	}
	return "/" + strings.Join(segments, "/")
}
