package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"

	kongchuov1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Files of config/admission. The report policy comes last and serves as the probe: the API server
// loads policies in the order they are created, so once it is enforced the others are too.
var (
	identityPolicies = []string{"case_opening.yaml", "report_confirmation.yaml"}
	clockPolicies    = []string{"student_dates.yaml", "case_dates.yaml"}
	probePolicy      = "report_dates.yaml"
)

// installAdmissionPolicies applies config/admission as a cluster would, and waits until the API
// server enforces them: a policy takes a moment to reach the admission plugin after it is created.
// With a simulated clock the policies that judge dates against the request time are removed again.
func (e *Env) installAdmissionPolicies(ctx context.Context, simulatedClock bool) error {
	files := identityPolicies
	if !simulatedClock {
		files = append(files, clockPolicies...)
	}
	var probe []*unstructured.Unstructured
	for _, file := range append(files, probePolicy) {
		objs, err := readManifests(filepath.Join(RepoRoot(), "config", "admission", file))
		if err != nil {
			return err
		}
		for _, obj := range objs {
			if err := e.Client.Create(ctx, obj); err != nil && !apierrors.IsAlreadyExists(err) {
				return fmt.Errorf("creating %s from config/admission/%s: %w", obj.GetName(), file, err)
			}
		}
		probe = objs
	}
	if err := e.waitForProbe(ctx, true); err != nil {
		return err
	}
	if !simulatedClock {
		return nil
	}
	for _, obj := range probe {
		if err := e.Client.Delete(ctx, obj); err != nil {
			return fmt.Errorf("removing %s: %w", obj.GetName(), err)
		}
	}
	return e.waitForProbe(ctx, false)
}

// readManifests decodes the YAML documents of a file.
func readManifests(path string) ([]*unstructured.Unstructured, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading manifests: %w", err)
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
	var out []*unstructured.Unstructured
	for {
		obj := &unstructured.Unstructured{}
		if err := dec.Decode(&obj.Object); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("decoding %s: %w", path, err)
		}
		if len(obj.Object) > 0 {
			out = append(out, obj)
		}
	}
}

// waitForProbe submits, as a dry run, a report for a day far in the future until the API server
// refuses it (refused true) or accepts it (refused false).
func (e *Env) waitForProbe(ctx context.Context, refused bool) error {
	probe := &kongchuov1.AttendanceReport{
		ObjectMeta: metav1.ObjectMeta{Name: "admission-probe", Namespace: metav1.NamespaceDefault},
		Spec: kongchuov1.AttendanceReportSpec{
			School: "0000000000", Grade: 1, Class: 1, Date: "2999-01-01", Reporter: "admission-probe",
		},
	}
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		err := e.Client.Create(ctx, probe.DeepCopy(), client.DryRunAll)
		switch {
		case err == nil:
			return !refused, nil
		case strings.Contains(err.Error(), "kongchuo-report-dates"):
			return refused, nil
		default:
			return false, fmt.Errorf("probing the admission policies: %w", err)
		}
	})
	if err != nil {
		return fmt.Errorf("waiting for the API server to apply config/admission (refusing a future report: %v): %w", refused, err)
	}
	return nil
}
