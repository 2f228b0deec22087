package entra

import (
	"context"
	"encoding/json"
	"fmt"
)

// AppRole is one role an application declares.
type AppRole struct {
	ID                 string   `json:"id"`
	DisplayName        string   `json:"displayName"`
	Value              *string  `json:"value"`
	IsEnabled          bool     `json:"isEnabled"`
	AllowedMemberTypes []string `json:"allowedMemberTypes"`
}

// ServicePrincipal is the part of a servicePrincipal (the enterprise
// application) this project reads. Nothing is written back from it, so
// fields it leaves out cannot be lost.
type ServicePrincipal struct {
	ID                        string    `json:"id"`
	AppID                     string    `json:"appId"`
	DisplayName               string    `json:"displayName"`
	AppRoleAssignmentRequired bool      `json:"appRoleAssignmentRequired"`
	ApplicationTemplateID     *string   `json:"applicationTemplateId"`
	AppRoles                  []AppRole `json:"appRoles"`
}

// Application is the part of an application (the app registration) this
// project reads.
type Application struct {
	ID          string `json:"id"`
	AppID       string `json:"appId"`
	DisplayName string `json:"displayName"`
}

// FindServicePrincipal reads a service principal; a deleted one answers 404.
func (c *Client) FindServicePrincipal(ctx context.Context, id string) (*ServicePrincipal, error) {
	var sp ServicePrincipal
	if err := c.get(ctx, servicePrincipalPath(id), &sp); err != nil {
		return nil, err
	}
	return &sp, nil
}

// FindServicePrincipalByAppID returns the service principal of an
// application, or a 404-shaped error when there is none.
func (c *Client) FindServicePrincipalByAppID(ctx context.Context, appID string) (*ServicePrincipal, error) {
	found, err := listAll[ServicePrincipal](ctx, c, "/servicePrincipals"+filterQuery(fmt.Sprintf("appId eq '%s'", odataString(appID))), "servicePrincipal")
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, notFound("/servicePrincipals", "no service principal has appId "+appID)
	}
	return &found[0], nil
}

// UpdateServicePrincipal PATCHes the given properties (Graph names).
func (c *Client) UpdateServicePrincipal(ctx context.Context, id string, fields map[string]any) error {
	return c.patch(ctx, servicePrincipalPath(id), fields)
}

// FindApplicationByAppID returns the application object behind a service
// principal, or a 404-shaped error when this tenant has none.
func (c *Client) FindApplicationByAppID(ctx context.Context, appID string) (*Application, error) {
	apps, err := c.listApplications(ctx, fmt.Sprintf("appId eq '%s'", odataString(appID)))
	if err != nil {
		return nil, err
	}
	if len(apps) == 0 {
		return nil, notFound("/applications", "no application has appId "+appID)
	}
	return &apps[0], nil
}

// ListApplicationsFromTemplate lists the applications instantiated from
// templateID under displayName (normally zero or one).
func (c *Client) ListApplicationsFromTemplate(ctx context.Context, templateID, displayName string) ([]Application, error) {
	return c.listApplications(ctx, fmt.Sprintf("applicationTemplateId eq '%s' and displayName eq '%s'", odataString(templateID), odataString(displayName)))
}

func (c *Client) listApplications(ctx context.Context, filter string) ([]Application, error) {
	return listAll[Application](ctx, c, "/applications"+filterQuery(filter), "application")
}

// RenameApplication sets the application's display name.
func (c *Client) RenameApplication(ctx context.Context, id, displayName string) error {
	return c.patch(ctx, applicationPath(id), map[string]string{"displayName": displayName})
}

// DeleteApplication soft-deletes an application and with it its service
// principal.
func (c *Client) DeleteApplication(ctx context.Context, id string) error {
	return c.delete(ctx, applicationPath(id))
}

// PurgeDeletedApplication removes a soft-deleted application for good.
func (c *Client) PurgeDeletedApplication(ctx context.Context, id string) error {
	return c.delete(ctx, deletedItemPath(id))
}

// listAll follows every page of a collection and decodes each item into T.
func listAll[T any](ctx context.Context, c *Client, path, what string) ([]T, error) {
	var out []T
	err := c.g.GetAll(ctx, path, func(raw json.RawMessage) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decoding a %s: %w", what, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
