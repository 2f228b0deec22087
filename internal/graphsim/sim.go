package graphsim

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// Options configure a simulator instance (the graphsim command's flags).
type Options struct {
	Listen   string  // address, e.g. "127.0.0.1:0"
	StateDir string  // where the CA certificate (and optional state) are written
	Speed    float64 // simulated seconds per real second (default 1)
	Users    int     // seeded users
	Groups   int     // seeded groups
	Faults   string  // fault spec, e.g. "throttle=0.2,retry-after=1s,error=0.05,latency=20ms,lag=2s"
	Logger   *slog.Logger
	// CADir is where the CA key pair lives (default StateDir). Test helpers
	// share one CA between many simulators so one SSL_CERT_FILE trusts all.
	CADir string
	// Seed makes the seeded directory deterministic (default DefaultSeed).
	Seed uint64
}

// Ready is what the simulator prints as its single JSON ready line. Provider
// and exporter reach the simulator with these values and SSL_CERT_FILE=CAFile.
type Ready struct {
	GraphEndpoint string `json:"graph_endpoint"` // e.g. https://127.0.0.1:PORT (no /v1.0)
	AuthorityHost string `json:"authority_host"` // e.g. https://127.0.0.1:PORT/ (ends with /)
	TenantID      string `json:"tenant_id"`
	ClientID      string `json:"client_id"`
	ClientSecret  string `json:"client_secret"`
	CAFile        string `json:"ca_file"`
	// A seeded client with read permissions only: its writes get 403 Authorization_RequestDenied.
	ReadOnlyClientID     string `json:"read_only_client_id"`
	ReadOnlyClientSecret string `json:"read_only_client_secret"`
	// Admin API base, {graph_endpoint}/_sim (no token needed from loopback).
	AdminEndpoint string `json:"admin_endpoint"`
	// Managed identity (App Service protocol): set IDENTITY_ENDPOINT and
	// IDENTITY_HEADER to these and azidentity's ManagedIdentityCredential
	// gets tokens of the read-write client (see auth_msi.go).
	IdentityEndpoint string `json:"identity_endpoint"`
	IdentityHeader   string `json:"identity_header"`
}

// Sim is one simulated tenant. All mutable state is guarded by mu.
type Sim struct {
	opts  Options
	clock *Clock
	log   *slog.Logger

	mu   sync.Mutex
	dir  directoryState // directory half: directory_state.go
	sync syncState      // synchronization half: sync_state.go

	ready Ready

	// Identity (immutable after New).
	tenantID string
	// identityHeader is the secret a managed-identity token request must
	// send (X-IDENTITY-HEADER), as App Service's IDENTITY_HEADER.
	identityHeader string
	// tenantCreated is when the simulated tenant was created (xms_tcdt).
	tenantCreated time.Time
	clients       map[string]*oauthClient // client id → client
	// The seeded read-write and read-only clients' ids.
	defaultClientID, readOnlyClientID string
	signingKey                        *rsa.PrivateKey
	keyID                             string
	tokens                            tokenCache // validated access tokens

	// Serving (set by Start).
	mux      *http.ServeMux // every route, Graph and /_sim
	handler  http.Handler   // mux wrapped in the middleware chain
	server   *http.Server
	listener net.Listener
	cancel   context.CancelFunc
	served   chan struct{}

	ownsStateDir bool // StateDir is a temporary directory New created; Close removes it

	faults   *faultInjector  // own lock; never take s.mu inside it
	requests *requestCounter // own lock
}

// New builds a simulator: seeded directory, tenant, clients and signing key.
// Nothing listens until Start.
func New(opts Options) (*Sim, error) {
	ownsStateDir := opts.StateDir == ""
	opts, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	spec, _ := parseFaults(opts.Faults) // validated by normalize
	s := &Sim{
		opts:     opts,
		clock:    NewClock(opts.Speed),
		log:      opts.Logger,
		dir:      newDirectoryState(),
		faults:   newFaultInjector(spec, opts.Seed),
		requests: newRequestCounter(),

		ownsStateDir: ownsStateDir,
	}
	if err := s.initIdentity(); err != nil {
		return nil, err
	}
	s.seedDirectory()
	s.mux = http.NewServeMux()
	s.routes(s.mux)
	s.handler = s.middleware(s.mux)
	return s, nil
}

// Start listens on Options.Listen with a certificate from the simulator's CA
// (written to CADir/ca.pem), starts the provisioning engine and serves until
// Close. It returns the ready information.
func (s *Sim) Start() (Ready, error) {
	if s.server != nil {
		return Ready{}, errors.New("graphsim: Start called twice")
	}
	ca, err := loadOrCreateCA(s.opts.CADir)
	if err != nil {
		return Ready{}, err
	}
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return Ready{}, fmt.Errorf("graphsim: listening on %s: %w (choose another -listen address)", s.opts.Listen, err)
	}
	host := advertisedHost(ln.Addr())
	tlsConfig, err := ca.serverTLSConfig(host)
	if err != nil {
		ln.Close()
		return Ready{}, err
	}
	base := "https://" + host
	s.ready = Ready{
		GraphEndpoint:        base,
		AuthorityHost:        base + "/",
		TenantID:             s.tenantID,
		ClientID:             s.defaultClient().ID,
		ClientSecret:         s.defaultClient().Secret,
		CAFile:               ca.certFile,
		ReadOnlyClientID:     s.readOnlyClient().ID,
		ReadOnlyClientSecret: s.readOnlyClient().Secret,
		IdentityEndpoint:     base + msiPath,
		IdentityHeader:       s.identityHeader,
		AdminEndpoint:        base + "/_sim",
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.listener = ln
	s.server = &http.Server{
		Handler:           s.handler,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		if err := s.server.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("graphsim: server stopped", "err", err)
		}
	}()
	s.log.Info("graphsim ready", "graph_endpoint", s.ready.GraphEndpoint, "tenant_id", s.tenantID,
		"users", len(s.dir.users), "groups", len(s.dir.groups), "speed", s.clock.Speed(), "faults", s.faults.spec().String())
	s.startEngine(ctx)
	return s.ready, nil
}

// Close stops the engine and the server. In-flight requests get a short
// grace period; then connections are closed (HTTP/2 clients would otherwise
// hold Shutdown for a second per connection).
func (s *Sim) Close() error {
	if s.server == nil {
		return nil
	}
	s.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := s.server.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.server.Close()
	}
	<-s.served
	if s.ownsStateDir {
		os.RemoveAll(s.opts.StateDir)
	}
	if err != nil {
		return fmt.Errorf("graphsim: shutting down: %w", err)
	}
	return nil
}

// Ready returns what Start returned (zero before Start).
func (s *Sim) Ready() Ready { return s.ready }

// Clock returns the simulated clock.
func (s *Sim) Clock() *Clock { return s.clock }

// Handler returns the simulator's full HTTP handler (middleware and routes),
// for in-process benchmarks that want to bypass TLS.
func (s *Sim) Handler() http.Handler { return s.handler }

// advertisedHost is the host:port clients should use: loopback when the
// listener is bound to every interface.
func advertisedHost(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}
