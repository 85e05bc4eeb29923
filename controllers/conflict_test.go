package controllers_test

import (
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// handMade is a case a person wrote (before the API refused that) or a backup restored.
func handMade(ns, name, student string, opened v1.Date) *v1.DropoutCase {
	return &v1.DropoutCase{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec:       v1.DropoutCaseSpec{Student: student, Type: v1.CaseDroppedOut, Opened: opened},
	}
}

// childWithCase is a child of class 3 absent three school days from 2 November, with the case the
// manager opened, and the day it is now.
func childWithCase(t *testing.T, ns, name string) (string, v1.Date) {
	t.Helper()
	create(t, countyAgreements(ns)...)
	create(t, student(ns, name, 3, village))
	days := schoolDays("2026-11-02", 3)
	for _, d := range days {
		setToday(d)
		rollCall(t, ns, 3, d, name)
	}
	caseName := name + "-do-20261102"
	waitCase(t, ns, caseName, "the manager opens the case", atStage(v1.StageSchoolReported))
	return caseName, days[len(days)-1]
}

// heldIn waits for a case held in Conflict for the reason, never adopted nor walked on the ladder.
func heldIn(t *testing.T, ns, name, reason string) {
	t.Helper()
	waitCase(t, ns, name, "held in Conflict ("+reason+")", func(dc *v1.DropoutCase) error {
		c := condition(dc.Status.Conditions, v1.CaseConflict)
		switch {
		case c.Status != metav1.ConditionTrue || c.Reason != reason:
			return fmt.Errorf("Conflict %+v", c)
		case condition(dc.Status.Conditions, v1.ConditionStalled).Status != metav1.ConditionTrue:
			return fmt.Errorf("not Stalled")
		case len(dc.OwnerReferences) > 0:
			return fmt.Errorf("adopted by %v", dc.OwnerReferences)
		case dc.Status.Stage != "":
			return fmt.Errorf("walked to stage %s", dc.Status.Stage)
		}
		return nil
	})
}

// TestSecondOpenCaseIsHeldNotAdopted: 一生一案 holds for hand-made cases. A second open case for a
// child who has one, a case opened in 2030 and a case for a child who does not exist are held in
// Conflict; the child keeps the manager's case. Before issue 12 the controller adopted all three.
func TestSecondOpenCaseIsHeldNotAdopted(t *testing.T) {
	ns := newNamespace(t)
	childWithCase(t, ns, "stu-ann")

	create(t, handMade(ns, "stu-ann-second", "stu-ann", "2026-11-03"),
		handMade(ns, "stu-ann-2030", "stu-ann", "2030-01-01"),
		handMade(ns, "stu-nobody-case", "stu-nobody", "2026-11-02"))
	heldIn(t, ns, "stu-ann-second", policy.ConflictSecondOpenCase)
	heldIn(t, ns, "stu-ann-2030", policy.ConflictOpenedAhead)
	heldIn(t, ns, "stu-nobody-case", policy.ConflictNoStudent)

	poke(t, get(t, ns, "stu-ann", &v1.Student{}))
	waitStudent(t, ns, "stu-ann", "keeps the manager's case", func(s *v1.Student) error {
		if s.Status.OpenCase != "stu-ann-do-20261102" {
			return fmt.Errorf("open case %q", s.Status.OpenCase)
		}
		return nil
	})
	if c := condition(get(t, ns, "stu-ann-second", &v1.DropoutCase{}).Status.Conditions, v1.CaseConflict); c.Message == "" ||
		!containsAll(c.Message, "stu-ann-do-20261102", "一生一案") {
		t.Errorf("the Conflict message %q does not name the case already open", c.Message)
	}
}

// TestSoleRestoredCaseIsFollowed: a case restored from a backup (no owner, a name of its own) for a
// child with no other case is the child's case: adopted and followed, not held.
func TestSoleRestoredCaseIsFollowed(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-bo", 3, village))
	setToday("2026-11-04")
	create(t, handMade(ns, "restored-bo", "stu-bo", "2026-11-02"))
	waitCase(t, ns, "restored-bo", "adopted and followed", func(dc *v1.DropoutCase) error {
		if len(dc.OwnerReferences) != 1 || dc.Status.Stage == "" {
			return fmt.Errorf("owners %v, stage %q", dc.OwnerReferences, dc.Status.Stage)
		}
		if c := condition(dc.Status.Conditions, v1.CaseConflict); c.Type != "" {
			return fmt.Errorf("Conflict %+v", c)
		}
		return nil
	})
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestActionsDatedAheadDoNotCount: the API cannot refuse an action dated next year (it arrives by
// update, and CEL has no clock), so the controller does not count it and says so (FutureDate).
func TestActionsDatedAheadDoNotCount(t *testing.T) {
	ns := newNamespace(t)
	name, today := childWithCase(t, ns, "stu-cy")
	record(t, ns, name, action(v1.ActionHomeVisit, "2027-11-04", v1.LineEducation), action(v1.ActionHomeVisit, today, v1.LineEducation))
	waitCase(t, ns, name, "only today's visit counts", func(dc *v1.DropoutCase) error {
		c := condition(dc.Status.Conditions, v1.CaseFutureDate)
		if dc.Status.VisitsRecorded != 1 || c.Status != metav1.ConditionTrue || !strings.Contains(c.Message, "1 recorded actions") {
			return fmt.Errorf("visits %d, FutureDate %+v", dc.Status.VisitsRecorded, c)
		}
		return nil
	})
}
