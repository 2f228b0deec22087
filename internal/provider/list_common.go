package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// List resources (Terraform 1.14+, `terraform query`) find objects in the
// tenant and return each one's identity and, when the CLI asks for it
// (`-generate-config-out`), the resource object an import would produce:
// they run the managed resource's own Read on a state holding only the
// import attributes, exactly what `terraform import` does, so the generated
// configuration plans with no changes after the import.

// listedObject is one object a list resource found.
type listedObject struct {
	DisplayName string
	// Identity values, in identitySpec order.
	Identity []string
	// ImportState is the state attributes an import of it sets.
	ImportState map[string]string
}

// listEmitter turns listed objects into list results.
type listEmitter struct {
	req  list.ListRequest
	spec identitySpec
	// read runs the managed resource's Read; nil when IncludeResource is false.
	read func(ctx context.Context, state tfsdk.State) (tfsdk.State, diag.Diagnostics)
	// afterRead adds what only an import's Read fills in (may be nil).
	afterRead func(ctx context.Context, state *tfsdk.State, diags *diag.Diagnostics)
}

// newListEmitter prepares the Read of r when the CLI wants resource objects.
func newListEmitter(req list.ListRequest, spec identitySpec, newResource func() resource.Resource, data *ProviderData) listEmitter {
	e := listEmitter{req: req, spec: spec}
	if !req.IncludeResource {
		return e
	}
	r := newResource()
	if rc, ok := r.(resource.ResourceWithConfigure); ok {
		var cresp resource.ConfigureResponse
		rc.Configure(context.Background(), resource.ConfigureRequest{ProviderData: data}, &cresp)
	}
	e.read = func(ctx context.Context, state tfsdk.State) (tfsdk.State, diag.Diagnostics) {
		resp := resource.ReadResponse{State: tfsdk.State{Schema: state.Schema, Raw: state.Raw.Copy()}}
		r.Read(ctx, resource.ReadRequest{State: state}, &resp)
		return resp.State, resp.Diagnostics
	}
	return e
}

// result builds one list result; ok is false when the object vanished
// between listing and reading it (it is skipped).
func (e listEmitter) result(ctx context.Context, o listedObject) (list.ListResult, bool) {
	res := e.req.NewListResult(ctx)
	res.DisplayName = o.DisplayName
	res.Diagnostics.Append(e.spec.setIdentity(ctx, res.Identity, o.Identity)...)
	if e.read == nil || res.Diagnostics.HasError() {
		// Without the resource object Terraform wants none at all.
		res.Resource = nil
		return res, true
	}
	state := tfsdk.State{Schema: e.req.ResourceSchema, Raw: tftypes.NewValue(e.req.ResourceSchema.Type().TerraformType(ctx), nil)}
	for name, v := range o.ImportState {
		res.Diagnostics.Append(state.SetAttribute(ctx, path.Root(name), v)...)
	}
	if res.Diagnostics.HasError() {
		return res, true
	}
	read, diags := e.read(ctx, state)
	res.Diagnostics.Append(diags...)
	if res.Diagnostics.HasError() {
		return res, true
	}
	if read.Raw.IsNull() {
		return res, false // deleted since it was listed
	}
	if e.afterRead != nil {
		e.afterRead(ctx, &read, &res.Diagnostics)
	}
	res.Resource.Raw = read.Raw
	return res, true
}

// stream emits objects, honouring the CLI's limit.
func (e listEmitter) stream(ctx context.Context, objects []listedObject) func(func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		sent := int64(0)
		for _, o := range objects {
			if e.req.Limit > 0 && sent >= e.req.Limit {
				return
			}
			res, ok := e.result(ctx, o)
			if !ok {
				continue
			}
			sent++
			if !push(res) {
				return
			}
		}
	}
}

// listError is a stream of one error.
func listError(summary string, err error) func(func(list.ListResult) bool) {
	var diags diag.Diagnostics
	addGraphError(&diags, summary, err)
	return list.ListResultsStreamDiagnostics(diags)
}
