// Package casework records what people did on DropoutCases: actions appended to spec.actions
// and closures by an authorised person. Writes use optimistic concurrency (a merge patch carrying
// the resourceVersion) and are retried on conflict, so two people recording at once both land.
package casework

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/importer"
	"kongchuo.io/kongchuo/internal/registry"
)

// FieldManager names the plugin's writes to cases.
const FieldManager = "kubectl-kongchuo"

// Recorder writes to the DropoutCases of one namespace.
type Recorder struct {
	Client    client.Client
	Namespace string
}

// conflictBackoff spaces out retries when others write the same case at the same time: each
// round at least one writer succeeds, so a dozen rounds cover a busy case.
var conflictBackoff = wait.Backoff{Steps: 12, Duration: 20 * time.Millisecond, Factor: 1.5, Jitter: 0.5, Cap: 2 * time.Second}

// ErrNoOpenCase says a Student has no open case (yet).
var ErrNoOpenCase = errors.New("has no open case")

// FindCase returns the DropoutCase named ref, or, when ref names a Student, the Student's open
// case. ref may also be a child's resident ID or student number: it is turned into the Student's
// pseudonymous name and never repeated in errors.
func (r *Recorder) FindCase(ctx context.Context, ref string) (*v1.DropoutCase, error) {
	if isIDNumber(ref) {
		return r.findByID(ctx, ref)
	}
	dc := &v1.DropoutCase{}
	err := r.Client.Get(ctx, client.ObjectKey{Namespace: r.Namespace, Name: ref}, dc)
	if err == nil {
		return dc, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, err
	}
	stu := &v1.Student{}
	if err := r.Client.Get(ctx, client.ObjectKey{Namespace: r.Namespace, Name: ref}, stu); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("no DropoutCase or Student named %q in namespace %s", ref, r.Namespace)
		}
		return nil, err
	}
	return r.openCaseOf(ctx, stu)
}

func isIDNumber(ref string) bool {
	id := registry.CanonicalizeID(ref)
	return registry.ResidentIDProblem(id) == "" || registry.StudentNumberProblem(id) == ""
}

// findByID finds the open case of the child with a resident ID or student number.
func (r *Recorder) findByID(ctx context.Context, id string) (*v1.DropoutCase, error) {
	id = registry.CanonicalizeID(id)
	candidates := []string{registry.StudentName(id)}
	if resident := registry.EmbeddedResidentID(id); resident != "" {
		candidates = append(candidates, registry.StudentName(resident))
	}
	for _, name := range candidates {
		stu := &v1.Student{}
		err := r.Client.Get(ctx, client.ObjectKey{Namespace: r.Namespace, Name: name}, stu)
		if err == nil {
			return r.openCaseOf(ctx, stu)
		}
		if !apierrors.IsNotFound(err) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("no Student with this ID number in namespace %s (looked for %s)", r.Namespace, strings.Join(candidates, ", "))
}

func (r *Recorder) openCaseOf(ctx context.Context, stu *v1.Student) (*v1.DropoutCase, error) {
	ref := stu.Name
	dc := &v1.DropoutCase{}
	if stu.Status.OpenCase == "" {
		return nil, fmt.Errorf("Student %s %w", ref, ErrNoOpenCase)
	}
	if err := r.Client.Get(ctx, client.ObjectKey{Namespace: r.Namespace, Name: stu.Status.OpenCase}, dc); err != nil {
		if apierrors.IsNotFound(err) {
			// The controller writes the Student's status before it creates the case it names.
			return nil, fmt.Errorf("Student %s %w: case %s is being opened", ref, ErrNoOpenCase, stu.Status.OpenCase)
		}
		return nil, fmt.Errorf("Student %s: open case %s: %w", ref, stu.Status.OpenCase, err)
	}
	return dc, nil
}

// Record appends an action to the case named ref (or the open case of the Student named ref).
// An action equal to one already recorded is not added again (already is true), so a file of
// actions can be fed twice.
func (r *Recorder) Record(ctx context.Context, ref string, a v1.CaseAction) (caseName string, already bool, err error) {
	if p := registry.ActionProblems(a); len(p) > 0 {
		return "", false, fmt.Errorf("%s", strings.Join(p, "; "))
	}
	return r.updateCase(ctx, ref, func(dc *v1.DropoutCase) (bool, error) {
		for _, have := range dc.Spec.Actions {
			if have == a {
				return true, nil
			}
		}
		dc.Spec.Actions = append(dc.Spec.Actions, a)
		return false, nil
	})
}

// Close sets spec.closure of the case named ref (or the Student's open case).
func (r *Recorder) Close(ctx context.Context, ref string, c v1.Closure) (caseName string, already bool, err error) {
	if p := registry.ClosureProblems(c); len(p) > 0 {
		return "", false, fmt.Errorf("%s", strings.Join(p, "; "))
	}
	return r.updateCase(ctx, ref, func(dc *v1.DropoutCase) (bool, error) {
		if dc.Spec.Closure == nil {
			dc.Spec.Closure = &c
			return false, nil
		}
		if *dc.Spec.Closure == c {
			return true, nil
		}
		return false, fmt.Errorf("case %s was already closed by decision on %s (by %s)", dc.Name, dc.Spec.Closure.Date, dc.Spec.Closure.By)
	})
}

// updateCase finds the case and applies change to its spec, retrying on conflict with a fresh
// read. change reports already when the case says it all, and then nothing is written.
func (r *Recorder) updateCase(ctx context.Context, ref string, change func(*v1.DropoutCase) (already bool, err error)) (caseName string, already bool, err error) {
	err = retry.RetryOnConflict(conflictBackoff, func() error {
		dc, err := r.FindCase(ctx, ref)
		if err != nil {
			return err
		}
		caseName = dc.Name
		orig := dc.DeepCopy()
		if already, err = change(dc); already || err != nil {
			return err
		}
		return r.Client.Patch(ctx, dc, client.MergeFromWithOptions(orig, client.MergeFromWithOptimisticLock{}), client.FieldOwner(FieldManager))
	})
	return caseName, already, err
}

// FileResult counts what RecordFile did.
type FileResult struct {
	Rows     int
	Recorded int
	Already  int
	Failed   []registry.RowError
	// Warnings about the file: columns ignored.
	Warnings []registry.RowError
}

// Progress is one recorded row of an actions file. It names the line and the case, not the child.
type Progress struct {
	Line    int
	Action  v1.CaseAction
	Case    string
	Already bool
}

// RecordFile records the actions of an actions file. For each row it finds the child's open case
// (Student.status.openCase), waiting up to wait in all for the controller to open it, and
// appends the action. progress (if not nil) hears of each row recorded.
func (r *Recorder) RecordFile(ctx context.Context, in io.Reader, wait time.Duration, progress func(Progress)) (*FileResult, error) {
	f, err := registry.ParseActions(in)
	if err != nil {
		return nil, err
	}
	rows := f.Rows
	res := &FileResult{Rows: len(rows) + len(f.Errors), Failed: f.Errors, Warnings: f.Warnings}
	if len(rows) == 0 {
		return res, nil
	}
	idx, err := importer.ListStudents(ctx, r.Client, r.Namespace)
	if err != nil {
		return nil, err
	}
	resolve := idx.Resolver()
	deadline := time.Now().Add(wait)
	for _, row := range rows {
		name := row.StudentID
		if !strings.HasPrefix(name, "stu-") {
			var known bool
			if name, known = resolve(row.StudentID); !known {
				res.Failed = append(res.Failed, registry.RowError{Line: row.Line, Reasons: []string{
					"student_id: no Student in the namespace has this ID"}})
				continue
			}
		}
		caseName, already, err := r.recordWaiting(ctx, name, row.Action, deadline)
		switch {
		case err != nil:
			res.Failed = append(res.Failed, registry.RowError{Line: row.Line, Reasons: []string{err.Error()}})
		case already:
			res.Already++
		default:
			res.Recorded++
		}
		if err == nil && progress != nil {
			progress(Progress{Line: row.Line, Action: row.Action, Case: caseName, Already: already})
		}
	}
	registry.SortRowErrors(res.Failed)
	return res, nil
}

// recordWaiting records on the Student's open case, polling until the case exists or the deadline.
func (r *Recorder) recordWaiting(ctx context.Context, student string, a v1.CaseAction, deadline time.Time) (caseName string, already bool, err error) {
	// Try at once, then every second (apimachinery's wait), until the case is open, an error
	// that waiting cannot cure, or the deadline.
	pollCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	pollErr := wait.PollUntilContextCancel(pollCtx, time.Second, true, func(context.Context) (bool, error) {
		caseName, already, err = r.Record(ctx, student, a)
		return !errors.Is(err, ErrNoOpenCase), nil
	})
	switch {
	case pollErr == nil:
		return caseName, already, err
	case ctx.Err() != nil:
		return "", false, ctx.Err()
	}
	return "", false, fmt.Errorf("Student %s still has no open case (waited until the --wait deadline; is the controller running?)", student)
}
