// entra-provisioning-exporter monitoring mixin: Prometheus alerts and a
// Grafana dashboard, in the shape of the ecosystem's mixins
// (prometheusAlerts, grafanaDashboards, _config). exporter/deploy's
// generator (`make mixin`) writes exporter/alerts/rules.yml, the dashboard
// JSON and the PrometheusRule from it with go-jsonnet.
local validate = import 'validate.libsonnet';

(import 'config.libsonnet') +
(import 'alerts.libsonnet') +
(import 'dashboards.libsonnet') +
{
  assert std.all(validate(self._config)) : 'unreachable',
}
