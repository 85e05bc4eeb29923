// Package importer writes the contents of registry and attendance extracts to the API server:
// Students by server-side apply, AttendanceReports by create (reports are immutable). It prints
// nothing itself and never logs personal data; results name rows by line number.
package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// FieldManager is the server-side apply field manager of registry imports.
const FieldManager = "kubectl-kongchuo-import"

// DefaultWorkers is the number of concurrent writes.
const DefaultWorkers = 16

// Importer imports extracts into one namespace (one county).
type Importer struct {
	Client    client.Client
	Namespace string
	// Workers bounds the number of concurrent writes (default 16).
	Workers int
	// DryRun sends every write with dryRun=All: the server validates, nothing is stored.
	DryRun bool
	// FieldManager for server-side apply (default FieldManager).
	FieldManager string
	// Now is the clock (default time.Now); used for reportedAt of corrections.
	Now func() time.Time
}

func (im *Importer) workers() int {
	if im.Workers > 0 {
		return im.Workers
	}
	return DefaultWorkers
}

func (im *Importer) fieldManager() string {
	if im.FieldManager != "" {
		return im.FieldManager
	}
	return FieldManager
}

func (im *Importer) now() time.Time {
	if im.Now != nil {
		return im.Now()
	}
	return time.Now()
}

// RegistryResult counts what a registry import did.
type RegistryResult struct {
	// Rows is the number of data rows read.
	Rows int
	// Created Students that did not exist.
	Created int
	// Changed Students whose applied fields differed.
	Changed int
	// Unchanged Students already as the file says; nothing was written for them.
	Unchanged int
	// Rejected rows, by line: by the file checks or by the API server.
	Rejected []registry.RowError
	// Warnings about the file that did not stop it, for example columns ignored.
	Warnings []registry.RowError
	// Encoding the file was read in (UTF-8, GB18030 or xlsx).
	Encoding registry.Encoding
	// DryRun: the counts say what would have happened.
	DryRun bool
	// Duration of the import, reading included.
	Duration time.Duration
}

// checkNamespace fails early, with one clear message, when the namespace does not exist.
func (im *Importer) checkNamespace(ctx context.Context) error {
	if im.Namespace == "" {
		return fmt.Errorf("no namespace: give -n NAMESPACE (one namespace per county)")
	}
	err := im.Client.Get(ctx, client.ObjectKey{Name: im.Namespace}, &corev1.Namespace{})
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("namespace %q does not exist", im.Namespace)
	}
	return nil // other errors (for example no permission to read namespaces) are not ours to judge
}

// namespaceStudents checks the namespace and reads its Students: what every import compares with.
func (im *Importer) namespaceStudents(ctx context.Context) (*studentIndex, error) {
	if err := im.checkNamespace(ctx); err != nil {
		return nil, err
	}
	return listStudents(ctx, im.Client, im.Namespace)
}

// StudentIndex finds existing Students by name and by ID.
type StudentIndex = studentIndex

// ListStudents reads the Students of a namespace into an index (spec and resourceVersion only).
func ListStudents(ctx context.Context, c client.Client, namespace string) (*StudentIndex, error) {
	return listStudents(ctx, c, namespace)
}

// Resolver maps resident IDs and student numbers to the names of existing Students.
func (idx *studentIndex) Resolver() registry.StudentResolver { return idx.studentIDResolver() }

// Len is the number of Students in the index.
func (idx *studentIndex) Len() int { return len(idx.byName) }

// studentIndex finds existing Students by name and by ID.
type studentIndex struct {
	byName     map[string]*v1.Student
	byResident map[string]string
	byNumber   map[string]string
}

// listStudents reads the namespace's Students page by page, keeping only what the import needs.
func listStudents(ctx context.Context, c client.Client, namespace string) (*studentIndex, error) {
	idx := &studentIndex{byName: map[string]*v1.Student{}, byResident: map[string]string{}, byNumber: map[string]string{}}
	cont := ""
	for {
		var list v1.StudentList
		opts := []client.ListOption{client.InNamespace(namespace), client.Limit(1000)}
		if cont != "" {
			opts = append(opts, client.Continue(cont))
		}
		if err := withRetry(ctx, func() error { return c.List(ctx, &list, opts...) }); err != nil {
			return nil, fmt.Errorf("listing the Students of namespace %s: %w", namespace, err)
		}
		for i := range list.Items {
			s := &list.Items[i]
			slim := &v1.Student{Spec: s.Spec}
			slim.Name, slim.Namespace, slim.ResourceVersion = s.Name, s.Namespace, s.ResourceVersion
			idx.byName[s.Name] = slim
			if s.Spec.ResidentID != "" {
				idx.byResident[registry.CanonicalizeID(s.Spec.ResidentID)] = s.Name
			}
			if s.Spec.StudentNumber != "" {
				idx.byNumber[registry.CanonicalizeID(s.Spec.StudentNumber)] = s.Name
			}
		}
		if cont = list.Continue; cont == "" {
			return idx, nil
		}
	}
}

// resolve returns the name a child is registered under: its derived name, or the name of an
// existing Student with the same resident ID or student number (for example one created when
// only the student number was known). Two different Students for one child is an error.
func (idx *studentIndex) resolve(s *v1.StudentSpec, derived string) (string, string) {
	if _, ok := idx.byName[derived]; ok {
		return derived, ""
	}
	byID := idx.byResident[s.ResidentID]
	byNum := idx.byNumber[s.StudentNumber]
	// Most student numbers are G followed by the resident ID: the same child either way.
	if byID == "" && s.ResidentID != "" {
		byID = idx.byNumber["G"+s.ResidentID]
	}
	if byNum == "" && registry.EmbeddedResidentID(s.StudentNumber) != "" {
		byNum = idx.byResident[registry.EmbeddedResidentID(s.StudentNumber)]
	}
	switch {
	case byID != "" && byNum != "" && byID != byNum:
		return "", fmt.Sprintf("resident_id and student_number belong to two different Students (%s and %s): one child, one registration; merge them first", byID, byNum)
	case byID != "":
		return byID, ""
	case byNum != "":
		return byNum, ""
	}
	return derived, ""
}

// studentIDResolver maps IDs in other files (attendance, actions) to Student names.
func (idx *studentIndex) studentIDResolver() registry.StudentResolver {
	return func(id string) (string, bool) {
		id = registry.CanonicalizeID(id)
		if n, ok := idx.byResident[id]; ok {
			return n, true
		}
		if n, ok := idx.byNumber[id]; ok {
			return n, true
		}
		if n, ok := idx.byNumber["G"+id]; ok {
			return n, true
		}
		if n, ok := idx.byResident[registry.EmbeddedResidentID(id)]; ok {
			return n, true
		}
		name := registry.StudentName(id)
		_, ok := idx.byName[name]
		return name, ok
	}
}

// sameSpec compares specs as the API stores them (empty lists and absent lists are equal).
func sameSpec(a, b *v1.StudentSpec) bool {
	if apiequality.Semantic.DeepEqual(a, b) {
		return true
	}
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// applyObject is the server-side apply body: identity and spec only, never status.
func applyObject(s *v1.Student) (*unstructured.Unstructured, error) {
	raw, err := json.Marshal(s.Spec)
	if err != nil {
		return nil, err
	}
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, err
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": v1.GroupVersion.String(),
		"kind":       "Student",
		"metadata":   map[string]any{"name": s.Name, "namespace": s.Namespace},
		"spec":       spec,
	}}, nil
}

type applyJob struct {
	line     int
	student  *v1.Student
	existing *v1.Student
}

type outcome int

const (
	outCreated outcome = iota
	outChanged
	outUnchanged
	outRejected
)

// ImportRegistry reads a registry extract and creates or updates one Student per valid row by
// server-side apply (field manager kubectl-kongchuo-import, forcing conflicts on the fields it
// applies: the registry is the source of truth for them; status is never touched). A Student
// whose applied fields already equal the file is not written at all. Rows are independent: a
// rejected row does not stop the others, and each Student is written in one request.
func (im *Importer) ImportRegistry(ctx context.Context, in io.Reader) (*RegistryResult, error) {
	start := time.Now()
	f, err := registry.ParseRegistry(in)
	if err != nil {
		return nil, err
	}
	idx, err := im.namespaceStudents(ctx)
	if err != nil {
		return nil, err
	}
	res := &RegistryResult{Rows: len(f.Rows) + len(f.Errors), DryRun: im.DryRun, Warnings: f.Warnings, Encoding: f.Encoding}
	res.Rejected = append(res.Rejected, f.Errors...)

	var jobs []applyJob
	lineOf := map[string]int{}
	for _, row := range f.Rows {
		s := row.Student
		s.Namespace = im.Namespace
		name, problem := idx.resolve(&s.Spec, s.Name)
		if first, dup := lineOf[name]; dup && problem == "" {
			problem = fmt.Sprintf("resident_id/student_number: line %d is the same child (Student %s); one child, one registration", first, name)
		}
		if problem != "" {
			res.Rejected = append(res.Rejected, registry.RowError{Line: row.Line, Reasons: []string{problem}})
			continue
		}
		lineOf[name] = row.Line
		s.Name = name
		existing := idx.byName[name]
		if existing != nil {
			registry.KeepAbsentColumns(&s.Spec, &existing.Spec, f.Columns)
			if sameSpec(&s.Spec, &existing.Spec) {
				res.Unchanged++
				continue
			}
		}
		jobs = append(jobs, applyJob{line: row.Line, student: s, existing: existing})
	}

	if err := im.applyAll(ctx, jobs, &res.Created, &res.Changed, &res.Unchanged, &res.Rejected); err != nil {
		return res, err
	}
	registry.SortRowErrors(res.Rejected)
	res.Duration = time.Since(start)
	return res, nil
}

// forEach runs work on every item, at most workers at a time. When ctx is cancelled it hands out
// no more items and returns the context's error.
func forEach[T any](ctx context.Context, workers int, items []T, work func(T)) error {
	queue := make(chan T)
	var wg sync.WaitGroup
	for i := 0; i < min(workers, max(len(items), 1)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for item := range queue {
				work(item)
			}
		}()
	}
	for _, item := range items {
		select {
		case queue <- item:
		case <-ctx.Done():
		}
	}
	close(queue)
	wg.Wait()
	return ctx.Err()
}

func (im *Importer) applyStudent(ctx context.Context, j applyJob) (outcome, *registry.RowError) {
	u, err := applyObject(j.student)
	if err != nil {
		return outRejected, &registry.RowError{Line: j.line, Reasons: []string{"cannot be encoded: " + err.Error()}}
	}
	opts := []client.ApplyOption{client.FieldOwner(im.fieldManager()), client.ForceOwnership}
	if im.DryRun {
		opts = append(opts, client.DryRunAll)
	}
	err = withRetry(ctx, func() error {
		return im.Client.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), opts...)
	})
	if err != nil {
		return outRejected, &registry.RowError{Line: j.line, Reasons: []string{ServerReason(err, registry.PersonalValues(&j.student.Spec))}}
	}
	switch {
	case j.existing == nil:
		return outCreated, nil
	case !im.DryRun && u.GetResourceVersion() == j.existing.ResourceVersion:
		// The apply changed nothing: the differing fields belong to another field manager.
		return outUnchanged, nil
	default:
		return outChanged, nil
	}
}
