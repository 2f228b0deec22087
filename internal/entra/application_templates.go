package entra

import (
	"context"
	"fmt"
	"strings"
)

// ApplicationTemplate is a gallery entry (applicationTemplate).
type ApplicationTemplate struct {
	ID                         string   `json:"id"`
	DisplayName                string   `json:"displayName"`
	Publisher                  string   `json:"publisher"`
	Description                string   `json:"description"`
	Categories                 []string `json:"categories"`
	SupportedProvisioningTypes []string `json:"supportedProvisioningTypes"`
	SupportedSingleSignOnModes []string `json:"supportedSingleSignOnModes"`
}

// FindApplicationTemplate reads one gallery entry by id.
func (c *Client) FindApplicationTemplate(ctx context.Context, id string) (*ApplicationTemplate, error) {
	var t ApplicationTemplate
	if err := c.get(ctx, applicationTemplatePath(id), &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// ListApplicationTemplatesByName returns the templates whose display name
// equals name case-insensitively. Graph's eq may or may not be
// case-sensitive, so the comparison is repeated here.
func (c *Client) ListApplicationTemplatesByName(ctx context.Context, name string) ([]ApplicationTemplate, error) {
	all, err := listAll[ApplicationTemplate](ctx, c, "/applicationTemplates"+filterQuery(fmt.Sprintf("displayName eq '%s'", odataString(name))), "applicationTemplate")
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, t := range all {
		if strings.EqualFold(t.DisplayName, name) {
			out = append(out, t)
		}
	}
	return out, nil
}

// ListApplicationTemplateNames lists the display names of the whole gallery
// (paged, so it is meant for error paths such as "did you mean").
func (c *Client) ListApplicationTemplateNames(ctx context.Context) ([]string, error) {
	all, err := listAll[ApplicationTemplate](ctx, c, "/applicationTemplates?$select=id,displayName", "applicationTemplate")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(all))
	for _, t := range all {
		if t.DisplayName != "" {
			names = append(names, t.DisplayName)
		}
	}
	return names, nil
}

// Instantiated is what instantiate answers: the new application and its
// service principal. Either may be nil when Graph's answer omits it.
type Instantiated struct {
	Application      *Application      `json:"application"`
	ServicePrincipal *ServicePrincipal `json:"servicePrincipal"`
}

// InstantiateTemplate creates an application and service principal from a
// template under displayName. The POST is sent once (graph does not retry
// POSTs), so a caller that sees an inconclusive answer must look for the
// objects rather than send it again.
func (c *Client) InstantiateTemplate(ctx context.Context, templateID, displayName string) (*Instantiated, error) {
	var out Instantiated
	if err := c.post(ctx, applicationTemplatePath(templateID)+"/instantiate", map[string]string{"displayName": displayName}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
