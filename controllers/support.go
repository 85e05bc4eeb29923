package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// +kubebuilder:rbac:groups=kongchuo.io,resources=supportrecords,verbs=get;list;watch

// supportFacts gathers what the support rules read for a child: its SupportRecords of the school
// year (support-student index) and the merged support terms. Judging starts at the school year's
// start, or at the enrolment's since when later (送教上门 begins with the home-delivered status).
func supportFacts(ctx context.Context, c client.Reader, s *v1.Student, terms v1.SupportTerms, yearStart, today time.Time) (policy.SupportFacts, error) {
	var list v1.SupportRecordList
	if err := c.List(ctx, &list, client.InNamespace(s.Namespace), client.MatchingFields{indexSupportStudent: s.Name}, client.UnsafeDisableDeepCopy); err != nil {
		return policy.SupportFacts{}, fmt.Errorf("listing support records of student %s: %w", s.Name, err)
	}
	f := policy.SupportFacts{Student: s, Rules: policy.SupportRulesFrom(terms), From: yearStart, Today: today}
	for i := range list.Items {
		if list.Items[i].Spec.SchoolYear == policy.FormatDate(yearStart) {
			f.Records = append(f.Records, &list.Items[i])
		}
	}
	if since, err := policy.ParseDate(s.Spec.Enrolment.Since); err == nil && since.After(yearStart) {
		f.From = since
	}
	return f, nil
}

// nextSupportChange is when time alone can change the child's SupportMissing condition.
func nextSupportChange(f policy.SupportFacts, atRisk bool) *time.Time {
	next, ok := policy.NextSupportChange(f.Student, atRisk, f.Rules, f.Today)
	if !ok {
		return nil
	}
	return &next
}

// studentOfSupportRecord wakes the one Student a SupportRecord is about.
func studentOfSupportRecord(_ context.Context, o client.Object) []reconcile.Request {
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: o.(*v1.SupportRecord).Spec.Student}}}
}
