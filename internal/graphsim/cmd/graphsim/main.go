// Command graphsim runs the local Microsoft Graph / Entra provisioning
// simulator. It prints one JSON line (the ready information) on stdout when
// it is ready, logs to stderr, and serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/entra-provisioning/terraform-provider-entra/internal/graphsim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graphsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", graphsim.DefaultListen, "loopback `address` to serve HTTPS on; port 0 picks a free port")
	stateDir := fs.String("state-dir", "", "`directory` for the CA certificate (ca.pem) and key; reused across restarts so clients keep trusting it (default: a new temporary directory)")
	speed := fs.Float64("speed", graphsim.DefaultSpeed, "simulated seconds per real second (600 turns a 40-minute provisioning cycle into 4 s)")
	users := fs.Int("users", 20, "number of seeded directory users")
	groups := fs.Int("groups", 4, "number of seeded directory groups")
	faults := fs.String("faults", "", "fault `spec`, e.g. throttle=0.2,retry-after=1s,error=0.05,latency=20ms,lag=2s,instantiate404=1 (keys above)")
	seed := fs.Uint64("seed", graphsim.DefaultSeed, "seed of the generated directory (same seed, same users and groups)")
	logLevel := fs.String("log-level", "info", "log `level` on stderr: debug (every request), info, warn or error")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: graphsim [flags]

Runs a local simulator of Microsoft Graph v1.0 (application templates, service
principals, app role assignments, synchronization jobs and the provisioning
engine) plus an Entra token endpoint, over HTTPS on loopback.

When ready it prints one JSON line on stdout:
  {"graph_endpoint":"https://127.0.0.1:PORT","authority_host":"https://127.0.0.1:PORT/",
   "tenant_id":"…","client_id":"…","client_secret":"…","ca_file":"DIR/ca.pem",…}
Point clients at it with those values and SSL_CERT_FILE=<ca_file>. The admin
API lives under {graph_endpoint}/_sim/ (state, clock, faults, request counts).

Fault spec keys (P = probability 0..1, D = duration such as 500ms or 2s):
  throttle=P        429 TooManyRequests with Retry-After (each $batch item on its own)
  retry-after=D     Retry-After of 429/503 answers (default 1s)
  error=P           5xx answers; error-status=500|502|503|504 picks which (default 503)
  latency=D         delay added to every Graph request
  lag=D             new applications/service principals answer 404 for D, and
                    assignments on them 400 "Not a valid reference update."
  instantiate404=P  instantiate creates the objects but answers 404
  only=S            throttle/error only Graph paths containing S
Faults can be changed while running: PUT {graph_endpoint}/_sim/faults {"spec":"…"}.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "graphsim: unexpected arguments %q; run graphsim -help\n", fs.Args())
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "graphsim: -log-level %q: want debug, info, warn or error\n", *logLevel)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	sim, err := graphsim.New(graphsim.Options{
		Listen: *listen, StateDir: *stateDir, Speed: *speed, Users: *users, Groups: *groups,
		Faults: *faults, Seed: *seed, Logger: logger,
	})
	if err != nil {
		fmt.Fprintln(stderr, strings.TrimPrefix(err.Error(), "graphsim: "))
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ready, err := sim.Start()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	line, _ := json.Marshal(ready)
	fmt.Fprintln(stdout, string(line))
	<-ctx.Done()
	logger.Info("graphsim shutting down")
	if err := sim.Close(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
