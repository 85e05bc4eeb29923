package controllers_test

import (
	"context"
	"fmt"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/registry"
)

// TestInvalidEvidenceOpensTheCaseToday (issue 15, defect 5): evidence that is itself invalid says
// nothing about when the child stopped counting, so its end date never dates the case. A deferral
// that runs too long, a suspension without a certificate running to next summer, and an `until`
// of 9999-12-31 each open a case dated today (the day the county registered the child), and the
// Student's openCase names a case that exists.
func TestInvalidEvidenceOpensTheCaseToday(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	deferred := student(ns, "stu-defer", 3, village)
	deferred.Spec.BirthDate = "2019-05-01" // seven: must be at school by now
	deferred.Spec.StudentNumber = "G" + registry.MakeResidentID("520121", "2019-05-01", 7)
	deferred.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentDeferred, Since: "2025-09-01",
		Evidence: &v1.Evidence{Certificate: "YH-1", ApprovedBy: "county bureau", Until: "2027-08-31"}}
	suspended := student(ns, "stu-suspend", 3, village)
	suspended.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, School: school, Since: "2026-09-01",
		Evidence: &v1.Evidence{ApprovedBy: "county bureau", Until: "2027-06-30"}}
	forever := student(ns, "stu-forever", 3, village)
	forever.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentTransferredOut, School: school, Since: "2026-09-01",
		Evidence: &v1.Evidence{ReceivingSchool: "another county's school", Until: "9999-12-31"}}
	create(t, deferred, suspended, forever)
	today := policy.LocalDate(get(t, ns, "stu-defer", &v1.Student{}).CreationTimestamp.Time, shanghai)
	setToday(policy.FormatDate(today))
	for _, c := range []struct {
		name string
		typ  v1.CaseType
	}{{"stu-defer", v1.CaseNotEnrolled}, {"stu-suspend", v1.CaseDroppedOut}, {"stu-forever", v1.CaseDroppedOut}} {
		want := policy.CaseName(c.name, c.typ, today)
		poke(t, get(t, ns, c.name, &v1.Student{}))
		waitStudent(t, ns, c.name, "a case opened today", func(s *v1.Student) error {
			if s.Status.OpenCase != want {
				return fmt.Errorf("open case %q, want %q", s.Status.OpenCase, want)
			}
			return nil
		})
		eventually(t, c.name+"'s case exists", func() error {
			return k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: want}, &v1.DropoutCase{})
		})
	}
}
