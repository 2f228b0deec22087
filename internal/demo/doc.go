// Package demo drives `make demo`: it runs the whole product against the
// local Graph simulator and explains what happened.
//
// The driver starts the simulator (internal/graphsim/cmd/graphsim) and reads
// its JSON ready line, writes a Terraform CLI configuration whose
// dev_overrides point at the freshly built provider (so no registry and no
// `terraform init` are needed), applies examples/demo (three SCIM apps, one
// with a deliberately wrong token), starts entra-provisioning-exporter and,
// when installed, a Prometheus server loaded with a copy of
// exporter/alerts/rules.yml whose `for:` durations are divided by the
// simulator's speed (see scaleAlertRules).
// Once a few accelerated provisioning cycles have passed it prints the apps,
// each job's status, the key metric lines and the alerts, then destroys what
// it created and stops every process it started, also on Ctrl-C or failure.
//
// Every child process runs in its own process group so that a terminal's
// Ctrl-C reaches only the driver, which then shuts the children down in
// order (terraform destroy still needs the simulator).
package demo
