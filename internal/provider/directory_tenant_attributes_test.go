package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// fakeDirectory answers the two tenant-list reads and counts calls.
type fakeDirectory struct {
	calls   map[string]int
	csaFail bool
}

func (f *fakeDirectory) ListAvailableExtensionProperties(context.Context) ([]entra.ExtensionProperty, error) {
	f.calls["extensions"]++
	return []entra.ExtensionProperty{{Name: "extension_abc_costCenter", DataType: "String", TargetObjects: []string{"User"}}}, nil
}

func (f *fakeDirectory) ListCustomSecurityAttributeDefinitions(context.Context) ([]entra.CustomSecurityAttributeDefinition, error) {
	f.calls["customSecurity"]++
	if f.csaFail {
		return nil, errors.New("403 Authorization_RequestDenied")
	}
	return []entra.CustomSecurityAttributeDefinition{{ID: "Eng_Project", Type: "String", Status: "Available"}, {ID: "Eng_Old", Type: "String", Status: "Deprecated"}}, nil
}

func overlayUsing(sources ...string) syncschema.Overlay {
	m := map[string]syncschema.AttributeMapping{}
	for i, s := range sources {
		m[string(rune('a'+i))] = syncschema.AttributeMapping{Source: s}
	}
	return syncschema.Overlay{ObjectMappings: map[string]syncschema.ObjectMapping{"User": {AttributeMappings: m}}}
}

// TestTenantAttributeCacheReadsOnlyWhatIsNeededOnce: usual mappings cost
// nothing; each list is read once per cache (provider configuration);
// deprecated custom security attributes are left out; a list that cannot be
// read stays unread (its names are then accepted unchecked).
func TestTenantAttributeCacheReadsOnlyWhatIsNeededOnce(t *testing.T) {
	ctx := context.Background()
	f := &fakeDirectory{calls: map[string]int{}}
	var c tenantAttributeCache
	if got := c.tenantAttributes(ctx, f, overlayUsing("userPrincipalName")); got.ExtensionsRead || got.CustomSecurityRead || len(f.calls) != 0 {
		t.Fatalf("usual mappings: %+v after %v", got, f.calls)
	}
	for range 3 {
		got := c.tenantAttributes(ctx, f, overlayUsing("extension_abc_costCenter", "CustomSecurityAttributes.Eng_Project"))
		if !got.ExtensionsRead || len(got.Extensions) != 1 || !got.CustomSecurityRead || len(got.CustomSecurity) != 1 || got.CustomSecurity[0].ID != "Eng_Project" {
			t.Fatalf("tenant attributes = %+v", got)
		}
	}
	if f.calls["extensions"] != 1 || f.calls["customSecurity"] != 1 {
		t.Errorf("requests = %v, want one of each", f.calls)
	}

	failing := &fakeDirectory{calls: map[string]int{}, csaFail: true}
	var c2 tenantAttributeCache
	got := c2.tenantAttributes(ctx, failing, overlayUsing("CustomSecurityAttributes.Eng_Project"))
	got = c2.tenantAttributes(ctx, failing, overlayUsing("CustomSecurityAttributes.Eng_Project"))
	if got.CustomSecurityRead || failing.calls["customSecurity"] != 1 {
		t.Errorf("a failed read: %+v after %v (want unread, asked once)", got, failing.calls)
	}
	if errs, _, _ := syncschema.CheckPlan(nil, overlayUsing("CustomSecurityAttributes.Eng_Whatever"), got, nil, nil); len(errs) != 0 {
		t.Errorf("names of an unreadable list must pass unchecked: %v", errs)
	}
}
