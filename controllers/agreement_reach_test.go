package controllers

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestNewGenerationWakesChildrenOnlyWhenTheyReadIt: an agreement's new generation wakes its
// children (the fan-out) when what they read changed, and not when only a target or a cut-off
// day did; an agreement this manager has not seen before is woken on any new generation.
func TestNewGenerationWakesChildrenOnlyWhenTheyReadIt(t *testing.T) {
	r := &ResponsibilityAgreementReconciler{started: time.Now().Add(-time.Hour)}
	a := &v1.ResponsibilityAgreement{ObjectMeta: metav1.ObjectMeta{Namespace: "county-a", Name: "county-education", Generation: 1,
		CreationTimestamp: metav1.NewTime(time.Now().Add(-24 * time.Hour))},
		Spec: v1.ResponsibilityAgreementSpec{Line: v1.LineEducation, Responsible: v1.Party{Name: "王局长", Role: v1.RoleCountyBureau}}}
	a.Status.ObservedGeneration = 1
	if r.whoOrTermsChanged(a, a) {
		t.Fatal("an unchanged agreement woke its children")
	}
	step := func(edit func(*v1.ResponsibilityAgreement)) bool {
		before := a.DeepCopy()
		edit(a)
		a.Generation++
		woke := r.whoOrTermsChanged(before, a)
		a.Status.ObservedGeneration = a.Generation
		return woke
	}
	cut := int32(20)
	if step(func(a *v1.ResponsibilityAgreement) { a.Spec.Terms.Reporting.CountyCutOff = &cut }) {
		t.Error("a new cut-off day woke the children")
	}
	days := int32(5)
	if !step(func(a *v1.ResponsibilityAgreement) { a.Spec.Terms.Escalation.SchoolReportAfterDays = &days }) {
		t.Error("a new ladder step did not wake the children")
	}

	unseen := &ResponsibilityAgreementReconciler{started: r.started}
	before := a.DeepCopy()
	a.Generation++
	if !unseen.whoOrTermsChanged(before, a) {
		t.Error("a new generation of an agreement the manager had not seen did not wake the children")
	}
}
