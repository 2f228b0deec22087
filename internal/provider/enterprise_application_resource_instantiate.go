package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
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
func instantiateTemplate(ctx context.Context, api *entra.Client, templateID string) (*entra.Application, *entra.ServicePrincipal, error) {
	tempName := instantiateNamePrefix + uuid.NewString()
	created, err := api.InstantiateTemplate(ctx, templateID, tempName)

	var app *entra.Application
	var sp *entra.ServicePrincipal
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
		found, findErr := findInstantiatedApplication(ctx, api, templateID, tempName, wait)
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
		if err := retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) (err error) {
			sp, err = api.FindServicePrincipalByAppID(ctx, app.AppID)
			return err
		}); err != nil {
			return app, nil, fmt.Errorf("finding the service principal of application %s: %w", app.ID, err)
		}
	}
	if err := waitVisible(ctx, "service principal "+sp.ID, func() error {
		_, err := api.FindServicePrincipal(ctx, sp.ID)
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
func findInstantiatedApplication(ctx context.Context, api *entra.Client, templateID, tempName string, wait time.Duration) (*entra.Application, error) {
	var apps []entra.Application
	err := graph.WaitUntilVisible(ctx, func(ctx context.Context) (bool, error) {
		var err error
		apps, err = api.ListApplicationsFromTemplate(ctx, templateID, tempName)
		return len(apps) > 0, err
	}, graph.WaitOptions{What: "application " + tempName + " from template " + templateID, Timeout: wait})
	if err != nil {
		return nil, err
	}
	for _, extra := range apps[1:] {
		tflog.Warn(ctx, "deleting a duplicate application created by a retried instantiate", map[string]any{"application_object_id": extra.ID})
		if err := api.DeleteApplication(ctx, extra.ID); err != nil && !graph.IsNotFound(err) {
			return nil, fmt.Errorf("deleting duplicate application %s: %w", extra.ID, err)
		}
	}
	return &apps[0], nil
}

// renameEnterpriseApplication sets the display name on both the application
// and its service principal (the portal's "Enterprise applications" list
// shows the latter). spFields are further service principal properties to
// set in the same PATCH.
func renameEnterpriseApplication(ctx context.Context, api *entra.Client, appObjectID, spID, name string, spFields map[string]any) error {
	if err := retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) error {
		return api.RenameApplication(ctx, appObjectID, name)
	}); err != nil {
		return fmt.Errorf("renaming application %s: %w", appObjectID, err)
	}
	body := map[string]any{"displayName": name}
	for k, v := range spFields {
		body[k] = v
	}
	if err := retryWhileReplicating(ctx, graph.NotFoundAfterCreate, func(ctx context.Context) error {
		return api.UpdateServicePrincipal(ctx, spID, body)
	}); err != nil {
		return fmt.Errorf("updating service principal %s: %w", spID, err)
	}
	return nil
}
