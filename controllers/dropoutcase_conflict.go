package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// studentOf is the case's Student, or nil when there is none.
func (r *DropoutCaseReconciler) studentOf(ctx context.Context, dc *v1.DropoutCase) (*v1.Student, error) {
	var s v1.Student
	err := r.Get(ctx, client.ObjectKey{Namespace: dc.Namespace, Name: dc.Spec.Student}, &s)
	if err != nil {
		if client.IgnoreNotFound(err) == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("reading the case's student: %w", err)
	}
	return &s, nil
}

// holdConflict keeps a case that breaks one case per child (一生一案) out of the ladder: it marks
// the case Conflict and Stalled, does not adopt it, and reports whether it did so. A case of a
// deleted Student that the Student owned is left to garbage collection.
func (r *DropoutCaseReconciler) holdConflict(ctx context.Context, dc *v1.DropoutCase, s *v1.Student, now, today time.Time) (bool, error) {
	var others []*v1.DropoutCase
	if s != nil {
		var err error
		if others, err = casesOf(ctx, r, dc.Namespace, s.Name); err != nil {
			return false, err
		}
	} else if metav1.GetControllerOf(dc) != nil {
		return true, nil
	}
	conflict := policy.CaseConflict(dc, s, others, today)
	if conflict == nil {
		return false, nil
	}
	before := dc.DeepCopy()
	dc.Status.ObservedGeneration = dc.Generation
	applyConditions(&dc.Status.Conditions, now, policy.HeldCaseConditions(*conflict))
	if equality.Semantic.DeepEqual(before.Status, dc.Status) {
		return true, nil
	}
	if err := r.Status().Patch(ctx, dc, client.MergeFrom(before)); err != nil {
		return true, fmt.Errorf("patching case status: %w", err)
	}
	if !conditionTrue(before.Status.Conditions, v1.CaseConflict) {
		r.Recorder.Eventf(dc, nil, "Warning", "Conflict", "Hold", "%s", conflict.Message)
		logf.FromContext(ctx).Info("case held in conflict", "case", dc.Name, "reason", conflict.Reason)
	}
	r.Metrics.Forget(client.ObjectKeyFromObject(dc))
	return true, nil
}

// earliest of two optional dates.
func earliest(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.Before(*a)) {
		return b
	}
	return a
}
