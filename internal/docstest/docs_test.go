// Package docstest runs the commands of the README and the user guides against the demo county,
// as a reader would after `make run`: a real API server, the controllers running, the demo
// loaded for today, kubectl and the plugin on the PATH. A command that exits non-zero fails
// the test, naming the file and line.
//
// Every ```sh block is run, the blocks of one file in order in one bash session (set -euo
// pipefail), so variables set in one block serve the next. A block preceded by the line
// <!-- docs-test: skip --> is not run (starting the local cluster, editing Git repositories).
// makerun_test.go checks that make run after the tour's edits restores the demo and says so.
package docstest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/controllers"
	"kongchuo.io/kongchuo/internal/casework"
	"kongchuo.io/kongchuo/internal/cli"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/importer"
	"kongchuo.io/kongchuo/internal/testenv"
)

// The documents whose commands are run.
var documents = []string{"README.md", "docs/user-guide.md", "docs/zh/使用手册.md", "docs/plugin.md"}

// pluginName is the name the test binary answers to when it stands in for kubectl-kongchuo.
const pluginName = "kubectl-kongchuo"

func TestMain(m *testing.M) {
	// Invoked through the bin/kubectl-kongchuo link: be the plugin.
	if filepath.Base(os.Args[0]) == pluginName {
		os.Exit(cli.Main(os.Args[1:], genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
	}
	os.Exit(m.Run())
}

func TestDocumentedCommandsRunAgainstTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the documentation against a control plane (not with -short)")
	}
	ctrl.SetLogger(logr.Discard())
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Fatalf("the docs use kubectl, which is not on the PATH: %v", err)
	}
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Stop() }()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	startManager(ctx, t, env)
	loadDemo(ctx, t, env)
	home := reader(t, env)

	for _, doc := range documents {
		t.Run(doc, func(t *testing.T) {
			script, lines := extractScript(t, filepath.Join(testenv.RepoRoot(), doc))
			runScript(t, home, doc, script, lines)
		})
	}
}

// startManager runs the controllers with the real clock, as make run does.
func startManager(ctx context.Context, t *testing.T, env *testenv.Env) {
	t.Helper()
	cfg, err := env.ManagerConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: env.Scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := controllers.DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	if err := controllers.SetupWithManager(mgr, opts); err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := mgr.Start(ctx); err != nil {
			t.Errorf("manager: %v", err)
		}
	}()
}

// loadDemo loads the demo county for today, as hack/run-local.sh does.
func loadDemo(ctx context.Context, t *testing.T, env *testenv.Env) {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	today, _ := time.Parse("2006-01-02", time.Now().In(shanghai).Format("2006-01-02"))
	county := demo.Generate(today, demo.DefaultSeed)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: demo.Namespace, Labels: map[string]string{"kongchuo.io/county": demo.CountyCode}}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for _, a := range county.Agreements {
		a = a.DeepCopy()
		a.Namespace = demo.Namespace
		if err := env.Client.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range county.Reports() {
		if err := env.Client.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	im := &importer.Importer{Client: env.Client, Namespace: demo.Namespace}
	if res, err := im.ImportRegistry(ctx, strings.NewReader(string(county.RegistryCSV()))); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("registry: %v %+v", err, res)
	}
	if res, err := im.ImportAttendance(ctx, strings.NewReader(string(county.AttendanceCSV()))); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("attendance: %v %+v", err, res)
	}
	rec := &casework.Recorder{Client: env.Client, Namespace: demo.Namespace}
	if res, err := rec.RecordFile(ctx, strings.NewReader(string(county.ActionsCSV())), 2*time.Minute, nil); err != nil || len(res.Failed) > 0 {
		t.Fatalf("actions: %v %+v", err, res)
	}
	waitForCases(ctx, t, env.Client)
}

// waitForCases waits until the controller has given every case a stage.
func waitForCases(ctx context.Context, t *testing.T, c client.Client) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var list v1.DropoutCaseList
		if err := c.List(ctx, &list, client.InNamespace(demo.Namespace)); err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, dc := range list.Items {
			if dc.Status.ObservedGeneration != dc.Generation {
				pending++
			}
		}
		if len(list.Items) > 0 && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d cases not processed after a minute", pending, len(list.Items))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// reader prepares the reader's working directory: .local/kubeconfig as make run writes it, and
// bin/kubectl-kongchuo (this test binary, which answers as the plugin).
func reader(t *testing.T, env *testenv.Env) string {
	t.Helper()
	home := t.TempDir()
	for _, d := range []string{".local", "bin"} {
		if err := os.MkdirAll(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	kc := clientcmdapi.NewConfig()
	kc.Clusters["local"] = &clientcmdapi.Cluster{Server: env.Config.Host, CertificateAuthorityData: env.Config.CAData}
	kc.AuthInfos["local"] = &clientcmdapi.AuthInfo{ClientCertificateData: env.Config.CertData, ClientKeyData: env.Config.KeyData, Token: env.Config.BearerToken}
	kc.Contexts["local"] = &clientcmdapi.Context{Cluster: "local", AuthInfo: "local", Namespace: demo.Namespace}
	kc.CurrentContext = "local"
	if err := clientcmd.WriteToFile(*kc, filepath.Join(home, ".local", "kubeconfig")); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(home, "bin", pluginName)); err != nil {
		t.Fatal(err)
	}
	return home
}

var fence = regexp.MustCompile("^\\s*```(\\w*)")

// extractScript joins a document's sh blocks into one script; lines[i] is the document line of
// script line i+1.
func extractScript(t *testing.T, path string) (string, []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var script strings.Builder
	var lines []int
	in, skip, prev := false, false, ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch m := fence.FindStringSubmatch(line); {
		case m != nil && !in:
			in, skip = true, m[1] != "sh" || strings.TrimSpace(prev) == "<!-- docs-test: skip -->"
		case m != nil && in:
			in = false
		case in && !skip:
			script.WriteString(line + "\n")
			lines = append(lines, n)
		}
		if strings.TrimSpace(line) != "" {
			prev = line
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 {
		t.Fatalf("%s has no sh block: nothing to run", path)
	}
	return script.String(), lines
}

var failedAt = regexp.MustCompile(`docs-test: exit (\d+) at script line (\d+)`)

// runScript runs the script in the reader's directory and fails with the document line of the
// first command that exits non-zero.
func runScript(t *testing.T, home, doc, script string, lines []int) {
	t.Helper()
	if line, out, err := failure(home, script, lines); err != nil {
		t.Errorf("%s:%s: a documented command failed (%v):\n%s", doc, line, err, tail(out, 40))
		return
	}
	t.Logf("%s: %d lines of commands ran", doc, len(lines))
}

// failure runs the script under set -e and returns the document line of the command that
// failed ("?" if it cannot tell), with the output; err is nil when every command succeeded.
func failure(home, script string, lines []int) (string, string, error) {
	preamble := "set -eEuo pipefail\ntrap 'echo \"docs-test: exit $? at script line $((LINENO-2))\" >&2' ERR\n"
	cmd := exec.Command("bash", "-c", preamble+script)
	cmd.Dir = home
	cmd.Env = append(os.Environ(), "HOME="+home, "KUBECONFIG="+filepath.Join(home, ".local", "kubeconfig"),
		"PATH="+filepath.Join(home, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return "", string(out), nil
	}
	where := "?"
	if m := failedAt.FindSubmatch(out); m != nil {
		if i, _ := strconv.Atoi(string(m[2])); i >= 1 && i <= len(lines) {
			where = fmt.Sprint(lines[i-1])
		}
	}
	return where, string(out), err
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
