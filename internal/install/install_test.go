package install_test

// The installation artefacts against a real kube-apiserver: dist/install.yaml, every kustomize
// overlay under config/, and the Helm chart with several sets of values are sent as server-side
// dry runs and must be accepted; per-county RBAC is applied for real and checked with
// SubjectAccessReviews.

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"kongchuo.io/kongchuo/internal/install"
	"kongchuo.io/kongchuo/internal/testenv"
)

var (
	env         *testenv.Env
	k8s         client.Client
	kubeVersion string
	root        = testenv.RepoRoot()
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	e, err := testenv.Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "install tests need the control plane: %v\n", err)
		return 1
	}
	defer func() { _ = e.Stop() }()
	env, k8s = e, e.Client
	// ServiceMonitor, PrometheusRule, GitRepository and Kustomization: other projects' kinds.
	if _, err := envtest.InstallCRDs(e.Config, envtest.CRDInstallOptions{Paths: []string{filepath.Join("testdata", "crds")}}); err != nil {
		fmt.Fprintf(os.Stderr, "installing third-party CRDs: %v\n", err)
		return 1
	}
	dc, err := discovery.NewDiscoveryClientForConfig(e.Config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	v, err := dc.ServerVersion()
	if err != nil {
		fmt.Fprintf(os.Stderr, "reading the API server's version: %v\n", err)
		return 1
	}
	kubeVersion = v.GitVersion
	return m.Run()
}

// accept sends a manifest to the API server as a server-side dry run, after creating its
// namespaces, and returns its objects.
func accept(t *testing.T, manifest []byte) []*unstructured.Unstructured {
	t.Helper()
	objs, err := install.Objects(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 {
		t.Fatal("the manifest has no objects")
	}
	ctx := context.Background()
	if err := install.CreateNamespaces(ctx, k8s, objs); err != nil {
		t.Fatal(err)
	}
	if err := install.DryRunApply(ctx, k8s, objs); err != nil {
		t.Fatalf("the API server refused:\n%v", err)
	}
	return objs
}

func find(objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	return nil
}

func ofKind(objs []*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, o := range objs {
		if o.GetKind() == kind {
			out = append(out, o)
		}
	}
	return out
}

// managerArgs are the manager container's arguments in a manifest's Deployment.
func managerArgs(t *testing.T, deploy *unstructured.Unstructured) []string {
	t.Helper()
	if deploy == nil {
		t.Fatal("no manager Deployment")
	}
	containers, _, _ := unstructured.NestedSlice(deploy.Object, "spec", "template", "spec", "containers")
	for _, c := range containers {
		if c := c.(map[string]any); c["name"] == "manager" {
			args, _, _ := unstructured.NestedStringSlice(c, "args")
			return args
		}
	}
	t.Fatal("no manager container")
	return nil
}

func managerImage(deploy *unstructured.Unstructured) string {
	containers, _, _ := unstructured.NestedSlice(deploy.Object, "spec", "template", "spec", "containers")
	for _, c := range containers {
		if c := c.(map[string]any); c["name"] == "manager" {
			image, _ := c["image"].(string)
			return image
		}
	}
	return ""
}

func TestInstallYAMLIsCurrentAndAccepted(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "dist", "install.yaml"))
	if err != nil {
		t.Fatalf("run make build-installer: %v", err)
	}
	objs := accept(t, raw)
	deploy := find(objs, "Deployment", "kongchuo-manager")
	image := managerImage(deploy)
	want, err := install.KustomizeWithImage(filepath.Join(root, "config", "default"), image)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, append([]byte(install.InstallerHeader(image)), want...)) {
		t.Errorf("dist/install.yaml is not config/default with image %s: run make build-installer", image)
	}
	if replicas, _, _ := unstructured.NestedInt64(deploy.Object, "spec", "replicas"); replicas != 2 {
		t.Errorf("replicas = %d, want 2", replicas)
	}
	if !slices.Contains(managerArgs(t, deploy), "--leader-elect") {
		t.Error("the manager runs without --leader-elect")
	}
	for _, kind := range []string{"CustomResourceDefinition", "ClusterRole", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy", "Service"} {
		if len(ofKind(objs, kind)) == 0 {
			t.Errorf("dist/install.yaml has no %s", kind)
		}
	}
	if n := len(ofKind(objs, "CustomResourceDefinition")); n != crdCount(t) {
		t.Errorf("dist/install.yaml has %d CRDs, config/crd/bases %d", n, crdCount(t))
	}
}

func crdCount(t *testing.T) int {
	files, err := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	return len(files)
}

func TestInstallerSetsImageWithoutEditingTheTree(t *testing.T) {
	for image, want := range map[string]string{
		"registry.example.org:5000/edu/kongchuo-manager:v1.2.3":                   "registry.example.org:5000/edu/kongchuo-manager:v1.2.3",
		"registry.example.org/kongchuo/manager@sha256:" + strings.Repeat("a", 64): "registry.example.org/kongchuo/manager@sha256:" + strings.Repeat("a", 64),
		// No tag: config/manager's tag (latest) stays, as with kustomize edit set image.
		"localhost:5000/kongchuo": "localhost:5000/kongchuo:latest",
	} {
		out, err := install.KustomizeWithImage(filepath.Join(root, "config", "default"), image)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := install.Objects(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := managerImage(find(objs, "Deployment", "kongchuo-manager")); got != want {
			t.Errorf("image %s: Deployment runs %s", image, got)
		}
	}
}

// kustomizations are the directories under config/ with a kustomization.yaml: every overlay,
// found rather than listed, so a new one is tested without editing this file.
func kustomizations(t *testing.T) []string {
	var dirs []string
	err := filepath.WalkDir(filepath.Join(root, "config"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "kustomization.yaml" {
			dirs = append(dirs, filepath.Dir(path))
		}
		return err
	})
	if err != nil || len(dirs) == 0 {
		t.Fatalf("finding kustomizations: %v", err)
	}
	return dirs
}

func TestEveryKustomizationIsAccepted(t *testing.T) {
	for _, dir := range kustomizations(t) {
		rel, _ := filepath.Rel(root, dir)
		t.Run(rel, func(t *testing.T) {
			out, err := install.Kustomize(dir)
			if err != nil {
				t.Fatal(err)
			}
			accept(t, out)
		})
	}
}

func TestNamespacedOverlayIsLeastPrivilege(t *testing.T) {
	out, err := install.Kustomize(filepath.Join(root, "config", "namespaced"))
	if err != nil {
		t.Fatal(err)
	}
	objs := accept(t, out)
	watched := watchedNamespaces(t, managerArgs(t, find(objs, "Deployment", "kongchuo-manager")))
	assertPerCountyRBAC(t, objs, "kongchuo-manager", "kongchuo-system", watched)
}

func watchedNamespaces(t *testing.T, args []string) []string {
	t.Helper()
	for _, a := range args {
		if list, ok := strings.CutPrefix(a, "--watch-namespaces="); ok {
			return strings.Split(list, ",")
		}
	}
	t.Fatalf("no --watch-namespaces in %v", args)
	return nil
}

// assertPerCountyRBAC applies the manifest's RBAC for real and asks the API server what the
// manager's ServiceAccount may do: read Students in each watched namespace, and nowhere else.
func assertPerCountyRBAC(t *testing.T, objs []*unstructured.Unstructured, role, namespace string, watched []string) {
	t.Helper()
	ctx := context.Background()
	for _, b := range ofKind(objs, "ClusterRoleBinding") {
		if ref, _, _ := unstructured.NestedString(b.Object, "roleRef", "name"); ref == role {
			t.Errorf("ClusterRoleBinding %s grants %s in every namespace", b.GetName(), role)
		}
	}
	var bound []string
	for _, b := range ofKind(objs, "RoleBinding") {
		if ref, _, _ := unstructured.NestedString(b.Object, "roleRef", "name"); ref == role {
			bound = append(bound, b.GetNamespace())
		}
	}
	slices.Sort(bound)
	want := slices.Sorted(slices.Values(watched))
	if !slices.Equal(bound, want) {
		t.Errorf("RoleBindings of %s in %v, watched namespaces %v", role, bound, want)
	}
	var rbac []*unstructured.Unstructured
	for _, o := range objs {
		if o.GetKind() == "ClusterRole" && o.GetName() == role || o.GetKind() == "RoleBinding" && slices.Contains(watched, o.GetNamespace()) {
			rbac = append(rbac, o)
		}
	}
	for _, o := range rbac {
		if err := k8s.Apply(ctx, client.ApplyConfigurationFromUnstructured(o.DeepCopy()), client.FieldOwner(install.FieldOwner), client.ForceOwnership); err != nil {
			t.Fatalf("applying %s %s: %v", o.GetKind(), o.GetName(), err)
		}
	}
	user := "system:serviceaccount:" + namespace + ":" + role
	// The API server's RBAC authorizer learns of new bindings from its informers: allow it a moment.
	for _, ns := range watched {
		if !eventually(func() bool { return mayListStudents(t, user, ns) }) {
			t.Errorf("%s may not list Students in watched namespace %s", user, ns)
		}
	}
	for _, ns := range []string{"county-not-watched", ""} {
		if mayListStudents(t, user, ns) {
			t.Errorf("%s may list Students in %q (\"\" = all namespaces)", user, ns)
		}
	}
}

func mayListStudents(t *testing.T, user, namespace string) bool {
	t.Helper()
	review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User:   user,
		Groups: []string{"system:serviceaccounts", "system:authenticated"},
		ResourceAttributes: &authorizationv1.ResourceAttributes{
			Namespace: namespace, Verb: "list", Group: "kongchuo.io", Resource: "students",
		},
	}}
	if err := k8s.Create(context.Background(), review); err != nil {
		t.Fatalf("SubjectAccessReview: %v", err)
	}
	return review.Status.Allowed
}

// eventually polls ok for up to ten seconds.
func eventually(ok func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}
