package controllers

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// cachedStudents reads the cache's Students in place: the walks over a scope read each child
// once, and a county's list through the client would copy 100,000 Students (70 MB) at once.
type cachedStudents struct{ inPlace[v1.Student] }

// newCachedStudents takes the Student informer's store; the informer starts with the cache.
func newCachedStudents(ctx context.Context, c cache.Cache, reader client.Reader) (cachedStudents, error) {
	store, err := newInPlace[v1.Student, *v1.Student, v1.StudentList](ctx, c, reader, func(l *v1.StudentList) []v1.Student { return l.Items })
	return cachedStudents{store}, err
}

// studentsUnder are the Students of a county under a key of the student scope index, or all of
// the county's for "". The objects are the cache's: they must not be changed.
func (c cachedStudents) studentsUnder(ctx context.Context, namespace, key string) ([]*v1.Student, error) {
	if key == "" {
		return c.inNamespace(ctx, namespace)
	}
	return c.byField(ctx, namespace, indexStudentScope, key)
}

// cachedAgreements reads the cache's agreements in place: every child's reconcile looks up the
// agreements that could cover it.
type cachedAgreements struct {
	inPlace[v1.ResponsibilityAgreement]
}

func newCachedAgreements(ctx context.Context, c cache.Cache, reader client.Reader) (cachedAgreements, error) {
	store, err := newInPlace[v1.ResponsibilityAgreement, *v1.ResponsibilityAgreement, v1.ResponsibilityAgreementList](ctx, c, reader,
		func(l *v1.ResponsibilityAgreementList) []v1.ResponsibilityAgreement { return l.Items })
	return cachedAgreements{store}, err
}

// cachedCases reads the cache's cases in place, for the reports that count a county's cases.
type cachedCases struct{ inPlace[v1.DropoutCase] }

func newCachedCases(ctx context.Context, c cache.Cache, reader client.Reader) (cachedCases, error) {
	store, err := newInPlace[v1.DropoutCase, *v1.DropoutCase, v1.DropoutCaseList](ctx, c, reader, func(l *v1.DropoutCaseList) []v1.DropoutCase { return l.Items })
	return cachedCases{store}, err
}
