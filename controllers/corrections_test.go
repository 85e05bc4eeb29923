package controllers_test

import (
	"fmt"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/meta"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestCorrectionsAgainstTheSources (issue 15, corrections 4): rules checked against the policy
// texts.
func TestCorrectionsAgainstTheSources(t *testing.T) {
	ns, other := newNamespace(t), newNamespace(t)
	create(t, countyAgreements(ns)...)
	setToday("2026-11-09")

	// 送教上门 "因病、因残…以及办理因病休学的学生" (000): an ill child without a disability,
	// with a certificate and an approval, is taught at home, not out of school.
	ill := student(ns, "stu-ill", 3, village)
	ill.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentHomeDelivered, School: school, Since: "2026-09-01",
		Evidence: &v1.Evidence{Certificate: "hospital certificate 2026-17", ApprovedBy: "county bureau", Until: "2027-06-30"}}
	// Completed needs evidence and the grade: a ten-year-old in grade 5 marked Completed without
	// a certificate has not completed anything (隐瞒辍学人数).
	early := student(ns, "stu-early", 3, village)
	early.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentCompleted, School: school, Grade: 5, Since: "2026-09-01"}
	// 籍随人走: a child who moved to another county is TransferredOut here, with the receiving
	// school, and Enrolled there. One child, two counties, one registration each: no duplicate.
	moved := student(ns, "stu-moved", 3, village)
	moved.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentTransferredOut, School: school, Since: "2026-10-12",
		Evidence: &v1.Evidence{Certificate: "ZX-2026-88", ReceivingSchool: "5202220003"}}
	arrived := student(other, "stu-arrived", 1, village)
	arrived.Spec.StudentNumber = moved.Spec.StudentNumber
	create(t, ill, early, moved, arrived)

	waitStudent(t, ns, "stu-ill", "taught at home", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentEnrolled); c.Reason != "HomeDelivered" || s.Status.OpenCase != "" {
			return fmt.Errorf("Enrolled %+v, case %q", c, s.Status.OpenCase)
		}
		return nil
	})
	waitStudent(t, ns, "stu-early", "not completed", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentEnrolled); c.Reason != "CompletedWithoutEvidence" || !strings.HasPrefix(s.Status.OpenCase, "stu-early-do-") {
			return fmt.Errorf("Enrolled %+v, case %q", c, s.Status.OpenCase)
		}
		return nil
	})
	for _, c := range []struct{ ns, name string }{{ns, "stu-moved"}, {other, "stu-arrived"}} {
		waitStudent(t, c.ns, c.name, "no duplicate for a move between counties", func(s *v1.Student) error {
			if s.Status.ObservedGeneration != s.Generation {
				return fmt.Errorf("not reconciled yet")
			}
			if c := meta.FindStatusCondition(s.Status.Conditions, v1.StudentRegistryInconsistent); c != nil {
				return fmt.Errorf("RegistryInconsistent %+v", c)
			}
			return nil
		})
	}
}
