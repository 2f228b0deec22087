package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// redacted replaces every secret value in logs.
const redacted = "[REDACTED]"

// maxLoggedBody bounds how much of a body a trace entry carries.
const maxLoggedBody = 64 << 10

// sensitiveHeaders never appear in logs with their values.
var sensitiveHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// sensitiveFieldNames are JSON property and form field names whose values are
// secrets wherever they appear (lower-cased).
var sensitiveFieldNames = map[string]bool{
	"access_token":     true,
	"refresh_token":    true,
	"id_token":         true,
	"client_secret":    true,
	"client_assertion": true,
	"assertion":        true,
	"password":         true,
	"secret":           true,
	"secrettoken":      true,
	"clientsecret":     true,
	"token":            true,
	"secrettext":       true, // passwordCredentials
}

// publicSecretKeys are synchronization secret keys whose values are settings,
// not credentials; on secret-bearing routes every other key is redacted, so a
// key Graph adds tomorrow is hidden by default.
var publicSecretKeys = map[string]bool{
	"BaseAddress":              true,
	"SyncAll":                  true,
	"SyncNotificationSettings": true,
	"SkipOutOfScopeDeletions":  true,
	"Url":                      true,
	"Domain":                   true,
	"InstanceName":             true,
	"Sandbox":                  true,
	"SandboxName":              true,
	"SystemOfRecord":           true,
	"AuthenticationType":       true,
	"Server":                   true,
	"EnforceDomain":            true,
	"ValidateDomain":           true,
	"SingleSignOnType":         true,
	"SynchronizationSchedule":  true,
}

// isSecretKey reports synchronization secret keys that hold credentials
// (SecretToken, Password, ClientSecret, Oauth2*, …) on any route.
func isSecretKey(key string) bool {
	lk := strings.ToLower(key)
	return strings.HasPrefix(lk, "oauth2") || strings.Contains(lk, "secret") || strings.Contains(lk, "password") ||
		strings.Contains(lk, "token") || lk == "appkey" || lk == "consumerkey" || lk == "connectionstring"
}

// secretBearingPath reports routes whose bodies carry credentials: the
// synchronization secrets, Test Connection, OAuth token acquisition and the
// authority's token endpoint.
func secretBearingPath(path string) bool {
	lp := strings.ToLower(path)
	return strings.Contains(lp, "/synchronization/secrets") || strings.Contains(lp, "validatecredentials") ||
		strings.Contains(lp, "acquireaccesstoken") || strings.Contains(lp, "/oauth2/") || strings.HasSuffix(lp, "/token")
}

// redactHeaders renders headers for a log entry with credentials removed.
func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if sensitiveHeaders[http.CanonicalHeaderKey(k)] {
			out[k] = redacted
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}

// redactBody renders a request or response body for a log entry. JSON bodies
// have secret values replaced; form bodies (token requests) have credential
// fields replaced; anything else on a secret-bearing route is dropped whole.
// knownSecrets (e.g. the bearer token of this request) are scrubbed from the
// result as a last line of defence.
func redactBody(path, contentType string, body []byte, knownSecrets ...string) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	sensitive := secretBearingPath(path)
	var out string
	switch {
	case strings.Contains(contentType, "application/x-www-form-urlencoded"):
		out = redactForm(body)
	case json.Valid(body):
		out = redactJSON(body, sensitive)
	case sensitive:
		return fmt.Sprintf("%s (%d bytes)", redacted, len(body))
	default:
		out = string(body)
	}
	for _, s := range knownSecrets {
		if len(s) >= 8 { // short strings would mangle unrelated text
			out = strings.ReplaceAll(out, s, redacted)
		}
	}
	if len(out) > maxLoggedBody {
		out = out[:maxLoggedBody] + fmt.Sprintf("… (%d bytes in all)", len(out))
	}
	return out
}

func redactForm(body []byte) string {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return fmt.Sprintf("%s (unparseable form, %d bytes)", redacted, len(body))
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.Join(values[k], ",")
		if sensitiveFieldNames[strings.ToLower(k)] || isSecretKey(k) {
			v = redacted
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, "&")
}

func redactJSON(body []byte, sensitivePath bool) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Sprintf("%s (undecodable JSON, %d bytes)", redacted, len(body))
	}
	v = redactValue(v, sensitivePath)
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%s (%d bytes)", redacted, len(body))
	}
	return string(out)
}

func redactValue(v any, sensitivePath bool) any {
	switch t := v.(type) {
	case map[string]any:
		// {"key":"SecretToken","value":"…"} pairs (secrets, validateCredentials).
		if key, ok := t["key"].(string); ok {
			if _, hasValue := t["value"]; hasValue && (isSecretKey(key) || (sensitivePath && !publicSecretKeys[key])) {
				t["value"] = redacted
			}
		}
		for k, val := range t {
			if sensitiveFieldNames[strings.ToLower(k)] {
				t[k] = redacted
				continue
			}
			t[k] = redactValue(val, sensitivePath)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i], sensitivePath)
		}
		return t
	}
	return v
}
