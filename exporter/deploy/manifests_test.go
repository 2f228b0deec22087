package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

func TestPrometheusRuleIsGeneratedFromTheRuleFile(t *testing.T) {
	rules := mustRead(t, AlertRulesPath)
	want, err := PrometheusRule(rules)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, PrometheusRulePath); !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with %s: run `make deploy-rules` and commit the result", PrometheusRulePath, AlertRulesPath)
	}
}

func TestPrometheusRuleCarriesTheSameRules(t *testing.T) {
	var file struct {
		Groups []monitoringv1.RuleGroup `json:"groups"`
	}
	strict(t, AlertRulesPath, mustRead(t, AlertRulesPath), &file)
	var pr monitoringv1.PrometheusRule
	strict(t, PrometheusRulePath, mustRead(t, PrometheusRulePath), &pr)
	if pr.Kind != "PrometheusRule" || pr.APIVersion != "monitoring.coreos.com/v1" {
		t.Fatalf("kind %s/%s", pr.APIVersion, pr.Kind)
	}
	if !reflect.DeepEqual(pr.Spec.Groups, file.Groups) {
		t.Fatal("the PrometheusRule's groups differ from rules.yml")
	}
	alerts := 0
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			alerts++
			if r.Expr.String() == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("alert %s lacks an expr, a severity label or a summary", r.Alert)
			}
		}
	}
	if alerts == 0 {
		t.Fatal("rules.yml defines no alerts")
	}
}

func TestPrometheusRuleRejectsWhatItCannotEmbed(t *testing.T) {
	if _, err := PrometheusRule([]byte("rules: []\n")); err == nil {
		t.Error("a file without groups was accepted")
	}
	if _, err := PrometheusRule([]byte("groups:\n\t- name: x\n")); err == nil {
		t.Error("a file indented with tabs was accepted")
	}
}

// manifests decodes every resource of the kustomization strictly (unknown
// fields are errors) into the Kubernetes and Prometheus Operator types.
type manifests struct {
	sa   corev1.ServiceAccount
	dep  appsv1.Deployment
	svc  corev1.Service
	sm   monitoringv1.ServiceMonitor
	rule monitoringv1.PrometheusRule
}

func loadManifests(t *testing.T) manifests {
	t.Helper()
	var k struct {
		Resources []string `json:"resources"`
	}
	if err := yaml.Unmarshal(mustRead(t, "kubernetes/kustomization.yaml"), &k); err != nil {
		t.Fatal(err)
	}
	var m manifests
	targets := map[string]any{
		"ServiceAccount": &m.sa, "Deployment": &m.dep, "Service": &m.svc,
		"ServiceMonitor": &m.sm, "PrometheusRule": &m.rule,
	}
	seen := map[string]bool{}
	for _, res := range k.Resources {
		path := filepath.Join("kubernetes", res)
		data := mustRead(t, path)
		var head struct{ Kind string }
		if err := yaml.Unmarshal(data, &head); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		target, ok := targets[head.Kind]
		if !ok {
			t.Fatalf("%s: unexpected kind %q", path, head.Kind)
		}
		strict(t, path, data, target)
		seen[head.Kind] = true
	}
	for kind := range targets {
		if !seen[kind] {
			t.Errorf("the kustomization has no %s", kind)
		}
	}
	return m
}

func TestKubernetesManifestsFitTogether(t *testing.T) {
	m := loadManifests(t)
	pod := m.dep.Spec.Template
	if sel := labels.SelectorFromSet(m.dep.Spec.Selector.MatchLabels); !sel.Matches(labels.Set(pod.Labels)) {
		t.Error("the Deployment's selector does not match its pod template")
	}
	if !labels.SelectorFromSet(m.svc.Spec.Selector).Matches(labels.Set(pod.Labels)) {
		t.Error("the Service does not select the exporter's pods")
	}
	if !labels.SelectorFromSet(m.sm.Spec.Selector.MatchLabels).Matches(labels.Set(m.svc.Labels)) {
		t.Error("the ServiceMonitor does not select the Service")
	}
	if pod.Spec.ServiceAccountName != m.sa.Name {
		t.Errorf("pods run as %q, the ServiceAccount is %q", pod.Spec.ServiceAccountName, m.sa.Name)
	}
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("want one container, got %d", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["metrics"] != 9905 || !slicesContain(c.Args, "--web.listen-address=:9905") {
		t.Errorf("the container must listen on and expose :9905 as port \"metrics\" (ports %v, args %v)", ports, c.Args)
	}
	svcPorts := map[string]bool{}
	for _, p := range m.svc.Spec.Ports {
		svcPorts[p.Name] = p.TargetPort.String() == "metrics"
	}
	for _, ep := range m.sm.Spec.Endpoints {
		if !svcPorts[ep.Port] {
			t.Errorf("ServiceMonitor endpoint port %q is not a Service port targeting \"metrics\"", ep.Port)
		}
	}
	if m.dep.Spec.Replicas == nil || *m.dep.Spec.Replicas != 1 {
		t.Error("run exactly one replica: more multiply Graph requests")
	}
}

func TestDeploymentIsHardened(t *testing.T) {
	m := loadManifests(t)
	checkDeploymentHardened(t, &m.dep)
}

// checkDeploymentHardened checks the pod's security settings, resources and
// that credentials come from a Secret or workload identity only (the
// kustomize Deployment and the Helm chart's).
func checkDeploymentHardened(t *testing.T, dep *appsv1.Deployment) {
	t.Helper()
	pod := dep.Spec.Template.Spec
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Error("the pod must run as a non-root user")
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Error("the pod must use the RuntimeDefault seccomp profile")
	}
	sc := pod.Containers[0].SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.Capabilities == nil || !slicesContain(capNames(sc.Capabilities.Drop), "ALL") {
		t.Error("the container must have a read-only root, no privilege escalation and drop ALL capabilities")
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the exporter does not talk to the Kubernetes API: do not mount a service account token")
	}
	if r := pod.Containers[0].Resources; r.Limits.Memory().IsZero() || r.Requests.Cpu().IsZero() {
		t.Error("set a memory limit and a CPU request")
	}
	// Credentials only from a Secret or workload identity, never literals.
	for _, e := range pod.Containers[0].Env {
		if strings.HasPrefix(e.Name, "AZURE_") && e.Value != "" {
			t.Errorf("%s is a literal in the Deployment: use the Secret", e.Name)
		}
	}
	for _, a := range pod.Containers[0].Args {
		if strings.Contains(strings.ToLower(a), "secret") {
			t.Errorf("argument %q looks like a credential: flags are visible to every local user", a)
		}
	}
}

func TestDockerfileBuildsAStaticNonRootImage(t *testing.T) {
	text := string(mustRead(t, "Dockerfile"))
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(text, -1)
	if len(froms) < 2 {
		t.Fatal("want a multi-stage build")
	}
	final := froms[len(froms)-1][1]
	if !strings.HasPrefix(final, "gcr.io/distroless/static") || !strings.HasSuffix(final, ":nonroot") {
		t.Errorf("final stage %q: want gcr.io/distroless/static…:nonroot", final)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "./exporter", "EXPOSE 9905", "USER 65532:65532"} {
		if !strings.Contains(text, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^ENTRYPOINT \["/usr/local/bin/entra-provisioning-exporter"\]$`).MatchString(text) {
		t.Error("ENTRYPOINT must be the exec form of the exporter (signals reach it directly)")
	}
	if regexp.MustCompile(`(?mi)^(ENV|ARG)\s+AZURE_CLIENT_SECRET`).MatchString(text) {
		t.Error("never bake credentials into the image")
	}
	// The version must reach main.version: the exporter overrides
	// prometheus/common/version.Version with it.
	if !strings.Contains(text, "-X main.version=") {
		t.Error("the build must set main.version")
	}
}

func TestSystemdUnitIsHardened(t *testing.T) {
	unit := parseUnit(t, "entra-provisioning-exporter.service")
	for key, want := range map[string]string{
		"DynamicUser": "yes", "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
		"PrivateTmp": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": "", "RestrictAddressFamilies": "AF_INET AF_INET6",
		"MemoryDenyWriteExecute": "yes", "SystemCallArchitectures": "native", "Restart": "on-failure",
		"EnvironmentFile": "/etc/entra-provisioning-exporter/env",
	} {
		got, ok := unit[key]
		if !ok || got[0] != want {
			t.Errorf("%s=%q, want %q", key, got, want)
		}
	}
	exec := unit["ExecStart"][0]
	if !strings.HasPrefix(exec, "/usr/local/bin/entra-provisioning-exporter ") || strings.Contains(strings.ToUpper(exec), "SECRET") {
		t.Errorf("ExecStart %q: run the exporter and keep credentials in the environment file", exec)
	}
}

// TestSystemdUnitPassesSystemdAnalyze runs systemd's own checks where
// systemd-analyze exists: the unit parses and its exposure level is at most
// 2.0 of 10 (--threshold counts tenths).
func TestSystemdUnitPassesSystemdAnalyze(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	out, err := exec.Command("systemd-analyze", "security", "--offline=true", "--threshold=20", "--no-pager", "./entra-provisioning-exporter.service").CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, lastLine(out))
	}
	t.Log(lastLine(out))
}

// parseUnit reads key=value lines of a systemd unit (repeated keys collect).
func parseUnit(t *testing.T, path string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, line := range strings.Split(string(mustRead(t, path)), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: not key=value: %q", path, line)
		}
		out[k] = append(out[k], v)
	}
	return out
}

func strict(t *testing.T, path string, data []byte, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(data, into); err != nil {
		t.Fatalf("%s does not decode strictly: %v", path, err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func capNames(caps []corev1.Capability) []string {
	out := make([]string, len(caps))
	for i, c := range caps {
		out[i] = string(c)
	}
	return out
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return fmt.Sprint(lines[len(lines)-1])
}
