package graphsim

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// The engine's HTTP client calls tenant URLs. It trusts the system roots plus
// the simulator's own CA (so its SCIM targets work), uses short timeouts, and
// only dials loopback addresses: the simulator must never be a way to reach
// other hosts.

const (
	targetDialTimeout    = 3 * time.Second
	targetRequestTimeout = 10 * time.Second
	maxTargetResponse    = 1 << 20
)

// targetClient returns the engine's HTTP client, building it on first use.
// Caller holds s.mu.
func (s *Sim) targetClient() *http.Client {
	if s.sync.client != nil {
		return s.sync.client
	}
	pool := s.sync.targetCAs
	if pool == nil {
		pool, _ = x509.SystemCertPool()
		if pool == nil {
			pool = x509.NewCertPool()
		}
		if f := s.ready.CAFile; f != "" {
			if pem, err := os.ReadFile(f); err == nil {
				pool.AppendCertsFromPEM(pem)
			}
		}
	}
	dialer := &net.Dialer{Timeout: targetDialTimeout}
	s.sync.client = &http.Client{
		Timeout: targetRequestTimeout,
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			MaxIdleConnsPerHost: engineWorkers * 2,
			IdleConnTimeout:     30 * time.Second,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
				if err != nil {
					return nil, err
				}
				for _, ip := range ips {
					if !ip.IP.IsLoopback() {
						return nil, fmt.Errorf("%s resolves to %s, which is not a loopback address; the simulator only contacts local SCIM endpoints", host, ip.IP)
					}
				}
				return dialer.DialContext(ctx, network, addr)
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return s.sync.client
}

// targetCall is one request to a tenant URL.
type targetCall struct {
	client *http.Client
	base   string
	token  string
}

// targetResponse is a completed HTTP exchange with the target.
type targetResponse struct {
	status int
	body   []byte
}

// errTargetUnreachable marks transport failures (refused, reset, TLS, DNS,
// timeout): the whole cycle fails.
type errTargetUnreachable struct{ err error }

func (e *errTargetUnreachable) Error() string { return e.err.Error() }

// do sends method path (relative to the tenant URL) with an optional JSON
// body. Transport failures return *errTargetUnreachable.
func (c *targetCall) do(ctx context.Context, method, path string, body any) (*targetResponse, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.base, "/")+path, rd)
	if err != nil {
		return nil, &errTargetUnreachable{fmt.Errorf("invalid tenant URL %q: %w", c.base, err)}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/scim+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	req.Header.Set("User-Agent", "Microsoft.Identity.SyncFabric.Provisioning/graphsim")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, &errTargetUnreachable{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxTargetResponse))
	if err != nil {
		return nil, &errTargetUnreachable{err}
	}
	return &targetResponse{status: resp.StatusCode, body: data}, nil
}

// filterPath builds "/Users?filter=attr eq "value"" as Entra sends it.
func filterPath(resource, attr, value string) string {
	q, _ := json.Marshal(value)
	return "/" + resource + "?filter=" + url.QueryEscape(attr+" eq "+string(q))
}

// validateTenantURL checks that a BaseAddress is an absolute https URL.
func validateTenantURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("the tenant URL %q is not an absolute URL", base)
	}
	if u.Scheme != "https" {
		return errors.New("the tenant URL must use https")
	}
	return nil
}

// snippet shortens a target's response body for error messages.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
