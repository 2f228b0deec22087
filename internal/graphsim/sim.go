package graphsim

import (
	"log/slog"
	"sync"
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
}
