// Package graphsim is a local, faithful simulator of the parts of Microsoft
// Graph v1.0 (and the Entra token endpoint) that application provisioning
// uses: application templates, applications, service principals, app role
// assignments, synchronization templates/jobs/secrets/schema, the provisioning
// engine with its cycles and quarantine, provisioning logs and $batch.
//
// Shapes follow Graph's published metadata (embedded under data/), behaviour
// follows Microsoft's Graph API reference pages; docs/graphsim-fidelity.md
// lists the sources and what is and is not modelled. Where the sources are
// silent, the code picks the behaviour that is safest for clients and says so
// in a comment (marked UNVERIFIED).
//
// Layout (one concern per file):
//
//	sim.go, options.go    Sim, Options, New/Start/Close, ready line
//	routes.go             every route registration (directory, auth, admin, $batch, sync)
//	middleware.go         request ids, panic recovery, appId/"()" rewriting, Graph chain
//	clock.go              the simulated clock (-speed)
//	errors.go             Graph's error envelope
//	store.go              shared state types; one mutex (Sim.mu) guards all state
//	tls.go, auth*.go      CA, token endpoint, discovery, JWT validation, permissions
//	directory*.go         templates, applications, service principals, users, groups,
//	                      assignments, deleted items, seeding, accessors for the sync half
//	metadata.go, csdl/    Graph's v1.0 metadata (CSDL digest): path-segment names,
//	                      $select, service root of @odata.context, validation
//	shapes.go             default property sets of a GET, from the metadata
//	odata*.go, count.go   JSON bodies, $filter/$select/$top/$orderby, paging, /$count
//	batch.go              /$batch
//	faults.go, admin.go   fault injection, /_sim admin API, request counting
//	sync_*.go             synchronization templates, jobs, secrets, schema
//	engine*.go            provisioning cycles, quarantine, provisioning logs
//	scimtarget*.go        SCIM targets under /_sim/scim/{name}/
//	auditlogs*.go         /auditLogs/provisioning
//
// The command is cmd/graphsim; tests of other packages start simulators with
// the simtest sub-package. README.md describes flags, faults and the admin API.
package graphsim
