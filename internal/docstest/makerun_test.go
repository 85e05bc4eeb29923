package docstest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/testenv"
)

// After the user guide's tour patches an agreement with kubectl, the next make run applies the
// demo's agreements again: it must restore them and say so, not stop on the server-side-apply
// conflict (hack/apply-demo-agreements.sh, called by hack/run-local.sh).
func TestMakeRunRestoresAnAgreementThePatchChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("needs a control plane (not with -short)")
	}
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Stop() }()
	home := reader(t, env)
	county := demo.Generate(time.Now(), demo.DefaultSeed)
	agreements, err := county.AgreementsYAML()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"namespace.yaml": demo.NamespaceYAML(), "agreements.yaml": agreements} {
		if err := os.WriteFile(filepath.Join(home, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	apply := filepath.Join(testenv.RepoRoot(), "hack", "apply-demo-agreements.sh")
	name := county.Agreements[0].Name
	script := "kubectl apply --server-side -f namespace.yaml\n" + apply + " agreements.yaml\n" +
		"kubectl patch ra -n " + demo.Namespace + " " + name + ` --type merge -p '{"spec":{"responsible":{"name":"新老师"}}}'` + "\n" +
		apply + " agreements.yaml\n"
	_, out, err := failure(home, script, []int{1, 2, 3, 4})
	if err != nil || !strings.Contains(out, "restoring the demo's values") {
		t.Fatalf("second apply: %v\n%s", err, out)
	}
	var ra v1.ResponsibilityAgreement
	if err := env.Client.Get(context.Background(), client.ObjectKey{Namespace: demo.Namespace, Name: name}, &ra); err != nil ||
		ra.Spec.Responsible.Name != county.Agreements[0].Spec.Responsible.Name {
		t.Errorf("agreement after make run: %q %v, want the demo's %q", ra.Spec.Responsible.Name, err, county.Agreements[0].Spec.Responsible.Name)
	}
}
