// Package deploy holds the exporter's deployment artifacts (Dockerfile,
// systemd unit, Kubernetes manifests) and the code that keeps them honest:
// PrometheusRule renders kubernetes/prometheusrule.yaml from
// ../alerts/rules.yml, and the tests decode every manifest strictly into
// the Kubernetes and Prometheus Operator API types, offline.
//
// It is a separate Go module so that the provider's and the exporter's
// module graph does not carry the Kubernetes API packages.
package deploy

//go:generate go run ./cmd/gen-mixin
