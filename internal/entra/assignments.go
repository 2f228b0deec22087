package entra

import "context"

// AppRoleAssignment is an appRoleAssignment granted on a service principal.
type AppRoleAssignment struct {
	ID                   string `json:"id"`
	AppRoleID            string `json:"appRoleId"`
	PrincipalID          string `json:"principalId"`
	PrincipalType        string `json:"principalType"`
	PrincipalDisplayName string `json:"principalDisplayName"`
	ResourceID           string `json:"resourceId"`
}

// CreateAppRoleAssignment grants principalID the role roleID on the service
// principal spID.
func (c *Client) CreateAppRoleAssignment(ctx context.Context, spID, principalID, roleID string) (*AppRoleAssignment, error) {
	body := map[string]string{"principalId": principalID, "resourceId": spID, "appRoleId": roleID}
	var created AppRoleAssignment
	if err := c.post(ctx, servicePrincipalPath(spID)+"/appRoleAssignedTo", body, &created); err != nil {
		return nil, err
	}
	return &created, nil
}

// FindAppRoleAssignment reads one assignment; a removed one answers 404.
func (c *Client) FindAppRoleAssignment(ctx context.Context, spID, assignmentID string) (*AppRoleAssignment, error) {
	var a AppRoleAssignment
	if err := c.get(ctx, assignmentPath(spID, assignmentID), &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAppRoleAssignment removes one assignment.
func (c *Client) DeleteAppRoleAssignment(ctx context.Context, spID, assignmentID string) error {
	return c.delete(ctx, assignmentPath(spID, assignmentID))
}
