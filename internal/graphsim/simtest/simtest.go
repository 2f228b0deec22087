// Package simtest starts the Graph simulator for tests of other packages
// (provider, exporter, graph client) and gives them what they need to talk
// to it: environment variables, a trusted HTTP client, an authenticated
// Graph helper for "portal" changes, and the admin API.
package simtest

import (
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

// Env is a running simulator.
type Env struct {
	Sim   *graphsim.Sim
	Ready graphsim.Ready
	Admin *Admin

	client *http.Client
	tokens tokenSource
}

// SharedCADir is where every simulator started by this package keeps its CA,
// so that one SSL_CERT_FILE (which Go reads once per process) trusts all the
// simulators a test binary starts, even across tests and test binaries.
func SharedCADir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("graphsim-simtest-ca-%d", os.Getuid()))
}

// Start starts a simulator for one test and stops it when the test ends.
// Zero Options fields get test-friendly defaults; set GRAPHSIM_LOG=debug to
// see its log on stderr.
func Start(tb testing.TB, opts graphsim.Options) *Env {
	tb.Helper()
	if opts.StateDir == "" {
		opts.StateDir = tb.TempDir()
	}
	env, stop, err := start(opts)
	if err != nil {
		tb.Fatalf("simtest: starting the Graph simulator: %v", err)
	}
	tb.Cleanup(stop)
	return env
}

// StartMain starts a simulator outside a test (typically in TestMain); call
// the returned function to stop it and remove its state directory.
func StartMain(opts graphsim.Options) (*Env, func(), error) {
	cleanupDir := func() {}
	if opts.StateDir == "" {
		dir, err := os.MkdirTemp("", "graphsim-simtest-")
		if err != nil {
			return nil, nil, fmt.Errorf("simtest: creating a state directory: %w", err)
		}
		opts.StateDir = dir
		cleanupDir = func() { os.RemoveAll(dir) }
	}
	env, stop, err := start(opts)
	if err != nil {
		cleanupDir()
		return nil, nil, err
	}
	return env, func() { stop(); cleanupDir() }, nil
}

func start(opts graphsim.Options) (*Env, func(), error) {
	if opts.CADir == "" {
		opts.CADir = SharedCADir()
	}
	if opts.Logger == nil {
		opts.Logger = testLogger()
	}
	sim, err := graphsim.New(opts)
	if err != nil {
		return nil, nil, err
	}
	ready, err := sim.Start()
	if err != nil {
		return nil, nil, err
	}
	client, err := trustingClient(ready.CAFile)
	if err != nil {
		sim.Close()
		return nil, nil, err
	}
	env := &Env{Sim: sim, Ready: ready, client: client}
	env.Admin = &Admin{base: ready.AdminEndpoint, client: client}
	env.tokens = tokenSource{env: env, cache: map[string]cachedToken{}}
	return env, func() {
		// Closing our idle connections first spares Shutdown the HTTP/2
		// GOAWAY grace period (a second per simulator).
		client.CloseIdleConnections()
		if err := sim.Close(); err != nil {
			opts.Logger.Warn("simtest: closing simulator", "err", err)
		}
	}, nil
}

func testLogger() *slog.Logger {
	switch strings.ToLower(os.Getenv("GRAPHSIM_LOG")) {
	case "debug":
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	case "info", "1", "true":
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// trustingClient is an HTTP client that trusts the simulator's CA (and only it).
func trustingClient(caFile string) (*http.Client, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("simtest: reading the simulator CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("simtest: %s holds no certificate", caFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.RootCAs = pool
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}, nil
}

// HTTPClient returns an HTTP client that trusts the simulator's CA; use it
// for azidentity/msgraph transports in tests.
func (e *Env) HTTPClient() *http.Client { return e.client }

// Environ returns the variables that point the provider, the exporter and
// azidentity at the simulator with the default (read-write) client.
func (e *Env) Environ() []string {
	r := e.Ready
	return []string{
		"ARM_TENANT_ID=" + r.TenantID,
		"ARM_CLIENT_ID=" + r.ClientID,
		"ARM_CLIENT_SECRET=" + r.ClientSecret,
		"AZURE_TENANT_ID=" + r.TenantID,
		"AZURE_CLIENT_ID=" + r.ClientID,
		"AZURE_CLIENT_SECRET=" + r.ClientSecret,
		"AZURE_AUTHORITY_HOST=" + r.AuthorityHost,
		"ENTRA_GRAPH_ENDPOINT=" + r.GraphEndpoint,
		"ENTRA_AUTHORITY_HOST=" + r.AuthorityHost,
		"SSL_CERT_FILE=" + r.CAFile,
	}
}

// Setenv sets Environ's variables for the duration of the test.
func (e *Env) Setenv(tb testing.TB) {
	tb.Helper()
	for _, kv := range e.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		tb.Setenv(k, v)
	}
}

// SetenvMain sets Environ's variables in the process (for TestMain, where
// testing.TB is not available). It does not restore them.
func (e *Env) SetenvMain() error {
	for _, kv := range e.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	return nil
}

type cachedToken struct {
	token   string
	expires time.Time
}

// tokenSource fetches and caches access tokens per client.
type tokenSource struct {
	mu    sync.Mutex
	env   *Env
	cache map[string]cachedToken
}
