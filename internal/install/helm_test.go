package install_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"kongchuo.io/kongchuo/internal/install"
)

func helmTemplate(t *testing.T, release, namespace string, values map[string]any) []*unstructured.Unstructured {
	t.Helper()
	out, err := install.HelmTemplate(context.Background(), filepath.Join(root, "charts", "kongchuo"), release, namespace, kubeVersion, values)
	if err != nil {
		t.Fatal(err)
	}
	return accept(t, out)
}

func TestHelmChartDefaultsAreAccepted(t *testing.T) {
	objs := helmTemplate(t, "kongchuo", "kongchuo-system", nil)
	deploy := find(objs, "Deployment", "kongchuo-manager")
	args := managerArgs(t, deploy)
	for _, want := range []string{"--leader-elect", "--time-zone=Asia/Shanghai", "--school-age-cutoff=08-31", "--metrics-bind-address=:8443"} {
		if !slices.Contains(args, want) {
			t.Errorf("args %v lack %s", args, want)
		}
	}
	if replicas, _, _ := unstructured.NestedInt64(deploy.Object, "spec", "replicas"); replicas != 2 {
		t.Errorf("replicas = %d, want 2", replicas)
	}
	if b := find(objs, "ClusterRoleBinding", "kongchuo-manager"); b == nil {
		t.Error("watching every namespace needs the ClusterRoleBinding")
	}
	if n := len(ofKind(objs, "CustomResourceDefinition")); n != crdCount(t) {
		t.Errorf("the chart has %d CRDs, config/crd/bases %d", n, crdCount(t))
	}
	for _, kind := range []string{"ServiceMonitor", "PrometheusRule", "ConfigMap"} {
		if len(ofKind(objs, kind)) != 0 {
			t.Errorf("%s rendered though off by default", kind)
		}
	}
	for _, kind := range []string{"NetworkPolicy", "PodDisruptionBudget"} {
		if len(ofKind(objs, kind)) != 1 {
			t.Errorf("want one %s by default", kind)
		}
	}
}

func TestHelmChartPerCountyWithMonitoring(t *testing.T) {
	values := map[string]any{
		"watchNamespaces":        []any{"shard-county-a", "shard-county-b"},
		"timeZone":               "Asia/Urumqi",
		"schoolAgeCutoff":        "08-31",
		"countySchoolAgeCutoffs": map[string]any{"shard-county-b": "09-30"},
		"workers":                map[string]any{"students": 8, "cases": 2, "agreements": 1, "reports": 4},
		"resources":              map[string]any{"limits": map[string]any{"memory": "2Gi"}},
		"serviceMonitor":         map[string]any{"enabled": true, "labels": map[string]any{"release": "kube-prometheus-stack"}},
		"prometheusRule":         map[string]any{"enabled": true},
		"dashboard":              map[string]any{"enabled": true},
		"rbac":                   map[string]any{"staffRoles": false},
	}
	objs := helmTemplate(t, "shard", "kongchuo-shard", values)
	deploy := find(objs, "Deployment", "shard-kongchuo-manager")
	args := managerArgs(t, deploy)
	for _, want := range []string{
		"--watch-namespaces=shard-county-a,shard-county-b", "--time-zone=Asia/Urumqi",
		"--school-age-cutoff=08-31,shard-county-b=09-30",
		"--student-workers=8", "--case-workers=2", "--agreement-workers=1", "--report-workers=4",
	} {
		if !slices.Contains(args, want) {
			t.Errorf("args %v lack %s", args, want)
		}
	}
	for _, kind := range []string{"ServiceMonitor", "PrometheusRule"} {
		if len(ofKind(objs, kind)) != 1 {
			t.Errorf("want one %s", kind)
		}
	}
	if sm := ofKind(objs, "ServiceMonitor"); len(sm) == 1 {
		endpoints, _, _ := unstructured.NestedSlice(sm[0].Object, "spec", "endpoints")
		for _, e := range endpoints {
			if _, deprecated := e.(map[string]any)["bearerTokenFile"]; deprecated {
				t.Error("the ServiceMonitor uses the deprecated bearerTokenFile")
			}
		}
	}
	if cm := find(objs, "ConfigMap", "shard-kongchuo-dashboard"); cm == nil {
		t.Error("no dashboard ConfigMap")
	}
	if find(objs, "ClusterRole", "kongchuo-viewer") != nil {
		t.Error("staff roles rendered with rbac.staffRoles=false")
	}
	assertPerCountyRBAC(t, objs, "shard-kongchuo-manager", "kongchuo-shard", []string{"shard-county-a", "shard-county-b"})
}

// TestHelmChartCopiesAreCurrent: the chart's copies of config/ files (hack/sync-chart.sh) are
// the files themselves.
func TestHelmChartCopiesAreCurrent(t *testing.T) {
	chart := filepath.Join(root, "charts", "kongchuo")
	pairs := map[string]string{
		"files/manager-role.yaml":   "config/rbac/role.yaml",
		"files/viewer-role.yaml":    "config/rbac/kongchuo_viewer_role.yaml",
		"files/editor-role.yaml":    "config/rbac/kongchuo_editor_role.yaml",
		"files/admin-role.yaml":     "config/rbac/kongchuo_admin_role.yaml",
		"files/prometheusrule.yaml": "config/prometheus/prometheusrule.yaml",
		"files/dashboard.json":      "config/grafana/kongchuo-dashboard.json",
	}
	crds, _ := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	for _, crd := range crds {
		pairs[filepath.Join("crds", filepath.Base(crd))] = filepath.Join("config", "crd", "bases", filepath.Base(crd))
	}
	copies, _ := filepath.Glob(filepath.Join(chart, "crds", "*.yaml"))
	if len(copies) != len(crds) {
		t.Errorf("charts/kongchuo/crds has %d files, config/crd/bases %d: run make manifests", len(copies), len(crds))
	}
	for copied, source := range pairs {
		a, errA := os.ReadFile(filepath.Join(chart, copied))
		b, errB := os.ReadFile(filepath.Join(root, source))
		if errA != nil || errB != nil || string(a) != string(b) {
			t.Errorf("charts/kongchuo/%s differs from %s: run make manifests (%v %v)", copied, source, errA, errB)
		}
	}
}

// TestHelmChartLintsAndRejectsBadValues: Helm's linter finds nothing, and the values schema
// refuses what the manager would refuse at start-up.
func TestHelmChartLintsAndRejectsBadValues(t *testing.T) {
	chart := filepath.Join(root, "charts", "kongchuo")
	lint := action.NewLint()
	lint.Strict = true
	lint.Namespace = "kongchuo-system"
	res := lint.Run([]string{chart}, nil)
	for _, m := range res.Messages {
		if m.Severity >= support.WarningSev {
			t.Errorf("helm lint --strict: %s", m)
		}
	}
	if len(res.Errors) > 0 {
		t.Errorf("helm lint --strict: %v", res.Errors)
	}
	for name, values := range map[string]map[string]any{
		"a cut-off that is no date": {"schoolAgeCutoff": "8/31"},
		"zero workers":              {"workers": map[string]any{"cases": 0}},
		"an unknown worker kind":    {"workers": map[string]any{"classes": 2}},
		"a namespace with capitals": {"watchNamespaces": []any{"County-A"}},
	} {
		if _, err := install.HelmTemplate(context.Background(), chart, "kongchuo", "kongchuo-system", kubeVersion, values); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
}
