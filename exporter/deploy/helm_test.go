package deploy

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// chartObjects are the chart's rendered resources, each decoded strictly
// (unknown fields fail) into its Kubernetes or Prometheus Operator type.
type chartObjects struct {
	sa        *corev1.ServiceAccount
	dep       *appsv1.Deployment
	svc       *corev1.Service
	sm        *monitoringv1.ServiceMonitor
	rule      *monitoringv1.PrometheusRule
	dashboard *corev1.ConfigMap
	webConfig *corev1.Secret
	files     map[string]string
}

// everything turns on every optional part of the chart.
func everything() map[string]any {
	return map[string]any{
		"credentials":    map[string]any{"existingSecret": "entra-credentials"},
		"serviceMonitor": map[string]any{"enabled": true, "labels": map[string]any{"release": "kps"}},
		"prometheusRule": map[string]any{"enabled": true, "labels": map[string]any{"release": "kps", "role": "alert-rules"}},
		"dashboard":      map[string]any{"enabled": true},
		"web": map[string]any{"config": map[string]any{
			"basic_auth_users": map[string]any{"prometheus": "$2y$10$hashhashhashhashhashhu"},
		}},
	}
}

// renderChart lints the chart with values (Helm's linter; warnings fail)
// and renders it as `helm template` would, offline.
func renderChart(t *testing.T, values map[string]any) (chartObjects, error) {
	t.Helper()
	linter := lint.RunAll(HelmChartDir, values, "monitoring")
	for _, msg := range linter.Messages {
		if msg.Severity >= support.WarningSev {
			return chartObjects{}, msg.Err
		}
	}
	ch, err := loader.Load(HelmChartDir)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := util.ToRenderValues(ch, values, common.ReleaseOptions{Name: "entra", Namespace: "monitoring", IsInstall: true}, common.DefaultCapabilities)
	if err != nil {
		return chartObjects{}, err
	}
	out, err := engine.Render(ch, vals)
	if err != nil {
		return chartObjects{}, err
	}
	objs := chartObjects{files: out}
	names := make([]string, 0, len(out))
	for name := range out {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		for _, doc := range strings.Split(out[name], "\n---") {
			if strings.TrimSpace(stripComments(doc)) == "" {
				continue
			}
			var head struct{ Kind string }
			if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var into any
			switch head.Kind {
			case "ServiceAccount":
				objs.sa = &corev1.ServiceAccount{}
				into = objs.sa
			case "Deployment":
				objs.dep = &appsv1.Deployment{}
				into = objs.dep
			case "Service":
				objs.svc = &corev1.Service{}
				into = objs.svc
			case "ServiceMonitor":
				objs.sm = &monitoringv1.ServiceMonitor{}
				into = objs.sm
			case "PrometheusRule":
				objs.rule = &monitoringv1.PrometheusRule{}
				into = objs.rule
			case "ConfigMap":
				objs.dashboard = &corev1.ConfigMap{}
				into = objs.dashboard
			case "Secret":
				objs.webConfig = &corev1.Secret{}
				into = objs.webConfig
			default:
				t.Fatalf("%s: unexpected kind %q", name, head.Kind)
			}
			strict(t, name, []byte(doc), into)
		}
	}
	return objs, nil
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func TestHelmChartRendersEverything(t *testing.T) {
	o, err := renderChart(t, everything())
	if err != nil {
		t.Fatal(err)
	}
	if o.sa == nil || o.dep == nil || o.svc == nil || o.sm == nil || o.rule == nil || o.dashboard == nil || o.webConfig == nil {
		t.Fatalf("missing resources: %+v", o)
	}
	checkDeploymentHardened(t, o.dep)
	pod := o.dep.Spec.Template
	c := pod.Spec.Containers[0]

	var chart struct{ AppVersion string }
	if err := yaml.Unmarshal(mustRead(t, filepath.Join(HelmChartDir, "Chart.yaml")), &chart); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.Image, ":"+chart.AppVersion) {
		t.Errorf("image %q is not pinned to the chart's appVersion %s", c.Image, chart.AppVersion)
	}
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/-/healthy" {
		t.Error("the liveness probe must be /-/healthy")
	}
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/-/ready" {
		t.Error("the readiness probe must be /-/ready (ready after the first successful poll)")
	}
	if len(c.EnvFrom) != 1 || c.EnvFrom[0].SecretRef == nil || c.EnvFrom[0].SecretRef.Name != "entra-credentials" {
		t.Errorf("credentials must come from the existing Secret: %+v", c.EnvFrom)
	}
	for _, want := range []string{"--web.listen-address=:9905", "--web.max-requests=40", "--web.config.file=/etc/entra-provisioning-exporter/web-config.yml", "--poll.interval=2m"} {
		if !slicesContain(c.Args, want) {
			t.Errorf("args %v lack %s", c.Args, want)
		}
	}
	if !strings.Contains(o.webConfig.StringData["web-config.yml"], "basic_auth_users") {
		t.Error("the web config Secret does not carry web.config")
	}

	// Service, ServiceMonitor and Deployment fit together.
	if !labels.SelectorFromSet(o.dep.Spec.Selector.MatchLabels).Matches(labels.Set(pod.Labels)) ||
		!labels.SelectorFromSet(o.svc.Spec.Selector).Matches(labels.Set(pod.Labels)) ||
		!labels.SelectorFromSet(o.sm.Spec.Selector.MatchLabels).Matches(labels.Set(o.svc.Labels)) {
		t.Error("selectors of the Deployment, Service and ServiceMonitor do not fit together")
	}
	if o.sm.Labels["release"] != "kps" || o.rule.Labels["release"] != "kps" || o.rule.Labels["role"] != "alert-rules" {
		t.Error("serviceMonitor.labels / prometheusRule.labels are not applied")
	}
	if o.sm.Spec.JobLabel != "app.kubernetes.io/name" || o.svc.Labels["app.kubernetes.io/name"] != "entra-provisioning-exporter" {
		t.Error(`the scrape job must be named entra-provisioning-exporter, the alerts' default selector`)
	}
	if pod.Spec.ServiceAccountName != o.sa.Name {
		t.Errorf("pods run as %q, the ServiceAccount is %q", pod.Spec.ServiceAccountName, o.sa.Name)
	}

	// The rules and the dashboard are the mixin's.
	var file struct {
		Groups []monitoringv1.RuleGroup `json:"groups"`
	}
	strict(t, AlertRulesPath, mustRead(t, AlertRulesPath), &file)
	if !reflect.DeepEqual(o.rule.Spec.Groups, file.Groups) {
		t.Error("the chart's PrometheusRule differs from rules.yml")
	}
	dash := mustRead(t, filepath.Join(DashboardsDir, "entra-provisioning.json"))
	if got := o.dashboard.Data["entra-provisioning.json"]; got != strings.TrimRight(string(dash), "\n") {
		t.Error("the dashboard ConfigMap differs from the generated dashboard")
	}
	if o.dashboard.Labels["grafana_dashboard"] != "1" {
		t.Error("the dashboard ConfigMap lacks the Grafana sidecar's label")
	}
}

func TestHelmChartWorkloadIdentity(t *testing.T) {
	o, err := renderChart(t, map[string]any{
		"workloadIdentity": map[string]any{"enabled": true},
		"credentials":      map[string]any{"tenantId": "11111111-2222-3333-4444-555555555555", "clientId": "66666666-7777-8888-9999-000000000000"},
	})
	if err != nil {
		t.Fatal(err)
	}
	pod := o.dep.Spec.Template
	if pod.Labels["azure.workload.identity/use"] != "true" {
		t.Error("pods lack azure.workload.identity/use=true")
	}
	if o.sa.Annotations["azure.workload.identity/client-id"] != "66666666-7777-8888-9999-000000000000" {
		t.Error("the ServiceAccount lacks the workload identity client id")
	}
	if len(pod.Spec.Containers[0].EnvFrom) != 0 {
		t.Error("workload identity needs no Secret")
	}
	if o.sa.Annotations["azure.workload.identity/tenant-id"] != "11111111-2222-3333-4444-555555555555" {
		t.Error("the ServiceAccount lacks the workload identity tenant id (the webhook injects AZURE_TENANT_ID from it)")
	}
	if o.sm != nil || o.rule != nil || o.dashboard != nil || o.webConfig != nil {
		t.Error("ServiceMonitor, PrometheusRule, dashboard and web config are off by default")
	}
	checkDeploymentHardened(t, o.dep)
}

// Bad input: no credentials at all, or workload identity without ids,
// fails rendering with a message naming the values to set.
func TestHelmChartRejectsMissingCredentials(t *testing.T) {
	for name, values := range map[string]map[string]any{
		"none":                   {},
		"workload identity only": {"workloadIdentity": map[string]any{"enabled": true}},
	} {
		_, err := renderChart(t, values)
		if err == nil || !strings.Contains(err.Error(), "credentials.") {
			t.Errorf("%s: err = %v, want one naming the credentials values", name, err)
		}
	}
}

// The chart never contains a secret value: not the values' web config
// hashes in the Deployment, nor anything named like a client secret.
func TestHelmChartHasNoSecretValues(t *testing.T) {
	o, err := renderChart(t, everything())
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range o.files {
		if strings.Contains(text, "AZURE_CLIENT_SECRET:") || strings.Contains(text, "clientSecret") {
			t.Errorf("%s carries a client secret value", name)
		}
		if !strings.HasSuffix(name, "webconfig.yaml") && strings.Contains(text, "$2y$") {
			t.Errorf("%s carries the web config's password hash outside its Secret", name)
		}
	}
	if v := mustRead(t, filepath.Join(HelmChartDir, "values.yaml")); bytes.Contains(v, []byte("clientSecret")) {
		t.Error("values.yaml must not offer a clientSecret value (it would land in Helm's release history)")
	}
}

func TestHelmChartFilesAreTheMixinOutput(t *testing.T) {
	for _, f := range []string{"rules.yml", "entra-provisioning.json"} {
		if _, err := os.Stat(filepath.Join(HelmChartDir, helmFilesSubdir, f)); err != nil {
			t.Errorf("%v: run `make mixin`", err)
		}
	}
}
