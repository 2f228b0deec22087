package provider

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

// This file turns the credential settings of entra_provisioning_job into the
// service principal's synchronization secrets and back. It is pure (no Graph
// calls) so the merge rules can be unit tested.
//
// Graph's PUT …/synchronization/secrets replaces the whole set, and GET masks
// secret values as "*". The rules, safest first:
//   - keys this resource does not manage are sent back unchanged, except
//     masked ones: their value cannot be read, and re-sending "*" would
//     overwrite the real secret with an asterisk, so they are dropped and the
//     caller warns (listing them) instead;
//   - SecretToken is only ever sent with a value from the configuration
//     (secret_token, or secret_token_wo from the apply request), never "*";
//   - SyncNotificationSettings is a JSON object in a string: fields this
//     resource does not model (e.g. HumanResourcesLookaheadQueryEnabled) are
//     kept.

// managedSecretKeys are the keys entra_provisioning_job owns; destroy blanks them.
var managedSecretKeys = []string{entra.SecretKeyBaseAddress, entra.SecretKeySecretToken, entra.SecretKeySyncNotificationSetting, entra.SecretKeySyncAll, entra.SecretKeySkipOutOfScopeDeletions}

func isManagedSecretKey(key string) bool {
	for _, k := range managedSecretKeys {
		if k == key {
			return true
		}
	}
	return false
}

// credentialSettings are the Provisioning blade's "Admin Credentials" and
// "Settings" values held in secrets.
type credentialSettings struct {
	TenantURL string
	// Token is the bearer token to send; "" means none is known (the
	// existing value, if any, cannot be kept; see buildSecrets).
	Token                    string
	NotificationEmail        string // "" = no recipient
	SendFailureNotifications bool
	DeleteThreshold          int64 // 0 = accidental-deletion prevention off
	SyncAll                  bool
	SkipOutOfScopeDeletions  bool
}

// notificationSettings is SyncNotificationSettings decoded; unknown fields
// are kept in Other so a PUT does not lose them.
type notificationSettings struct {
	Enabled                bool
	Recipients             string
	DeleteThresholdEnabled bool
	DeleteThresholdValue   int64
	Other                  map[string]json.RawMessage
}

func parseNotificationSettings(s string) notificationSettings {
	var n notificationSettings
	raw := map[string]json.RawMessage{}
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return n
	}
	take := func(key string, into any) {
		if v, ok := raw[key]; ok {
			_ = json.Unmarshal(v, into)
			delete(raw, key)
		}
	}
	take("Enabled", &n.Enabled)
	take("Recipients", &n.Recipients)
	take("DeleteThresholdEnabled", &n.DeleteThresholdEnabled)
	take("DeleteThresholdValue", &n.DeleteThresholdValue)
	n.Other = raw
	return n
}

func (n notificationSettings) String() string {
	m := map[string]any{}
	for k, v := range n.Other {
		m[k] = v
	}
	m["Enabled"] = n.Enabled
	m["DeleteThresholdEnabled"] = n.DeleteThresholdEnabled
	if n.Recipients != "" {
		m["Recipients"] = n.Recipients
	}
	if n.DeleteThresholdValue > 0 {
		m["DeleteThresholdValue"] = n.DeleteThresholdValue
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(m) // map keys are sorted: deterministic output
	return strings.TrimSpace(buf.String())
}

// graphBool formats a bool the way .NET (and Graph) writes it in secrets.
func graphBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func parseGraphBool(s string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(s))
	return b
}

// buildSecrets returns the full secret set to PUT: existing unmanaged keys
// plus the managed keys from s. dropped lists the unmanaged keys whose
// masked values could not be kept.
func buildSecrets(existing []entra.SecretPair, s credentialSettings) (out []entra.SecretPair, dropped []string) {
	var notif notificationSettings
	for _, p := range existing {
		switch {
		case p.Key == entra.SecretKeySyncNotificationSetting:
			notif = parseNotificationSettings(p.Value)
		case isManagedSecretKey(p.Key):
			// Replaced below.
		case p.Value == entra.MaskedSecretValue:
			dropped = append(dropped, p.Key)
		default:
			out = append(out, p)
		}
	}
	notif.Recipients = s.NotificationEmail
	notif.Enabled = s.NotificationEmail != "" && s.SendFailureNotifications
	notif.DeleteThresholdEnabled = s.DeleteThreshold > 0
	if s.DeleteThreshold > 0 {
		notif.DeleteThresholdValue = s.DeleteThreshold
	}
	out = append(out, entra.SecretPair{Key: entra.SecretKeyBaseAddress, Value: s.TenantURL})
	if s.Token != "" {
		out = append(out, entra.SecretPair{Key: entra.SecretKeySecretToken, Value: s.Token})
	}
	out = append(out,
		entra.SecretPair{Key: entra.SecretKeySyncNotificationSetting, Value: notif.String()},
		entra.SecretPair{Key: entra.SecretKeySyncAll, Value: graphBool(s.SyncAll)},
		entra.SecretPair{Key: entra.SecretKeySkipOutOfScopeDeletions, Value: graphBool(s.SkipOutOfScopeDeletions)},
	)
	sort.Strings(dropped)
	return out, dropped
}

// blankSecrets returns the secret set to PUT on destroy: every managed key
// with an empty value (so no token remains even if Graph merged instead of
// replacing) and the unmanaged, unmasked keys unchanged. Fields of
// SyncNotificationSettings that this resource does not model (set in the
// portal) are kept, with the notifications and the deletion threshold off.
func blankSecrets(existing []entra.SecretPair) (out []entra.SecretPair, dropped []string) {
	notification := ""
	for _, p := range existing {
		switch {
		case p.Key == entra.SecretKeySyncNotificationSetting:
			if other := parseNotificationSettings(p.Value).Other; len(other) > 0 {
				notification = notificationSettings{Other: other}.String()
			}
		case isManagedSecretKey(p.Key):
		case p.Value == entra.MaskedSecretValue:
			dropped = append(dropped, p.Key)
		default:
			out = append(out, p)
		}
	}
	for _, k := range managedSecretKeys {
		v := ""
		if k == entra.SecretKeySyncNotificationSetting {
			v = notification
		}
		out = append(out, entra.SecretPair{Key: k, Value: v})
	}
	sort.Strings(dropped)
	return out, dropped
}

// observedCredentials is what a secrets GET says about the managed keys.
type observedCredentials struct {
	TenantURL                string
	HasTenantURL             bool
	TokenSet                 bool   // SecretToken present and non-empty (masked or not)
	TokenClear               string // the value when Graph returned it unmasked
	NotificationEmail        string
	SendFailureNotifications bool
	DeleteThreshold          int64 // 0 = off
	SyncAll                  bool
	SkipOutOfScopeDeletions  bool
}

func parseSecrets(pairs []entra.SecretPair) observedCredentials {
	var o observedCredentials
	for _, p := range pairs {
		switch p.Key {
		case entra.SecretKeyBaseAddress:
			o.TenantURL, o.HasTenantURL = p.Value, p.Value != ""
		case entra.SecretKeySecretToken:
			o.TokenSet = p.Value != ""
			if p.Value != entra.MaskedSecretValue {
				o.TokenClear = p.Value
			}
		case entra.SecretKeySyncNotificationSetting:
			n := parseNotificationSettings(p.Value)
			o.NotificationEmail = n.Recipients
			o.SendFailureNotifications = n.Enabled
			if n.DeleteThresholdEnabled {
				o.DeleteThreshold = n.DeleteThresholdValue
			}
		case entra.SecretKeySyncAll:
			o.SyncAll = parseGraphBool(p.Value)
		case entra.SecretKeySkipOutOfScopeDeletions:
			o.SkipOutOfScopeDeletions = parseGraphBool(p.Value)
		}
	}
	return o
}
