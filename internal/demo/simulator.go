package demo

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// simReady is the simulator's ready line (see internal/graphsim/cmd/graphsim).
// The driver reads it as any outside client would, from the process's stdout.
type simReady struct {
	GraphEndpoint string `json:"graph_endpoint"`
	AuthorityHost string `json:"authority_host"`
	TenantID      string `json:"tenant_id"`
	ClientID      string `json:"client_id"`
	ClientSecret  string `json:"client_secret"`
	CAFile        string `json:"ca_file"`
}

// parseReadyLine decodes and checks one ready line.
func parseReadyLine(line []byte) (simReady, error) {
	var r simReady
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("the simulator's first stdout line is not its JSON ready line (%v): %q", err, truncate(string(line), 200))
	}
	var missing []string
	for name, v := range map[string]string{
		"graph_endpoint": r.GraphEndpoint, "authority_host": r.AuthorityHost, "tenant_id": r.TenantID,
		"client_id": r.ClientID, "client_secret": r.ClientSecret, "ca_file": r.CAFile,
	} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return r, fmt.Errorf("the simulator's ready line lacks %s", strings.Join(missing, ", "))
	}
	if !strings.HasPrefix(r.GraphEndpoint, "https://127.") && !strings.HasPrefix(r.GraphEndpoint, "https://[::1]") && !strings.HasPrefix(r.GraphEndpoint, "https://localhost") {
		return r, fmt.Errorf("the simulator's graph_endpoint %q is not a loopback https address", r.GraphEndpoint)
	}
	return r, nil
}

// readReadyLine waits up to timeout for the first line on r.
func readReadyLine(r io.Reader, timeout time.Duration) (simReady, error) {
	type result struct {
		line []byte
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(r).ReadBytes('\n')
		ch <- result{line, err}
	}()
	select {
	case res := <-ch:
		if len(res.line) == 0 && res.err != nil {
			return simReady{}, fmt.Errorf("the simulator closed stdout before printing its ready line: %w", res.err)
		}
		return parseReadyLine(res.line)
	case <-time.After(timeout):
		return simReady{}, fmt.Errorf("the simulator printed no ready line within %s", timeout)
	}
}

// simulator is the running graphsim with an HTTP client that trusts its CA.
type simulator struct {
	*process
	ready  simReady
	client *http.Client
}

// startSimulator runs graphsim on a free loopback port and waits for it.
func startSimulator(binDir, workDir string, speed float64) (*simulator, error) {
	stateDir := workDir + "/graphsim"
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return nil, err
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p, err := startProcess("graphsim", workDir, pw, os.Environ(), binDir+"/"+simulatorBinary,
		"-listen", "127.0.0.1:0", "-state-dir", stateDir, "-speed", strconv.FormatFloat(speed, 'f', -1, 64),
		"-users", "20", "-groups", "3")
	pw.Close() // the child holds its own copy
	if err != nil {
		pr.Close()
		return nil, err
	}
	ready, err := readReadyLine(pr, 60*time.Second)
	// Keep draining stdout so the simulator never blocks on a full pipe.
	go func() { _, _ = io.Copy(io.Discard, pr); pr.Close() }()
	if err != nil {
		_ = p.stop()
		return nil, fmt.Errorf("%w\nsimulator log (%s):\n%s", err, p.logPath, p.tail(20))
	}
	client, err := trustingClient(ready.CAFile)
	if err != nil {
		_ = p.stop()
		return nil, err
	}
	return &simulator{process: p, ready: ready, client: client}, nil
}

// trustingClient is an HTTP client that trusts only the simulator's CA.
func trustingClient(caFile string) (*http.Client, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("reading the simulator's CA certificate: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}

// adminGet decodes GET {graph_endpoint}{path} (the simulator's /_sim admin API).
func (s *simulator) adminGet(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.ready.GraphEndpoint+path, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("simulator admin API %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("simulator admin API %s: HTTP %d: %s", path, resp.StatusCode, body)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// directoryGroups returns the seeded groups' ids and names.
func (s *simulator) directoryGroups(ctx context.Context) ([]namedObject, error) {
	var st struct {
		Groups []namedObject `json:"groups"`
	}
	if err := s.adminGet(ctx, "/_sim/state?all=true", &st); err != nil {
		return nil, err
	}
	if len(st.Groups) == 0 {
		return nil, errors.New("the simulator seeded no groups: the demo assigns one to each app")
	}
	return st.Groups, nil
}

// applicationCount is the number of (not deleted) applications in the tenant.
func (s *simulator) applicationCount(ctx context.Context) (int, error) {
	var st struct {
		Counts map[string]int `json:"counts"`
	}
	if err := s.adminGet(ctx, "/_sim/state", &st); err != nil {
		return 0, err
	}
	return st.Counts["applications"], nil
}

// scimUsers is the number of users a SCIM target holds.
func (s *simulator) scimUsers(ctx context.Context, target string) (int, error) {
	var st struct {
		Users []json.RawMessage `json:"users"`
	}
	if err := s.adminGet(ctx, "/_sim/scim/"+target+"/_state", &st); err != nil {
		return 0, err
	}
	return len(st.Users), nil
}

// namedObject is a directory object's id and display name.
type namedObject struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
