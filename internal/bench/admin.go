package bench

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// Admin talks to one simulator: its unauthenticated /_sim admin API and, with
// a client-credentials token, its Graph routes (for bulk set-up and for
// auditing what the provider left behind).
type Admin struct {
	ready  Ready
	client *http.Client

	mu    sync.Mutex
	token string
}

// NewAdmin returns a client trusting only the simulator's CA.
func NewAdmin(r Ready) (*Admin, error) {
	pem, err := os.ReadFile(r.CAFile)
	if err != nil {
		return nil, fmt.Errorf("reading the simulator's CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", r.CAFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, MaxIdleConnsPerHost: 32}
	return &Admin{ready: r, client: &http.Client{Timeout: 60 * time.Second, Transport: tr}}, nil
}

// RequestCounts is GET /_sim/requests.
type RequestCounts struct {
	Total        int            `json:"total"`
	Routes       map[string]int `json:"routes"`
	Throttled    int            `json:"throttled"`
	ServerErrors int            `json:"server_errors"`
}

// Requests returns the simulator's per-route Graph request counts.
func (a *Admin) Requests() (RequestCounts, error) {
	var rc RequestCounts
	return rc, a.adminJSON(http.MethodGet, "/_sim/requests", nil, &rc)
}

// ResetRequests zeroes the simulator's request counters.
func (a *Admin) ResetRequests() error {
	return a.adminJSON(http.MethodDelete, "/_sim/requests", nil, nil)
}

// SetFaults replaces the simulator's fault spec ("" clears every fault).
func (a *Admin) SetFaults(spec string) error {
	return a.adminJSON(http.MethodPut, "/_sim/faults", map[string]string{"spec": spec}, nil)
}

// State is the part of GET /_sim/state the harness audits.
type State struct {
	Counts            map[string]int   `json:"counts"`
	Applications      []DirectoryEntry `json:"applications"`
	ServicePrincipals []DirectoryEntry `json:"servicePrincipals"`
	Assignments       []Assignment     `json:"appRoleAssignments"`
	DeletedItems      []DirectoryEntry `json:"deletedItems"`
	Groups            []DirectoryEntry `json:"groups"`
}

// DirectoryEntry is an application, service principal, group or deleted item.
type DirectoryEntry struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	AppID       string `json:"appId"`
	ODataType   string `json:"@odata.type"`
}

// Assignment is an app role assignment.
type Assignment struct {
	ID          string `json:"id"`
	PrincipalID string `json:"principalId"`
	ResourceID  string `json:"resourceId"`
	AppRoleID   string `json:"appRoleId"`
}

// State returns the simulator's directory (with groups).
func (a *Admin) State() (State, error) {
	var st State
	return st, a.adminJSON(http.MethodGet, "/_sim/state?all=true", nil, &st)
}

func (a *Admin) adminJSON(method, path string, body, out any) error {
	status, data, err := a.do(method, path, body, "")
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("simulator admin API %s %s: HTTP %d: %.300s", method, path, status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("simulator admin API %s %s: decoding %.200s: %w", method, path, data, err)
		}
	}
	return nil
}

// Graph calls a Graph route (path relative to /v1.0) with the simulator's
// read-write client and returns the status and body.
func (a *Admin) Graph(method, path string, body any) (int, []byte, error) {
	tok, err := a.accessToken()
	if err != nil {
		return 0, nil, err
	}
	return a.do(method, "/v1.0"+path, body, tok)
}

func (a *Admin) do(method, path string, body any, token string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.ready.GraphEndpoint+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// accessToken gets (once) a client-credentials token from the simulator's
// token endpoint. Tokens live an hour of real time, longer than any run.
func (a *Admin) accessToken() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" {
		return a.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {a.ready.ClientID},
		"client_secret": {a.ready.ClientSecret},
		"scope":         {"https://graph.microsoft.com/.default"},
	}
	endpoint := strings.TrimSuffix(a.ready.AuthorityHost, "/") + "/" + a.ready.TenantID + "/oauth2/v2.0/token"
	resp, err := a.client.PostForm(endpoint, form)
	if err != nil {
		return "", fmt.Errorf("token request to the simulator: %w", err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" {
		// The error description never contains the client secret.
		return "", fmt.Errorf("token request to the simulator: HTTP %d %s %v", resp.StatusCode, tr.Error, err)
	}
	a.token = tr.AccessToken
	return a.token, nil
}
