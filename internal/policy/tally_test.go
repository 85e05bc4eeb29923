package policy

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// A scope's tally kept child by child (add the new contribution, take away the old) is the
// tally of measuring every child afresh.
func TestTallyKeptIncrementallyEqualsMeasuredAfresh(t *testing.T) {
	escalated := &v1.DropoutCase{Spec: v1.DropoutCaseSpec{Type: v1.CaseDroppedOut}, Status: v1.DropoutCaseStatus{Stage: v1.StageTownshipReported}}
	kids := []ChildFacts{
		child(StandingInSchool, "Enrolled", true),
		child(StandingInSchool, "Enrolled", false, escalated),
		child(StandingOutOfSchool, "TransferredWithoutCertificate", true),
		child(StandingOutOfSchool, "NotEnrolled", false),
	}
	kids[0].Student.Spec.FocusGroups = []v1.FocusGroup{v1.FocusDisability, v1.FocusLeftBehind}
	var kept Tally
	for _, k := range kids {
		kept.Add(Contribution(k), 1)
	}
	// The first child comes back from a day away: its old contribution goes, the new one comes.
	old := Contribution(kids[0])
	kids[0].Attending = false
	kept.Add(old, -1)
	kept.Add(Contribution(kids[0]), 1)
	var afresh Tally
	for _, k := range kids {
		afresh.Add(Contribution(k), 1)
	}
	if kept != afresh {
		t.Fatalf("kept %+v\nafresh %+v", kept, afresh)
	}
	if m, want := MeasureTally(kept, v1.Terms{}), Measure(kids, v1.Terms{}); m.Rates != want.Rates || m.Coverage.Attending != 1 {
		t.Fatalf("rates %+v coverage %+v, want %+v", m.Rates, m.Coverage, want.Rates)
	}
	for _, k := range kids {
		kept.Add(Contribution(k), -1)
	}
	if kept != (Tally{Focus: kept.Focus}) || kept.Focus[0].SchoolAge != 0 {
		t.Fatalf("taking every child away leaves %+v", kept)
	}
}

// A child whose status does not describe its spec yet is pending: the scope's figures wait.
func TestPendingChild(t *testing.T) {
	k := child(StandingInSchool, "Enrolled", true)
	k.Student.Generation = 2
	k.Student.Status.ObservedGeneration = 1
	if Contribution(k).Pending != 1 {
		t.Fatal("an edited child not yet reconciled is not pending")
	}
	k.Student.Status.ObservedGeneration = 2
	if Contribution(k).Pending != 0 {
		t.Fatal("a reconciled child is pending")
	}
}

// A case held in Conflict (a second open case restored from a backup) counts in no rate.
func TestHeldCaseCountsNowhere(t *testing.T) {
	held := &v1.DropoutCase{Spec: v1.DropoutCaseSpec{Type: v1.CaseDroppedOut}, Status: v1.DropoutCaseStatus{Stage: v1.StageTownshipReported,
		Conditions: []metav1.Condition{{Type: v1.CaseConflict, Status: metav1.ConditionTrue, Reason: "SecondOpenCase"}}}}
	k := child(StandingInSchool, "Enrolled", true, held)
	if c := Contribution(k); c.Dropouts != 0 || c.OpenCases != (v1.StageCounts{}) || c.DroppedOut != 0 {
		t.Fatalf("a held case counted: %+v", c)
	}
}

// TestHomeDeliveredDisabledChildOutsideTheHeadcount (issue 15, correction 4d): "对特殊学有困难的
// 残疾学生特殊对待，不把此类学生纳入人数考核" (002). A child with a disability taught at home
// (送教上门) is enrolled (the enrolment and the disability enrolment rates count it) but is not in
// the base the dropout, consolidation and school-year dropout rates and the assessment count: it
// cannot dilute a class's dropouts. A child taught at home for an illness is counted as usual.
func TestHomeDeliveredDisabledChildOutsideTheHeadcount(t *testing.T) {
	escalated := &v1.DropoutCase{Spec: v1.DropoutCaseSpec{Type: v1.CaseDroppedOut}, Status: v1.DropoutCaseStatus{Stage: v1.StageTownshipReported}}
	disabled := child(StandingExempt, "HomeDelivered", false)
	disabled.Student.Spec.FocusGroups = []v1.FocusGroup{v1.FocusDisability, v1.FocusRegisteredPoor}
	c := Contribution(disabled)
	if c.Enrolled != 1 || c.DisabilityEnrolled != 1 || c.Base != 0 || c.BasePrimary+c.BaseJunior != 0 || c.PoorBase != 0 {
		t.Errorf("disabled child taught at home: enrolled %d, disability enrolled %d, base %d/%d/%d, poor base %d: want enrolled, outside the base",
			c.Enrolled, c.DisabilityEnrolled, c.Base, c.BasePrimary, c.BaseJunior, c.PoorBase)
	}
	ill := child(StandingExempt, "HomeDelivered", false)
	if c := Contribution(ill); c.Base != 1 {
		t.Errorf("ill child taught at home: base %d, want 1", c.Base)
	}
	// One class: a dropout, a child in school, and the disabled child taught at home. The dropout
	// rate is 1 of 2, not 1 of 3.
	m := Measure([]ChildFacts{child(StandingInSchool, "Enrolled", false, escalated), child(StandingInSchool, "Enrolled", true), disabled}, v1.Terms{})
	if m.Rates.Dropout != "50" || m.Rates.Consolidation != "50" || m.Rates.DisabilityEnrolment != "100" {
		t.Errorf("rates %+v: want dropout 50, consolidation 50, disability enrolment 100", m.Rates)
	}
}
