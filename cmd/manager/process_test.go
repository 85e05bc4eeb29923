package main

// The tests of this package run the manager as a program, as a cluster does: built from this
// folder, started with flags and a kubeconfig for a user bound to the manager's RBAC only, and
// stopped with SIGTERM or SIGKILL. The control plane is envtest's real kube-apiserver and etcd with
// the CRDs and admission policies installed.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"kongchuo.io/kongchuo/internal/testenv"
)

// managerUser is the user the managers run as.
const managerUser = "kongchuo-manager-process"

var (
	env        *testenv.Env
	k8s        client.Client
	managerBin string
	kubeconfig string // the manager's user: config/rbac/role.yaml, and the leader-election Role where bound
	runSeq     atomic.Int32
)

// uniqueName makes namespace names unique per run, so that `go test -count=N` starts afresh.
func uniqueName(prefix string) string { return fmt.Sprintf("%s-%d", prefix, runSeq.Add(1)) }

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "kongchuo-manager-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	managerBin = filepath.Join(dir, "manager")
	if out, err := exec.Command("go", "build", "-o", managerBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the manager: %v\n%s", err, out)
		return 1
	}
	if env, err = testenv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	k8s = env.Client
	kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := setUpManagerUser(context.Background(), kubeconfig); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// setUpManagerUser binds a user to the manager's ClusterRole and writes a kubeconfig for it.
func setUpManagerUser(ctx context.Context, path string) error {
	cfg, err := env.UserConfig(ctx, managerUser, "", "role.yaml")
	if err != nil {
		return err
	}
	return writeKubeconfig(cfg, path)
}

// leaseNamespace creates a namespace for the leader-election Lease with the manager's
// leader-election Role (config/rbac/leader_election_role.yaml) bound in it.
func leaseNamespace(ctx context.Context) (string, error) {
	ns := uniqueName("kongchuo-system")
	if err := createNamespace(ctx, ns); err != nil {
		return "", err
	}
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "rbac", "leader_election_role.yaml"))
	if err != nil {
		return "", err
	}
	var role rbacv1.Role
	if err := yaml.Unmarshal(raw, &role); err != nil {
		return "", fmt.Errorf("decoding the leader-election Role: %w", err)
	}
	role.Namespace = ns
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role.Name, Namespace: ns},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role.Name},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: managerUser}},
	}
	for _, obj := range []client.Object{&role, binding} {
		if err := k8s.Create(ctx, obj); err != nil {
			return "", fmt.Errorf("creating %s: %w", obj.GetName(), err)
		}
	}
	return ns, nil
}

func writeKubeconfig(cfg *rest.Config, path string) error {
	kc := clientcmdapi.NewConfig()
	kc.Clusters["test"] = &clientcmdapi.Cluster{Server: cfg.Host, CertificateAuthorityData: cfg.CAData}
	kc.AuthInfos["manager"] = &clientcmdapi.AuthInfo{ClientCertificateData: cfg.CertData, ClientKeyData: cfg.KeyData, Token: cfg.BearerToken}
	kc.Contexts["test"] = &clientcmdapi.Context{Cluster: "test", AuthInfo: "manager"}
	kc.CurrentContext = "test"
	return clientcmd.WriteToFile(*kc, path)
}

func createNamespace(ctx context.Context, name string) error {
	err := k8s.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", name, err)
	}
	return nil
}

// process is one running manager.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startManager runs the manager with its user's kubeconfig and the given flags; its log goes to
// logPath (the test's artefacts, read when something fails).
func startManager(t *testing.T, logPath string, args ...string) *process {
	t.Helper()
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(managerBin, append([]string{"--kubeconfig", kubeconfig, "--metrics-bind-address=0", "--health-probe-bind-address=0"}, args...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the manager: %v", err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		_ = log.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(syscall.SIGKILL) })
	return p
}

// stop sends a signal and waits for the process to end.
func (p *process) stop(sig syscall.Signal) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}
