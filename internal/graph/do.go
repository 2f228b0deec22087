package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxResponseBody bounds what Do reads from one answer (a provisioning log
// page of 1000 entries is a few MB).
const maxResponseBody = 64 << 20

// Do sends one request and decodes the answer.
//
// path is relative to {graph_endpoint}/v1.0 ("/servicePrincipals/x?$select=id"),
// or an absolute URL on the Graph host (an @odata.nextLink). body is nil,
// []byte or json.RawMessage (sent as is), or a value to marshal as JSON. out
// is nil (answer discarded), *json.RawMessage, *map[string]any (numbers kept
// as json.Number) or any pointer json can decode into. A non-2xx answer
// returns *Error; 403s name the missing permission.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	u, err := c.resolve(path)
	if err != nil {
		return err
	}
	relPath := c.relativePath(u)
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		reader = bytes.NewReader(b)
	case json.RawMessage:
		reader = bytes.NewReader(b)
	default:
		encoded, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("graph: %s %s: encoding the request body: %w", method, relPath, err)
		}
		reader = bytes.NewReader(encoded)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reader)
	if err != nil {
		return fmt.Errorf("graph: %s %s: %w", method, relPath, err)
	}
	req.Header.Set("Accept", "application/json")
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headersFrom(ctx) {
		req.Header.Set(k, v)
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return fmt.Errorf("graph: %s %s: %w", method, relPath, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	if err != nil {
		return fmt.Errorf("graph: %s %s: reading the answer (status %d): %w", method, relPath, resp.StatusCode, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newErrorFromResponse(method, relPath, resp, data)
	}
	if err := decodeInto(data, out); err != nil {
		return fmt.Errorf("graph: %s %s: decoding the answer: %w", method, relPath, err)
	}
	return nil
}

// decodeInto decodes a JSON answer into out (see Do).
func decodeInto(data []byte, out any) error {
	if out == nil {
		return nil
	}
	if raw, ok := out.(*json.RawMessage); ok {
		*raw = append((*raw)[:0], data...)
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // 204 No Content: leave out untouched
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // only affects interface{} targets: keeps int64 ids and counts exact
	return dec.Decode(out)
}

// GetAll GETs a collection and calls each for every element of "value",
// following @odata.nextLink until it is absent. Returning an error from each
// stops the walk and returns that error.
func (c *Client) GetAll(ctx context.Context, path string, each func(json.RawMessage) error) error {
	next := path
	for pages := 0; next != ""; pages++ {
		var page struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"@odata.nextLink"`
		}
		if err := c.Do(ctx, http.MethodGet, next, nil, &page); err != nil {
			return err
		}
		for _, item := range page.Value {
			if err := each(item); err != nil {
				return err
			}
		}
		if page.NextLink == next {
			return fmt.Errorf("graph: GET %s: the service returned the same @odata.nextLink twice; stopping to avoid a loop", c.relativePathString(next))
		}
		next = page.NextLink
	}
	return nil
}

// resolve turns a relative path or absolute nextLink into a URL on the Graph
// host. Absolute URLs elsewhere are refused: they would carry our token.
func (c *Client) resolve(path string) (*url.URL, error) {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		u, err := url.Parse(path)
		if err != nil {
			return nil, fmt.Errorf("graph: %q is not a valid URL: %w", path, err)
		}
		if !strings.EqualFold(u.Host, c.graphHost) {
			return nil, fmt.Errorf("graph: refusing to send a request to %s: only the configured Graph host %s receives the token", u.Host, c.graphHost)
		}
		return u, nil
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	u, err := url.Parse(c.baseURL + path)
	if err != nil {
		return nil, fmt.Errorf("graph: %q is not a valid path: %w", path, err)
	}
	return u, nil
}

// relativePath is the URL's path relative to /v1.0, for errors and hints.
func (c *Client) relativePath(u *url.URL) string {
	base, _ := url.Parse(c.baseURL)
	p := u.Path
	if base != nil {
		p = strings.TrimPrefix(p, strings.TrimRight(base.Path, "/"))
	}
	if p == "" {
		p = "/"
	}
	return p
}

func (c *Client) relativePathString(raw string) string {
	if u, err := c.resolve(raw); err == nil {
		return c.relativePath(u)
	}
	return raw
}

// unwrapURLError drops net/http's *url.Error wrapper, whose message repeats
// the method and full URL we already print.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// exists GETs path and reports whether the object is there: (false, nil) on
// 404, the error on any other failure. It is the usual find function for
// WaitUntilVisible and WaitUntilGone. Add $select to keep the answer small.
func (c *Client) exists(ctx context.Context, path string) (bool, error) {
	err := c.Do(ctx, http.MethodGet, path, nil, nil)
	switch {
	case err == nil:
		return true, nil
	case IsNotFound(err):
		return false, nil
	}
	return false, err
}

type headersKey struct{}

// withHeader returns a context whose Do/GetAll requests carry an extra
// header, e.g. withHeader(ctx, "ConsistencyLevel", "eventual") for Graph's
// advanced queries ($count, $search, some $filter forms). Authorization and
// User-Agent are set by the transport and cannot be overridden this way.
func withHeader(ctx context.Context, name, value string) context.Context {
	merged := map[string]string{}
	for k, v := range headersFrom(ctx) {
		merged[k] = v
	}
	merged[http.CanonicalHeaderKey(name)] = value
	return context.WithValue(ctx, headersKey{}, merged)
}

func headersFrom(ctx context.Context) map[string]string {
	h, _ := ctx.Value(headersKey{}).(map[string]string)
	return h
}
