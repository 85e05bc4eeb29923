package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/registry"
)

func notEnrolled(ns, name string, birth v1.Date) *v1.Student {
	s := student(ns, name, 1, village)
	s.Spec.BirthDate = birth
	s.Spec.StudentNumber = "G" + registry.MakeResidentID("520121", string(birth), idSeq%1000) // the G number carries the birth date
	s.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentNotEnrolled}
	return s
}

// TestNotEnrolledChildGetsACase: a 7-year-old enrolled nowhere gets a NotEnrolled case assigned to
// the village and the catchment school; a 5-year-old does not; enrolment closes the case.
func TestNotEnrolledChildGetsACase(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	setToday("2026-11-02")
	create(t, notEnrolled(ns, "stu-seven", "2019-05-10"), notEnrolled(ns, "stu-five", "2021-05-10"))
	// Counted from the day the county registered the child (later than the start of school age), so
	// the case is not born overdue.
	seven := get(t, ns, "stu-seven", &v1.Student{})
	caseName := "stu-seven-ne-" + seven.CreationTimestamp.In(shanghai).Format("20060102")
	dc := waitCase(t, ns, caseName, "not-enrolled case", atStage(v1.StageTownshipReported))
	if condition(dc.Status.Conditions, v1.CaseOverdue).Status != "False" {
		t.Fatalf("a case found today is overdue: %+v", condition(dc.Status.Conditions, v1.CaseOverdue))
	}
	if dc.Spec.Type != v1.CaseNotEnrolled || len(dc.Status.Assignees.Government) == 0 || dc.Status.Assignees.Government[0].Name != "Cadre Hu" ||
		len(dc.Status.Assignees.Education) == 0 || dc.Status.Assignees.Education[0].Role != v1.RolePrincipal {
		t.Fatalf("case %+v assignees %+v", dc.Spec, dc.Status.Assignees)
	}
	waitStudent(t, ns, "stu-five", "five-year-old seen", func(s *v1.Student) error {
		if s.Status.ObservedGeneration != s.Generation || s.Status.SchoolAge {
			return fmt.Errorf("schoolAge %v", s.Status.SchoolAge)
		}
		return nil
	})
	consistently(t, "no case for a five-year-old", func() error {
		var list v1.DropoutCaseList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns), client.MatchingLabels{"kongchuo.io/student": "stu-five"}); err != nil {
			return err
		}
		if len(list.Items) != 0 {
			return fmt.Errorf("case %s opened", list.Items[0].Name)
		}
		return nil
	})

	s := get(t, ns, "stu-seven", &v1.Student{})
	patch := client.MergeFrom(s.DeepCopy())
	s.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentEnrolled, School: school, Grade: 1, Class: 1}
	if err := k8s.Patch(context.Background(), s, patch); err != nil {
		t.Fatal(err)
	}
	dc = waitCase(t, ns, caseName, "enrolled", atStage(v1.StageClosed))
	if dc.Status.ClosedReason != "Enrolled" {
		t.Fatalf("closed reason %q", dc.Status.ClosedReason)
	}
}

// TestTransferEvidence: a transfer with a certificate closes the open case as Transferred; one
// without a certificate leaves it open and says why.
func TestTransferEvidence(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-jon", 3, village), student(ns, "stu-kim", 3, village))
	openCaseIn(t, ns, 3, "stu-jon", "stu-kim")
	transfer := func(name, certificate string) {
		s := get(t, ns, name, &v1.Student{})
		patch := client.MergeFrom(s.DeepCopy())
		s.Spec.Enrolment.Status = v1.EnrolmentTransferredOut
		s.Spec.Enrolment.Evidence = &v1.Evidence{ReceivingSchool: "Guiyang No. 3 Primary", Certificate: certificate}
		if err := k8s.Patch(context.Background(), s, patch); err != nil {
			t.Fatal(err)
		}
	}
	transfer("stu-jon", "ZX-2026-0117")
	transfer("stu-kim", "")
	dc := waitCase(t, ns, "stu-jon-do-20261102", "transfer closes", atStage(v1.StageClosed))
	if dc.Status.ClosedReason != "Transferred" {
		t.Fatalf("closed reason %q", dc.Status.ClosedReason)
	}
	s := waitStudent(t, ns, "stu-kim", "without certificate", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentEnrolled); c.Reason != "TransferredWithoutCertificate" {
			return fmt.Errorf("Enrolled %+v", c)
		}
		return nil
	})
	if c := condition(s.Status.Conditions, v1.StudentEnrolled); !strings.Contains(c.Message, "视同辍学") {
		t.Fatalf("message %q does not say the child counts as not attending", c.Message)
	}
	consistently(t, "case without certificate stays open", func() error {
		if dc := get(t, ns, "stu-kim-do-20261102", &v1.DropoutCase{}); dc.Status.Stage == v1.StageClosed {
			return fmt.Errorf("closed as %s", dc.Status.ClosedReason)
		}
		return nil
	})
}

// TestDuplicateRegistration: the same ID number in two namespaces flags both Students.
func TestDuplicateRegistration(t *testing.T) {
	ns1, ns2 := newNamespace(t), newNamespace(t)
	a := student(ns1, "stu-lin", 3, village)
	b := student(ns2, "stu-lin-copy", 1, village)
	b.Spec.StudentNumber = ""
	b.Spec.ResidentID = strings.TrimPrefix(a.Spec.StudentNumber, "G")
	create(t, a, b)
	for _, c := range []struct{ ns, name, other string }{{ns1, "stu-lin", ns2 + "/stu-lin-copy"}, {ns2, "stu-lin-copy", ns1 + "/stu-lin"}} {
		waitStudent(t, c.ns, c.name, "flagged", func(s *v1.Student) error {
			cond := condition(s.Status.Conditions, v1.StudentRegistryInconsistent)
			if cond.Status != "True" || cond.Reason != v1.ReasonDuplicateRegistration || !strings.Contains(cond.Message, c.other) {
				return fmt.Errorf("RegistryInconsistent %+v", cond)
			}
			if ready := condition(s.Status.Conditions, v1.ConditionReady); ready.Status != "False" || ready.Reason != v1.ReasonDuplicateRegistration {
				return fmt.Errorf("Ready %+v", ready)
			}
			return nil
		})
	}
	if err := k8s.Delete(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	waitStudent(t, ns1, "stu-lin", "consistent again", func(s *v1.Student) error {
		if cond := meta.FindStatusCondition(s.Status.Conditions, v1.StudentRegistryInconsistent); cond != nil {
			return fmt.Errorf("RegistryInconsistent %+v", cond)
		}
		return nil
	})
}

// TestReportedByAnotherSchool: a child named in another class's report is flagged (在籍不在校),
// and the report lists the child as not on its roster.
func TestReportedByAnotherSchool(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-mo", 3, village), student(ns, "stu-nu", 1, village))
	setToday("2026-11-02")
	rep := rollCall(t, ns, 1, "2026-11-02", "stu-mo", "stu-ghost")
	waitStudent(t, ns, "stu-mo", "flagged", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentRegistryInconsistent); c.Reason != v1.ReasonNamedByAnotherClass || !strings.Contains(c.Message, "在籍不在校") {
			return fmt.Errorf("RegistryInconsistent %+v", c)
		}
		return nil
	})
	eventually(t, "report lists the strangers", func() error {
		r := get(t, ns, rep.Name, &v1.AttendanceReport{})
		if fmt.Sprint(r.Status.NotOnRoster) != "[stu-mo]" || fmt.Sprint(r.Status.UnknownStudents) != "[stu-ghost]" {
			return fmt.Errorf("status %+v", r.Status)
		}
		if c := condition(r.Status.Conditions, v1.ConditionReady); c.Status != "False" || c.Reason != "StudentsNotOnRoster" {
			return fmt.Errorf("Ready %+v", c)
		}
		return nil
	})
}

// TestSuspensionExpiresAndIsRenewed: a suspension with valid evidence needs no case; once it
// ends, the child counts as not attending from the next day (the case is not born overdue);
// renewed evidence closes the case; when the renewal ends too, a new episode opens a new case.
func TestSuspensionExpiresAndIsRenewed(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	s := student(ns, "stu-sue", 3, village)
	s.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, School: school, Since: "2026-09-01",
		Evidence: &v1.Evidence{Certificate: "XB-2026-002", ApprovedBy: "county bureau", Until: "2030-01-01"}}
	create(t, s)
	// Dates after the day the county registered the child, whenever the test runs.
	registered := policy.LocalDate(get(t, ns, "stu-sue", &v1.Student{}).CreationTimestamp.Time, shanghai)
	firstEnd, secondEnd := policy.AddDays(registered, 30), policy.AddDays(registered, 90)
	setEvidenceUntil := func(until time.Time) {
		s := get(t, ns, "stu-sue", &v1.Student{})
		patch := client.MergeFrom(s.DeepCopy())
		s.Spec.Enrolment.Evidence.Until = policy.FormatDate(until)
		if err := k8s.Patch(context.Background(), s, patch); err != nil {
			t.Fatal(err)
		}
	}
	setToday(policy.FormatDate(registered))
	setEvidenceUntil(firstEnd)
	waitStudent(t, ns, "stu-sue", "suspended", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentEnrolled); c.Reason != "Suspended" || s.Status.ObservedGeneration != s.Generation {
			return fmt.Errorf("Enrolled %+v", c)
		}
		return nil
	})

	setToday(policy.FormatDate(policy.AddDays(firstEnd, 2)))
	poke(t, &v1.Student{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "stu-sue"}})
	first := "stu-sue-do-" + policy.AddDays(firstEnd, 1).Format("20060102")
	dc := waitCase(t, ns, first, "case from the day after the suspension ended", atStage(v1.StageSchoolReported))
	if dc.Spec.Type != v1.CaseDroppedOut || condition(dc.Status.Conditions, v1.CaseOverdue).Status != "False" {
		t.Fatalf("case %s %+v overdue %+v", dc.Spec.Type, dc.Spec, condition(dc.Status.Conditions, v1.CaseOverdue))
	}

	setEvidenceUntil(secondEnd)
	dc = waitCase(t, ns, first, "renewal closes the case", atStage(v1.StageClosed))
	if dc.Status.ClosedReason != "Suspended" {
		t.Fatalf("closed reason %q", dc.Status.ClosedReason)
	}

	setToday(policy.FormatDate(policy.AddDays(secondEnd, 1)))
	poke(t, &v1.Student{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "stu-sue"}})
	waitCase(t, ns, "stu-sue-do-"+policy.AddDays(secondEnd, 1).Format("20060102"), "a new case when the renewal ends", atStage(v1.StageSchoolReported))
	if dc := get(t, ns, first, &v1.DropoutCase{}); dc.Status.Stage != v1.StageClosed {
		t.Fatalf("the first case reopened at %s", dc.Status.Stage)
	}
}

// TestCountyCutoff: the same child, born in October 2020, is of school age on 2 November 2026 in
// a county whose cut-off is 31 December (and, enrolled nowhere, gets a case), and not in a county
// with the default 31 August.
func TestCountyCutoff(t *testing.T) {
	setToday("2026-11-02")
	create(t, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: lateCutoffCounty}})
	def := newNamespace(t)
	for _, ns := range []string{lateCutoffCounty, def} {
		create(t, countyAgreements(ns)...)
		create(t, notEnrolled(ns, "stu-oct", "2020-10-15"))
	}
	waitStudent(t, lateCutoffCounty, "stu-oct", "school age under a 31 December cut-off", func(s *v1.Student) error {
		if !s.Status.SchoolAge || s.Status.OpenCase == "" {
			return fmt.Errorf("schoolAge %v, case %q", s.Status.SchoolAge, s.Status.OpenCase)
		}
		return nil
	})
	waitStudent(t, def, "stu-oct", "not yet school age under 31 August", func(s *v1.Student) error {
		if s.Status.ObservedGeneration != s.Generation || s.Status.SchoolAge || s.Status.OpenCase != "" {
			return fmt.Errorf("observed %d, schoolAge %v, case %q", s.Status.ObservedGeneration, s.Status.SchoolAge, s.Status.OpenCase)
		}
		return nil
	})
}
