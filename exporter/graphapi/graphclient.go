package graphapi

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/entra-provisioning/terraform-provider-entra/internal/entra"
	"github.com/entra-provisioning/terraform-provider-entra/internal/graph"
)

// GraphClient adapts the typed Entra API (over the shared graph client:
// credentials, retries of 429/503/504 with Retry-After, $batch chunking,
// redacted logging) to Client.
type GraphClient struct {
	c *entra.Client
}

// NewGraphClient wraps c.
func NewGraphClient(c *graph.Client) *GraphClient { return &GraphClient{c: entra.New(c)} }

// Get implements Client.
func (g *GraphClient) Get(ctx context.Context, path string, out any) error {
	return convertError(g.c.GetJSON(ctx, path, out), path)
}

// Batch implements Client.
func (g *GraphClient) Batch(ctx context.Context, reqs []BatchRequest) ([]BatchResponse, error) {
	in := make([]graph.BatchRequest, len(reqs))
	for i, r := range reqs {
		in[i] = graph.BatchRequest{ID: r.ID, URL: r.URL}
	}
	resps, err := g.c.BatchGet(ctx, in)
	if err != nil {
		return nil, convertError(err, "/$batch")
	}
	out := make([]BatchResponse, len(resps))
	for i, r := range resps {
		out[i] = BatchResponse{ID: r.ID, Status: r.Status, Body: r.Body}
	}
	return out, nil
}

// TokenError is a failure to obtain an access token (authority unreachable,
// wrong secret, missing credentials).
type TokenError struct{ Err error }

func (e *TokenError) Error() string { return "obtaining a Graph access token: " + e.Err.Error() }
func (e *TokenError) Unwrap() error { return e.Err }

func convertError(err error, path string) error {
	if err == nil {
		return nil
	}
	if ge, ok := graph.AsError(err); ok {
		msg := ge.Message
		if ge.Permission != "" {
			msg += " (the identity needs " + ge.Permission + ")"
		}
		p := ge.Path
		if p == "" {
			p = path
		}
		return &Error{StatusCode: ge.StatusCode, Code: ge.Code, Message: msg, Path: p}
	}
	if graph.IsTokenError(err) {
		return &TokenError{Err: err}
	}
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &syntax) || errors.As(err, &typeErr) {
		return &MalformedError{What: "answer to GET " + path, Err: err}
	}
	return err
}
