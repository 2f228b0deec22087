package entra

import (
	"context"
	"encoding/json"
)

// ExtensionProperty is a directory extension registered in the tenant
// (extensionProperty).
type ExtensionProperty struct {
	Name          string   `json:"name"` // extension_<appId without dashes>_<name>
	DataType      string   `json:"dataType"`
	IsMultiValued bool     `json:"isMultiValued"`
	TargetObjects []string `json:"targetObjects"`
}

// ListAvailableExtensionProperties lists every directory extension
// registered in the tenant, including through multitenant apps
// (POST /directoryObjects/getAvailableExtensionProperties, a read action).
func (c *Client) ListAvailableExtensionProperties(ctx context.Context) ([]ExtensionProperty, error) {
	var out struct {
		Value []ExtensionProperty `json:"value"`
	}
	if err := c.post(ctx, "/directoryObjects/getAvailableExtensionProperties", json.RawMessage(`{}`), &out); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// CustomSecurityAttributeDefinition is one custom security attribute of the
// tenant (customSecurityAttributeDefinition).
type CustomSecurityAttributeDefinition struct {
	ID           string `json:"id"` // <attributeSet>_<name>
	AttributeSet string `json:"attributeSet"`
	Name         string `json:"name"`
	Type         string `json:"type"`   // String, Integer, Boolean
	Status       string `json:"status"` // Available or Deprecated
	IsCollection bool   `json:"isCollection"`
}

// ListCustomSecurityAttributeDefinitions lists the tenant's custom security
// attribute definitions (GET /directory/customSecurityAttributeDefinitions;
// needs CustomSecAttributeDefinition.Read.All).
func (c *Client) ListCustomSecurityAttributeDefinitions(ctx context.Context) ([]CustomSecurityAttributeDefinition, error) {
	return listAll[CustomSecurityAttributeDefinition](ctx, c, "/directory/customSecurityAttributeDefinitions", "customSecurityAttributeDefinition")
}
