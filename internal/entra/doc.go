// Package entra is the typed Microsoft Entra API of this project: the
// applications, application templates, service principals, app role
// assignments, synchronization jobs, secrets, schemas, on-demand runs and
// job status that the provider and the exporter manage or watch.
//
// It owns every Graph route these objects live under, so no caller builds a
// URL or sends a raw request; callers ask for named operations with typed
// inputs and results. Fields the project does not model are either not
// decoded (reads) or travel as raw JSON (the synchronization schema), so a
// read-modify-write never drops them. Transport concerns — authentication,
// throttling retries, logging, request counting, $batch — belong to
// internal/graph, which this package builds on; eventual-consistency waits
// stay with the callers, which know whether an object was just created.
package entra
