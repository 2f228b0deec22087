// Package graphsdk builds the typed msgraph-sdk-go client on top of a
// graph.Client. It is the only package that imports msgraph-sdk-go, which is
// very large: code that only needs raw JSON (the exporter) imports graph
// alone and never compiles the SDK.
package graphsdk

import (
	"errors"
	"fmt"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// New returns a GraphServiceClient whose requests go through c's
// http.Client: the same token cache, retries, redacted logging and request
// counter as c.Do, and the same base URL ({graph_endpoint}/v1.0), so custom
// endpoints such as the simulator work.
//
// The adapter uses kiota's anonymous authentication provider on purpose:
// c's transport already adds the bearer token (for the Graph host only), so
// kiota's Azure provider, with its own token fetches and host allow-list,
// would only duplicate that work.
func New(c *graph.Client) (*msgraphsdk.GraphServiceClient, error) {
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		&absauth.AnonymousAuthenticationProvider{}, nil, nil, c.HTTPClient())
	if err != nil {
		return nil, fmt.Errorf("graphsdk: building the request adapter: %w", err)
	}
	adapter.SetBaseUrl(c.BaseURL())
	return msgraphsdk.NewGraphServiceClient(adapter), nil
}

// FromSDK converts an msgraph-sdk-go error into *graph.Error (method and path
// describe the call, for the message and the 403 permission hint), so the
// graph predicates and messages are the same for raw and typed calls.
// Other errors are returned unchanged; nil stays nil.
func FromSDK(err error, method, path string) error {
	var odata *odataerrors.ODataError
	if !errors.As(err, &odata) {
		return err
	}
	e := graph.Error{StatusCode: odata.GetStatusCode(), Method: method, Path: path}
	if main := odata.GetErrorEscaped(); main != nil {
		e.Code = deref(main.GetCode())
		e.Message = deref(main.GetMessage())
		if inner := main.GetInnerError(); inner != nil {
			e.RequestID = deref(inner.GetRequestId())
			if d := inner.GetDate(); d != nil {
				e.Date = d.UTC().Format("2006-01-02T15:04:05")
			}
		}
	}
	if e.Message == "" {
		e.Message = odata.Error()
	}
	return graph.NewError(e)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
