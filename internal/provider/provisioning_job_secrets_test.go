package provider

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
)

func secretMap(pairs []entra.SecretPair) map[string]string {
	m := map[string]string{}
	for _, p := range pairs {
		m[p.Key] = p.Value
	}
	return m
}

func TestBuildSecretsKeepsUnmanagedKeysAndDropsMaskedOnes(t *testing.T) {
	existing := []entra.SecretPair{
		{Key: "Domain", Value: `{"domain":"contoso.com"}`},
		{Key: "Password", Value: "*"},
		{Key: "SecretToken", Value: "*"},
		{Key: "BaseAddress", Value: "https://old.example.com/scim"},
		{Key: "SyncNotificationSettings", Value: `{"Enabled":false,"DeleteThresholdEnabled":false,"HumanResourcesLookaheadQueryEnabled":true}`},
	}
	out, dropped := buildSecrets(existing, credentialSettings{
		TenantURL:                "https://new.example.com/scim",
		Token:                    "tok",
		NotificationEmail:        "ops@example.com",
		SendFailureNotifications: true,
		DeleteThreshold:          500,
		SyncAll:                  true,
	})
	got := secretMap(out)
	if !reflect.DeepEqual(dropped, []string{"Password"}) {
		t.Errorf("dropped = %v, want [Password]: a masked unmanaged value cannot be re-sent", dropped)
	}
	if _, ok := got["Password"]; ok {
		t.Errorf("masked Password was re-sent as %q; it would overwrite the real secret with an asterisk", got["Password"])
	}
	want := map[string]string{
		"Domain":                  `{"domain":"contoso.com"}`,
		"BaseAddress":             "https://new.example.com/scim",
		"SecretToken":             "tok",
		"SyncAll":                 "True",
		"SkipOutOfScopeDeletions": "False",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	var notif map[string]any
	if err := json.Unmarshal([]byte(got["SyncNotificationSettings"]), &notif); err != nil {
		t.Fatalf("SyncNotificationSettings is not JSON: %v", err)
	}
	wantNotif := map[string]any{
		"Enabled": true, "Recipients": "ops@example.com", "DeleteThresholdEnabled": true,
		"DeleteThresholdValue": float64(500), "HumanResourcesLookaheadQueryEnabled": true,
	}
	if !reflect.DeepEqual(notif, wantNotif) {
		t.Errorf("SyncNotificationSettings = %v, want %v (unknown fields must survive)", notif, wantNotif)
	}
}

func TestBuildSecretsNeverSendsAMaskedToken(t *testing.T) {
	out, _ := buildSecrets([]entra.SecretPair{{Key: "SecretToken", Value: "*"}}, credentialSettings{TenantURL: "https://x.example.com"})
	if v, ok := secretMap(out)["SecretToken"]; ok {
		t.Fatalf("SecretToken sent as %q without a configured token", v)
	}
}

func TestNotificationsOffWithoutEmail(t *testing.T) {
	out, _ := buildSecrets(nil, credentialSettings{TenantURL: "https://x.example.com", Token: "t", SendFailureNotifications: true})
	n := parseNotificationSettings(secretMap(out)["SyncNotificationSettings"])
	if n.Enabled || n.Recipients != "" || n.DeleteThresholdEnabled {
		t.Fatalf("notification settings = %+v, want everything off without an email or threshold", n)
	}
}

func TestBlankSecretsEmptiesManagedKeysOnly(t *testing.T) {
	existing := []entra.SecretPair{
		{Key: "BaseAddress", Value: "https://x.example.com"},
		{Key: "SecretToken", Value: "*"},
		{Key: "SyncAll", Value: "True"},
		{Key: "Domain", Value: "d"},
		{Key: "ClientSecret", Value: "*"},
	}
	out, dropped := blankSecrets(existing)
	got := secretMap(out)
	for _, k := range managedSecretKeys {
		if v, ok := got[k]; !ok || v != "" {
			t.Errorf("%s = %q (present %v), want blanked", k, v, ok)
		}
	}
	if got["Domain"] != "d" {
		t.Errorf("unmanaged Domain = %q, want kept", got["Domain"])
	}
	if !reflect.DeepEqual(dropped, []string{"ClientSecret"}) {
		t.Errorf("dropped = %v, want [ClientSecret]", dropped)
	}
}

func TestBlankSecretsKeepsUnmodelledNotificationFields(t *testing.T) {
	out, _ := blankSecrets([]entra.SecretPair{{Key: entra.SecretKeySyncNotificationSetting,
		Value: `{"Enabled":true,"Recipients":"ops@example.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":5,"HumanResourcesLookaheadQueryEnabled":true}`}})
	var got map[string]any
	if err := json.Unmarshal([]byte(secretMap(out)[entra.SecretKeySyncNotificationSetting]), &got); err != nil {
		t.Fatalf("SyncNotificationSettings is not JSON: %v", err)
	}
	want := map[string]any{"Enabled": false, "DeleteThresholdEnabled": false, "HumanResourcesLookaheadQueryEnabled": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blanked SyncNotificationSettings = %v, want %v: recipients and threshold off, the portal's own field kept", got, want)
	}
}

func TestParseSecretsRoundTrip(t *testing.T) {
	in := credentialSettings{
		TenantURL: "https://x.example.com/scim", Token: "secret", NotificationEmail: "a@b.example",
		SendFailureNotifications: true, DeleteThreshold: 42, SkipOutOfScopeDeletions: true,
	}
	out, _ := buildSecrets(nil, in)
	// Graph masks the token on read.
	for i := range out {
		if out[i].Key == entra.SecretKeySecretToken {
			out[i].Value = entra.MaskedSecretValue
		}
	}
	o := parseSecrets(out)
	want := observedCredentials{
		TenantURL: in.TenantURL, HasTenantURL: true, TokenSet: true, NotificationEmail: in.NotificationEmail,
		SendFailureNotifications: true, DeleteThreshold: 42, SkipOutOfScopeDeletions: true,
	}
	if o != want {
		t.Fatalf("parseSecrets = %+v, want %+v", o, want)
	}
}

func TestParseSecretsAcceptsGraphBooleanSpellings(t *testing.T) {
	for _, v := range []string{"True", "true", "TRUE", " True "} {
		if !parseSecrets([]entra.SecretPair{{Key: "SyncAll", Value: v}}).SyncAll {
			t.Errorf("SyncAll %q parsed as false", v)
		}
	}
	if parseSecrets([]entra.SecretPair{{Key: "SyncAll", Value: "false"}}).SyncAll {
		t.Error(`SyncAll "false" parsed as true`)
	}
}
