package controllers_test

import (
	"context"
	"fmt"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

func pct(v string) *v1.Percent {
	p := v1.Percent(v)
	return &p
}

// openCaseIn puts a child of a class three days absent and waits for the case.
func openCaseIn(t *testing.T, ns string, class int32, names ...string) {
	t.Helper()
	for _, d := range schoolDays("2026-11-02", 3) {
		setToday(d)
		rollCall(t, ns, class, d, names...)
	}
	for _, n := range names {
		waitCase(t, ns, n+"-do-20261102", "case opens", atStage(v1.StageSchoolReported))
	}
}

// TestHomeroomTeacherChangesHands: a GitOps edit of the class agreement reassigns the open cases
// of that class, and only those, with history and an Event.
func TestHomeroomTeacherChangesHands(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-fay", 3, village), student(ns, "stu-gus", 1, village2))
	for _, d := range schoolDays("2026-11-02", 3) {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-fay")
		rollCall(t, ns, 1, d, "stu-gus")
	}
	waitCase(t, ns, "stu-fay-do-20261102", "class 3 case", atStage(v1.StageSchoolReported))
	other := waitCase(t, ns, "stu-gus-do-20261102", "class 1 case", atStage(v1.StageSchoolReported))

	ra := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
	patch := client.MergeFrom(ra.DeepCopy())
	ra.Spec.Responsible.Name = "Teacher Qian"
	if err := k8s.Patch(context.Background(), ra, patch); err != nil {
		t.Fatal(err)
	}
	dc := waitCase(t, ns, "stu-fay-do-20261102", "reassigned", func(dc *v1.DropoutCase) error {
		if dc.Status.Assignees.Education[0].Name != "Teacher Qian" {
			return fmt.Errorf("education assignees %+v", dc.Status.Assignees.Education)
		}
		return nil
	})
	h := dc.Status.AssigneeHistory
	if len(h) != 1 || h[0].From != "Teacher Zhao" || h[0].To != "Teacher Qian" || h[0].Role != v1.RoleHomeroomTeacher {
		t.Fatalf("assignee history %+v", h)
	}
	expectEvents(t, ns, "stu-fay-do-20261102", "Reassigned")
	waitStudent(t, ns, "stu-fay", "student shows the new teacher", func(s *v1.Student) error {
		if s.Status.Responsible.Education.Name != "Teacher Qian" {
			return fmt.Errorf("responsible %+v", s.Status.Responsible.Education)
		}
		return nil
	})
	consistently(t, "the other class's case is untouched", func() error {
		now := get(t, ns, "stu-gus-do-20261102", &v1.DropoutCase{})
		if now.ResourceVersion != other.ResourceVersion {
			return fmt.Errorf("case of class 1 was written: %+v", now.Status.Assignees)
		}
		return nil
	})
}

// TestTermsChangeReevaluatesCases: lowering the visit quota in Git moves a case with enough visits on.
func TestTermsChangeReevaluatesCases(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-hal", 3, village))
	openCaseIn(t, ns, 3, "stu-hal")
	record(t, ns, "stu-hal-do-20261102", action(v1.ActionHomeVisit, "2026-11-04", v1.LineEducation), action(v1.ActionHomeVisit, "2026-11-04", v1.LineEducation))
	waitCase(t, ns, "stu-hal-do-20261102", "two visits", func(dc *v1.DropoutCase) error {
		if dc.Status.VisitsRecorded != 2 || dc.Status.VisitsRequired != 3 {
			return fmt.Errorf("visits %d/%d", dc.Status.VisitsRecorded, dc.Status.VisitsRequired)
		}
		return nil
	})
	ra := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
	patch := client.MergeFrom(ra.DeepCopy())
	two := int32(2)
	ra.Spec.Terms.Escalation.RequiredVisits = &two
	if err := k8s.Patch(context.Background(), ra, patch); err != nil {
		t.Fatal(err)
	}
	waitCase(t, ns, "stu-hal-do-20261102", "quota of two reached", atStage(v1.StageTownshipReported))
}

// TestExpiredAgreementStopsApplying: the grade leader takes over when the class agreement ends.
func TestExpiredAgreementStopsApplying(t *testing.T) {
	ns := newNamespace(t)
	objs := countyAgreements(ns)
	objs = append(objs, agreement(ns, "g5", v1.LineEducation, v1.RoleGradeLeader, "Leader Wu", v1.Scope{School: school, Grade: 5}))
	create(t, objs...)
	create(t, student(ns, "stu-ida", 3, village))
	setToday("2026-11-02")
	waitStudent(t, ns, "stu-ida", "class teacher responsible", func(s *v1.Student) error {
		if s.Status.Responsible.Education == nil || s.Status.Responsible.Education.Name != "Teacher Zhao" {
			return fmt.Errorf("responsible %+v", s.Status.Responsible.Education)
		}
		return nil
	})
	ra := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
	patch := client.MergeFrom(ra.DeepCopy())
	ra.Spec.Effective.Until = "2026-10-31"
	if err := k8s.Patch(context.Background(), ra, patch); err != nil {
		t.Fatal(err)
	}
	s := waitStudent(t, ns, "stu-ida", "grade leader responsible", func(s *v1.Student) error {
		if s.Status.Responsible.Education == nil || s.Status.Responsible.Education.Name != "Leader Wu" {
			return fmt.Errorf("responsible %+v", s.Status.Responsible.Education)
		}
		return nil
	})
	if c := condition(s.Status.Conditions, v1.StudentUnassigned); c.Status != "True" || c.Message != "no class agreement for school 5201210001 grade 5 class 3" {
		t.Fatalf("Unassigned %+v", c)
	}
	eventually(t, "agreement inactive", func() error {
		a := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
		if c := condition(a.Status.Conditions, v1.AgreementActive); c.Status != "False" || c.Reason != "Expired" {
			return fmt.Errorf("Active %+v", c)
		}
		return nil
	})
}

// TestConflictReportedOnBoth: two active agreements on one class both get Conflict=True.
func TestConflictReportedOnBoth(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, agreement(ns, "g5c3-dup", v1.LineEducation, v1.RoleHomeroomTeacher, "Teacher Sun", v1.Scope{School: school, Grade: 5, Class: 3}))
	for name, other := range map[string]string{"g5c3": "g5c3-dup", "g5c3-dup": "g5c3"} {
		eventually(t, "conflict on "+name, func() error {
			a := get(t, ns, name, &v1.ResponsibilityAgreement{})
			if c := condition(a.Status.Conditions, v1.AgreementConflict); c.Status != "True" || len(a.Status.ConflictsWith) != 1 || a.Status.ConflictsWith[0] != other {
				return fmt.Errorf("Conflict %+v with %v", c, a.Status.ConflictsWith)
			}
			return nil
		})
	}
}

// TestRatesFollowADropoutAndReturn: the class agreement's dropout rate and TargetsMet follow a
// child out of school and back.
func TestRatesFollowADropoutAndReturn(t *testing.T) {
	ns := newNamespace(t)
	objs := countyAgreements(ns)
	objs[2].(*v1.ResponsibilityAgreement).Spec.Terms.Targets = v1.Targets{MaxDropout: pct("0"), Consolidation: pct("100")}
	create(t, objs...)
	for i := 0; i < 4; i++ {
		create(t, student(ns, fmt.Sprintf("stu-k%d", i), 3, village))
	}
	days := schoolDays("2026-11-02", 12)
	for _, d := range days[:10] {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-k0")
	}
	waitCase(t, ns, "stu-k0-do-20261102", "dropped out", atStage(v1.StageTownshipReported))
	ra := waitAgreement(t, ns, "g5c3", "dropout measured", func(a *v1.ResponsibilityAgreement) error {
		if a.Status.Rates.Dropout != "25" || condition(a.Status.Conditions, v1.AgreementTargetsMet).Status != "False" {
			return fmt.Errorf("rates %+v TargetsMet %+v", a.Status.Rates, condition(a.Status.Conditions, v1.AgreementTargetsMet))
		}
		return nil
	})
	if ra.Status.Coverage.Children != 4 || ra.Status.Coverage.OpenCases.TownshipReported != 1 || ra.Status.Reporting == nil || len(ra.Status.Reporting.MissingDays) != 0 {
		t.Fatalf("coverage %+v reporting %+v", ra.Status.Coverage, ra.Status.Reporting)
	}
	for _, d := range days[10:] {
		setToday(d)
		rollCall(t, ns, 3, d)
	}
	waitCase(t, ns, "stu-k0-do-20261102", "returned", atStage(v1.StageReturned))
	waitAgreement(t, ns, "g5c3", "rate recovers", func(a *v1.ResponsibilityAgreement) error {
		if a.Status.Rates.Dropout != "0" || condition(a.Status.Conditions, v1.AgreementTargetsMet).Status != "True" {
			return fmt.Errorf("rates %+v TargetsMet %+v", a.Status.Rates, condition(a.Status.Conditions, v1.AgreementTargetsMet))
		}
		return nil
	})
}

func waitAgreement(t *testing.T, ns, name, what string, check func(*v1.ResponsibilityAgreement) error) *v1.ResponsibilityAgreement {
	t.Helper()
	var a v1.ResponsibilityAgreement
	eventually(t, what, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &a); err != nil {
			return err
		}
		return check(&a)
	})
	return &a
}

// TestFiguresOfAChildWhoseFirstStatusChangesNoCondition: a child too young for school gets a first
// status in which no counted condition changes. Its agreement must not go on waiting for it.
func TestFiguresOfAChildWhoseFirstStatusChangesNoCondition(t *testing.T) {
	ns := newNamespace(t)
	const young v1.VillageCode = "520121100209"
	create(t, agreement(ns, "young-village", v1.LineGovernment, v1.RoleVillageCadre, "Cadre Hu", v1.Scope{Township: township, Village: young}))
	child := student(ns, "stu-tiny", 1, young)
	child.Spec.BirthDate = "2022-01-01"
	child.Spec.StudentNumber = "G" + registry.MakeResidentID("520121", "2022-01-01", 7)
	child.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentNotEnrolled}
	create(t, child)
	waitAgreement(t, ns, "young-village", "the child is counted", func(a *v1.ResponsibilityAgreement) error {
		if a.Status.Coverage.Children != 1 || a.Status.Coverage.SchoolAge != 0 {
			return fmt.Errorf("coverage %+v", a.Status.Coverage)
		}
		return nil
	})
}
