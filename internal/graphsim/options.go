package graphsim

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
)

// Defaults for Options fields left zero.
const (
	DefaultListen = "127.0.0.1:0"
	DefaultSpeed  = 1.0
	// DefaultSeed makes the seeded directory (users, groups, their ids) the
	// same on every run unless Options.Seed says otherwise.
	DefaultSeed = 1
)

// normalize fills defaults and rejects options that cannot work, so that New
// fails early with a message that says what to change.
func (o Options) normalize() (Options, error) {
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if err := checkLoopback(o.Listen); err != nil {
		return o, err
	}
	if o.Speed == 0 {
		o.Speed = DefaultSpeed
	}
	if o.Speed < 0 {
		return o, fmt.Errorf("graphsim: speed %v is negative; use a positive number of simulated seconds per real second", o.Speed)
	}
	if o.Users < 0 || o.Groups < 0 {
		return o, fmt.Errorf("graphsim: users (%d) and groups (%d) must not be negative", o.Users, o.Groups)
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if _, err := parseFaults(o.Faults); err != nil {
		return o, fmt.Errorf("graphsim: %w", err)
	}
	// Last, so that invalid options leave no temporary directory behind.
	if o.StateDir == "" {
		dir, err := os.MkdirTemp("", "graphsim-")
		if err != nil {
			return o, fmt.Errorf("graphsim: creating a temporary state directory: %w (set StateDir / -state-dir)", err)
		}
		o.StateDir = dir
	}
	if o.CADir == "" {
		o.CADir = o.StateDir
	}
	return o, nil
}

// checkLoopback rejects listen addresses other than loopback: the admin API
// under /_sim has no authentication and shows unmasked secrets, so the
// simulator must not be reachable from other machines.
func checkLoopback(listen string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("graphsim: listen address %q: %w (use host:port such as 127.0.0.1:0)", listen, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("graphsim: listen address %q is not a loopback address; the simulator only serves on loopback (for example 127.0.0.1:0 or [::1]:0) because its admin API is unauthenticated", listen)
}
