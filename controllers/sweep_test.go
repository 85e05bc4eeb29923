package controllers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// sweepDay is the default sweep day of the autumn term 2027: 1 September plus seven days. The
// children below were registered before that term (their Students exist since the test began,
// in real time 2026), so each was on last term's roster.
const sweepDay v1.Date = "2027-09-08"

// setSweepDay moves the clock to the sweep day of 2027, and back to the suite's usual autumn of
// 2026 afterwards: the next test creates its objects before it sets its own day, and a child
// created on a sweep day is swept.
func setSweepDay(t *testing.T) {
	t.Cleanup(func() { setToday("2026-11-02") })
	setToday(sweepDay)
}

// TestStartOfTermSweep: at the sweep of a new school year, a child still on last year's roster
// (not re-registered) gets a NotReturnedAfterTerm case of its own; a child transferred with a
// certificate and a child re-registered in its new grade get none; a second pass opens no
// second case.
func TestStartOfTermSweep(t *testing.T) {
	ns := newNamespace(t)
	setSweepDay(t)
	create(t, countyAgreements(ns)...)
	missing := registeredChild(ns, "stu-missing")
	moved := registeredChild(ns, "stu-moved")
	moved.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentTransferredOut, School: school, Grade: 5, Class: 3, Since: "2027-08-20",
		Evidence: &v1.Evidence{Certificate: "ZX-2027-01", ReceivingSchool: "another county's school"}}
	back := registeredChild(ns, "stu-back")
	back.Spec.Enrolment.Grade, back.Spec.Enrolment.Class, back.Spec.Enrolment.Since = 6, 1, "2027-09-01"
	create(t, missing, moved, back)

	name := policy.CaseName("stu-missing", v1.CaseNotReturnedAfterTerm, policy.MustDate(sweepDay))
	dc := waitCase(t, ns, name, "the sweep case at SchoolReported", atStage(v1.StageSchoolReported))
	if dc.Spec.Type != v1.CaseNotReturnedAfterTerm || dc.Labels["kongchuo.io/school"] != string(school) {
		t.Errorf("case %s: type %s, labels %v", dc.Name, dc.Spec.Type, dc.Labels)
	}
	waitStudent(t, ns, "stu-back", "the re-registered child reconciled", func(s *v1.Student) error {
		if s.Status.ObservedGeneration != s.Generation {
			return fmt.Errorf("not yet reconciled")
		}
		return nil
	})
	poke(t, get(t, ns, "stu-missing", &v1.Student{}))
	time.Sleep(time.Second)
	if cases := listCases(t, ns); len(cases) != 1 {
		t.Errorf("want the one case of the missing child, got %d: %v", len(cases), caseNames(cases))
	}

	// The school registers the child in its new class: the case closes.
	s := get(t, ns, "stu-missing", &v1.Student{})
	s.Spec.Enrolment.Grade, s.Spec.Enrolment.Class, s.Spec.Enrolment.Since = 6, 1, "2027-09-08"
	if err := k8s.Update(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	waitCase(t, ns, name, "the case closed once the child is on a roster", func(dc *v1.DropoutCase) error {
		if dc.Status.Stage != v1.StageClosed || dc.Status.ClosedReason != v1.ReasonOnRoster {
			return fmt.Errorf("stage %s, closed %q", dc.Status.Stage, dc.Status.ClosedReason)
		}
		return nil
	})
}

// TestGradeSixHandOver: a grade-6 class of the year that ended moves up to the junior school of
// its catchment; the child the junior school's grade 7 does not list gets a NotHandedOver case,
// labelled with both schools so that each school's selection finds it.
func TestGradeSixHandOver(t *testing.T) {
	ns := newNamespace(t)
	setSweepDay(t)
	const junior v1.SchoolCode = "5201210009"
	create(t, countyAgreements(ns)...)
	create(t, agreement(ns, "junior", v1.LineEducation, v1.RolePrincipal, "Principal Zhou", v1.Scope{School: junior, Catchment: []v1.VillageCode{village, village2}}))
	var kids []client.Object
	for i, name := range []string{"stu-g6-a", "stu-g6-b", "stu-g6-left"} {
		s := registeredChild(ns, name)
		s.Spec.Enrolment.Grade, s.Spec.Enrolment.Class = 6, 1
		if i < 2 { // handed over: the junior school's registry lists them in grade 7
			s.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentEnrolled, School: junior, Grade: 7, Class: 1, Since: "2027-09-01"}
		}
		kids = append(kids, s)
	}
	create(t, kids...)

	name := policy.CaseName("stu-g6-left", v1.CaseNotHandedOver, policy.MustDate(sweepDay))
	waitCase(t, ns, name, "the hand-over case", atStage(v1.StageSchoolReported))
	for _, sel := range []client.MatchingLabels{{"kongchuo.io/school": string(school)}, {"kongchuo.io/receiving-school": string(junior)}} {
		var list v1.DropoutCaseList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns), sel); err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 || list.Items[0].Name != name || list.Items[0].Spec.Type != v1.CaseNotHandedOver {
			t.Errorf("selection %v: want the hand-over case only, got %v", sel, caseNames(list.Items))
		}
	}
	if cases := listCases(t, ns); len(cases) != 1 {
		t.Errorf("the children handed over have no case; got %v", caseNames(cases))
	}
}

func caseNames(cases []v1.DropoutCase) []string {
	out := make([]string, 0, len(cases))
	for _, c := range cases {
		out = append(out, c.Name)
	}
	return out
}
