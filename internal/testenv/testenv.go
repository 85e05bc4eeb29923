// Package testenv starts a real kube-apiserver and etcd (controller-runtime envtest) with the
// kongchuo CRDs installed, for integration tests. The binaries come from hack/build-controlplane.sh
// (make test sets KUBEBUILDER_ASSETS; plain go test falls back to bin/k8s/current).
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

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

// Start starts kube-apiserver and etcd with the kongchuo CRDs installed.
func Start() (*Env, error) {
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
	return &Env{Config: cfg, Client: c, Scheme: scheme, env: env}, nil
}

// Stop stops the control plane.
func (e *Env) Stop() error { return e.env.Stop() }

// GVK returns the GroupVersionKind of a kongchuo kind.
func GVK(kind string) schema.GroupVersionKind { return kongchuov1.GroupVersion.WithKind(kind) }
