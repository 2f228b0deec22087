package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// instantiateNamePrefix marks an application whose instantiate call is in
// flight: the unique temporary name lets a create that Graph answered with
// an error be found again instead of being repeated.
const instantiateNamePrefix = "TERRAFORM_INSTANTIATE_"

// instantiateRecoveryTimeout bounds the search for an application whose
// instantiate answered 5xx or no answer at all. A 404 is the documented
// "created but not yet replicated" answer and waits
// graph.ConsistencyTimeoutNotFoundAfterCreate.
const instantiateRecoveryTimeout = 30 * time.Second

// instantiateTemplate creates the application and service principal of a
// template and returns them once both are readable. It never creates a
// second application: the POST is sent once, and when its answer is lost or
// is the 404 that hides a successful create, the objects are found by the
// temporary display name.
func instantiateTemplate(ctx context.Context, c *graph.Client, templateID string) (*applicationJSON, *servicePrincipalJSON, error) {
	tempName := instantiateNamePrefix + uuid.NewString()
	var created applicationServicePrincipalJSON
	err := c.Do(ctx, "POST", "/applicationTemplates/"+url.PathEscape(templateID)+"/instantiate",
		map[string]string{"displayName": tempName}, &created)

	var app *applicationJSON
	var sp *servicePrincipalJSON
	switch {
	case err == nil && created.Application != nil && created.ServicePrincipal != nil:
		app, sp = created.Application, created.ServicePrincipal
	case err == nil, graph.IsNotFound(err), maybeCreated(err):
		// The answer does not tell whether the objects exist: look for them.
		wait := graph.ConsistencyTimeoutNotFoundAfterCreate
		if err != nil && !graph.IsNotFound(err) {
			wait = instantiateRecoveryTimeout
		}
		tflog.Debug(ctx, "instantiate answer was not conclusive; searching for the application by its temporary name",
			map[string]any{"template_id": templateID, "display_name": tempName, "answer": fmt.Sprint(err)})
		found, findErr := findInstantiatedApplication(ctx, c, templateID, tempName, wait)
		if findErr != nil {
			if err != nil {
				return nil, nil, fmt.Errorf("instantiate answered %w, and the application it may have created was not found: %v", err, findErr)
			}
			return nil, nil, findErr
		}
		app = found
	default:
		return nil, nil, err
	}

	if sp == nil || sp.ID == "" {
		if err := retryNotFoundAfterCreate(ctx, func() error {
			var err error
			sp, err = findServicePrincipalByAppID(ctx, c, app.AppID)
			return err
		}); err != nil {
			return app, nil, fmt.Errorf("finding the service principal of application %s: %w", app.ID, err)
		}
	}
	if err := waitVisible(ctx, "service principal "+sp.ID, func() error {
		_, err := findServicePrincipalByID(ctx, c, sp.ID)
		return err
	}); err != nil {
		return app, sp, err
	}
	return app, sp, nil
}

// maybeCreated reports answers after which the instantiate may have been
// carried out: server errors and lost answers (no *graph.Error at all).
func maybeCreated(err error) bool {
	if err == nil {
		return false
	}
	if ge, ok := graph.AsError(err); ok {
		return ge.StatusCode >= 500
	}
	return !errors.Is(err, context.Canceled)
}

// findInstantiatedApplication waits for the application created under
// tempName. If a retried request somewhere created more than one, the
// extras are deleted so exactly one remains.
func findInstantiatedApplication(ctx context.Context, c *graph.Client, templateID, tempName string, wait time.Duration) (*applicationJSON, error) {
	filter := fmt.Sprintf("applicationTemplateId eq '%s' and displayName eq '%s'", odataString(templateID), odataString(tempName))
	var apps []applicationJSON
	err := graph.WaitUntilVisible(ctx, func(ctx context.Context) (bool, error) {
		var err error
		apps, err = findApplicationsByFilter(ctx, c, filter)
		return len(apps) > 0, err
	}, graph.WaitOptions{What: "application " + tempName + " from template " + templateID, Timeout: wait})
	if err != nil {
		return nil, err
	}
	for _, extra := range apps[1:] {
		tflog.Warn(ctx, "deleting a duplicate application created by a retried instantiate", map[string]any{"application_object_id": extra.ID})
		if err := c.Do(ctx, "DELETE", applicationPath(extra.ID), nil, nil); err != nil && !graph.IsNotFound(err) {
			return nil, fmt.Errorf("deleting duplicate application %s: %w", extra.ID, err)
		}
	}
	return &apps[0], nil
}

// renameEnterpriseApplication sets the display name on both the application
// and its service principal (the portal's "Enterprise applications" list
// shows the latter). spFields are further service principal properties to
// set in the same PATCH.
func renameEnterpriseApplication(ctx context.Context, c *graph.Client, appObjectID, spID, name string, spFields map[string]any) error {
	if err := retryNotFoundAfterCreate(ctx, func() error {
		return c.Do(ctx, "PATCH", applicationPath(appObjectID), map[string]string{"displayName": name}, nil)
	}); err != nil {
		return fmt.Errorf("renaming application %s: %w", appObjectID, err)
	}
	body := map[string]any{"displayName": name}
	for k, v := range spFields {
		body[k] = v
	}
	if err := retryNotFoundAfterCreate(ctx, func() error {
		return c.Do(ctx, "PATCH", servicePrincipalPath(spID), body, nil)
	}); err != nil {
		return fmt.Errorf("updating service principal %s: %w", spID, err)
	}
	return nil
}
