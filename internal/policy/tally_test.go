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
