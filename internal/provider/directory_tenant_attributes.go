package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/syncschema"
)

// The tenant's directory extensions and custom security attributes, which
// count as source attributes of every provisioning job. Each list is read
// at most once per provider configuration, and only when a configuration
// uses a name of its kind (extension_…, CustomSecurityAttributes.…), so a
// plan of the usual mappings costs no request for them.

// tenantAttributeReader is the part of the Entra API the lists come from.
type tenantAttributeReader interface {
	ListAvailableExtensionProperties(ctx context.Context) ([]entra.ExtensionProperty, error)
	ListCustomSecurityAttributeDefinitions(ctx context.Context) ([]entra.CustomSecurityAttributeDefinition, error)
}

// tenantAttributeCache lives on ProviderData (one per provider
// configuration). The zero value is ready to use.
type tenantAttributeCache struct {
	mu      sync.Mutex
	attrs   syncschema.TenantAttributes
	extDone bool // the extension list was requested (read or not)
	csaDone bool
}

// tenantAttributes returns the lists o needs, reading the missing ones
// once. A list that cannot be read (no permission, an older cloud) stays
// unread: its names are then accepted unchecked and the reason is logged.
func (c *tenantAttributeCache) tenantAttributes(ctx context.Context, api tenantAttributeReader, o syncschema.Overlay) syncschema.TenantAttributes {
	needExt, needCSA := syncschema.TenantLookups(o)
	c.mu.Lock()
	defer c.mu.Unlock()
	if needExt && !c.extDone {
		c.extDone = true
		if list, err := api.ListAvailableExtensionProperties(ctx); err != nil {
			tflog.Warn(ctx, "cannot list the tenant's directory extensions; extension_ source attributes are checked when the schema is saved", map[string]any{"error": err.Error()})
		} else {
			c.attrs.Extensions, c.attrs.ExtensionsRead = extensionAttributes(list), true
		}
	}
	if needCSA && !c.csaDone {
		c.csaDone = true
		if list, err := api.ListCustomSecurityAttributeDefinitions(ctx); err != nil {
			tflog.Warn(ctx, "cannot list the tenant's custom security attributes (needs CustomSecAttributeDefinition.Read.All); they are checked when the schema is saved", map[string]any{"error": err.Error()})
		} else {
			c.attrs.CustomSecurity, c.attrs.CustomSecurityRead = customSecurityAttributes(list), true
		}
	}
	return c.attrs
}

func extensionAttributes(list []entra.ExtensionProperty) []syncschema.ExtensionAttribute {
	out := make([]syncschema.ExtensionAttribute, 0, len(list))
	for _, p := range list {
		out = append(out, syncschema.ExtensionAttribute{Name: p.Name, DataType: p.DataType, MultiValued: p.IsMultiValued, TargetObjects: p.TargetObjects})
	}
	return out
}

// customSecurityAttributes keeps the active definitions: deactivated ones
// cannot be provisioned.
func customSecurityAttributes(list []entra.CustomSecurityAttributeDefinition) []syncschema.CustomSecurityAttribute {
	var out []syncschema.CustomSecurityAttribute
	for _, d := range list {
		if strings.EqualFold(d.Status, "Available") {
			out = append(out, syncschema.CustomSecurityAttribute{ID: d.ID, Type: d.Type, Collection: d.IsCollection})
		}
	}
	return out
}
