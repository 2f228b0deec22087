// Package bench drives `make bench` and `make soak`: it measures the
// provider, the exporter and the per-package Go benchmarks against the local
// Graph simulator and writes docs/performance.md and docs/reliability.md.
//
// Everything runs as separate processes, the way a user runs the product:
// the simulator (internal/graphsim/cmd/graphsim) prints its JSON ready line,
// the provider binary is served to the terraform CLI through dev_overrides
// (no registry, no `terraform init`), and the exporter binary is scraped over
// HTTP. Graph request counts come from the simulator's per-route counter
// (GET /_sim/requests), never from the clients' own bookkeeping, so a client
// that retries more than it admits is still caught.
//
// Wall-clock figures are medians over Options.Runs repetitions; the documents
// record the machine, tool versions and exact command so they can be
// reproduced and compared.
package bench
