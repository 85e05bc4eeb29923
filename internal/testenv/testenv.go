// Package testenv starts a real kube-apiserver and etcd (controller-runtime envtest) with the
// kongchuo CRDs installed, for integration tests. The binaries come from hack/build-controlplane.sh
// (make test sets KUBEBUILDER_ASSETS; plain go test falls back to bin/k8s/current).
package testenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	kongchuov1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/kube"
)

// Env is a running control plane with a client for it.
type Env struct {
	Config *rest.Config
	Client client.Client
	Scheme *k8sruntime.Scheme
	env    *envtest.Environment
}

// RepoRoot is the root of the kongchuo checkout, found from this file's location.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// NewScheme returns a scheme with the built-in and kongchuo kinds.
func NewScheme() *k8sruntime.Scheme { return kube.NewScheme() }

func assetsDir() (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	dir := filepath.Join(RepoRoot(), "bin", "k8s", "current")
	if _, err := os.Stat(filepath.Join(dir, "kube-apiserver")); err != nil {
		return "", fmt.Errorf("no control plane binaries: run 'make test' or 'hack/build-controlplane.sh' first (%w)", err)
	}
	return dir, nil
}

// Option changes how Start sets up the control plane.
type Option func(*settings)

type settings struct{ simulatedClock bool }

// WithSimulatedClock is for suites whose fake clock runs ahead of the real one: the admission
// policies that judge dates against the time of the request (config/admission/*_dates.yaml) are
// left out, because the API server's clock is the real one. The other policies stay.
func WithSimulatedClock() Option { return func(s *settings) { s.simulatedClock = true } }

// Start starts kube-apiserver and etcd with the kongchuo CRDs and admission policies installed.
func Start(opts ...Option) (*Env, error) {
	var set settings
	for _, o := range opts {
		o(&set)
	}
	assets, err := assetsDir()
	if err != nil {
		return nil, err
	}
	scheme := NewScheme()
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{filepath.Join(RepoRoot(), "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		Scheme:                scheme,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting envtest control plane from %s: %w", assets, err)
	}
	// Tests create many objects quickly; the default client rate limit would make them slow.
	cfg.QPS, cfg.Burst = 500, 1000
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("creating client: %w", err)
	}
	e := &Env{Config: cfg, Client: c, Scheme: scheme, env: env}
	if err := e.installAdmissionPolicies(context.Background(), set.simulatedClock); err != nil {
		_ = env.Stop()
		return nil, err
	}
	return e, nil
}

// ManagerConfig is a client config for a user bound to nothing but the manager's generated
// ClusterRole (config/rbac/role.yaml), so tests that run the controllers with it fail when an RBAC
// marker is missing.
func (e *Env) ManagerConfig(ctx context.Context) (*rest.Config, error) {
	return e.UserConfig(ctx, "kongchuo-manager-under-test", "", "role.yaml")
}

// UserConfig is a client config for a user bound to the ClusterRoles of the given files of
// config/rbac: in one namespace, or cluster-wide when namespace is "".
func (e *Env) UserConfig(ctx context.Context, user, namespace string, roleFiles ...string) (*rest.Config, error) {
	u, err := e.addUser(ctx, user, namespace, roleFiles...)
	if err != nil {
		return nil, err
	}
	cfg := u.Config()
	cfg.QPS, cfg.Burst = e.Config.QPS, e.Config.Burst
	return cfg, nil
}

// UserKubeconfig is a kubeconfig file for a user bound cluster-wide to the ClusterRoles of the
// given files of config/rbac, for a process of its own (the manager of the county-scale benchmark).
func (e *Env) UserKubeconfig(ctx context.Context, user string, roleFiles ...string) ([]byte, error) {
	u, err := e.addUser(ctx, user, "", roleFiles...)
	if err != nil {
		return nil, err
	}
	return u.KubeConfig()
}

func (e *Env) addUser(ctx context.Context, user, namespace string, roleFiles ...string) (*envtest.AuthenticatedUser, error) {
	for _, file := range roleFiles {
		if err := e.bindRole(ctx, user, namespace, file); err != nil {
			return nil, err
		}
	}
	u, err := e.env.ControlPlane.AddUser(envtest.User{Name: user}, e.Config)
	if err != nil {
		return nil, fmt.Errorf("adding user %s: %w", user, err)
	}
	return u, nil
}

func (e *Env) bindRole(ctx context.Context, user, namespace, file string) error {
	raw, err := os.ReadFile(filepath.Join(RepoRoot(), "config", "rbac", file))
	if err != nil {
		return fmt.Errorf("reading a role: %w", err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(raw, &role); err != nil {
		return fmt.Errorf("decoding config/rbac/%s: %w", file, err)
	}
	ref := rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name}
	subjects := []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}}
	meta := metav1.ObjectMeta{Name: user + "-" + role.Name, Namespace: namespace}
	var binding client.Object = &rbacv1.RoleBinding{ObjectMeta: meta, RoleRef: ref, Subjects: subjects}
	if namespace == "" {
		binding = &rbacv1.ClusterRoleBinding{ObjectMeta: meta, RoleRef: ref, Subjects: subjects}
	}
	for _, obj := range []client.Object{&role, binding} {
		if err := e.Client.Create(ctx, obj); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating %s: %w", obj.GetName(), err)
		}
	}
	return nil
}

// Stop stops the control plane.
func (e *Env) Stop() error { return e.env.Stop() }

// GVK returns the GroupVersionKind of a kongchuo kind.
func GVK(kind string) schema.GroupVersionKind { return kongchuov1.GroupVersion.WithKind(kind) }
