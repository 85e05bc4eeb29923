// Command localcluster runs a local kube-apiserver and etcd (the binaries hack/build-controlplane.sh
// builds) for `make run`: CRDs installed, etcd data kept in a git-ignored folder, and an admin
// kubeconfig written for kubectl. It runs until interrupted, then stops both processes.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"kongchuo.io/kongchuo/internal/kube"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "localcluster:", err)
		os.Exit(1)
	}
}

func run() error {
	// A FlagSet of its own: controller-runtime registers a global --kubeconfig flag for reading one,
	// while this command writes one.
	fs := flag.NewFlagSet("localcluster", flag.ExitOnError)
	var assets, dataDir, kubeconfig, crds string
	fs.StringVar(&assets, "assets", os.Getenv("KUBEBUILDER_ASSETS"), "Folder holding kube-apiserver and etcd.")
	fs.StringVar(&dataDir, "data-dir", ".local/etcd", "Folder for etcd's data, kept between runs.")
	fs.StringVar(&kubeconfig, "kubeconfig", ".local/kubeconfig", "Where to write the admin kubeconfig.")
	fs.StringVar(&crds, "crds", "config/crd/bases", "Folder of CRDs to install.")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return err
	}

	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("creating data folder: %w", err)
	}
	env := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{crds},
		ErrorIfCRDPathMissing: true,
		Scheme:                kube.NewScheme(),
	}
	env.ControlPlane.Etcd = &envtest.Etcd{DataDir: dataDir}
	if _, err := env.Start(); err != nil {
		return fmt.Errorf("starting control plane: %w", err)
	}
	defer func() { _ = env.Stop() }()

	admin, err := env.ControlPlane.AddUser(envtest.User{Name: "county-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("adding admin user: %w", err)
	}
	cfg, err := admin.KubeConfig()
	if err != nil {
		return fmt.Errorf("rendering kubeconfig: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(kubeconfig), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(kubeconfig, cfg, 0o600); err != nil {
		return fmt.Errorf("writing kubeconfig: %w", err)
	}
	fmt.Printf("control plane ready: %s (kubeconfig %s)\n", env.Config.Host, kubeconfig)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	fmt.Println("stopping control plane")
	return nil
}
