package controllers_test

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestSilentClass: class 3 sends no roll call for three days on which its school (class 1)
// reported. Its agreement gets Silent with the typed reason and an Event; its child's Attending
// turns Unknown ("unknown since" the first missed day), not True. The next school day costs the
// children no write: the present child is not woken and the silent child's status stays.
func TestSilentClass(t *testing.T) {
	ns := newNamespace(t)
	setToday("2026-11-16")
	create(t, countyAgreements(ns)...)
	present := student(ns, "stu-here", 1, village)
	present.Spec.Enrolment.Since = "2026-09-01"
	create(t, present, registeredChild(ns, "stu-silent"))
	for _, d := range []v1.Date{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"} {
		setToday(d)
		rollCall(t, ns, 1, d)
		waitStudent(t, ns, "stu-here", "the present child reconciled", func(s *v1.Student) error {
			if condition(s.Status.Conditions, v1.StudentAttending).Status != metav1.ConditionTrue {
				return fmt.Errorf("attending %+v", condition(s.Status.Conditions, v1.StudentAttending))
			}
			return nil
		})
	}
	eventually(t, "class 3's agreement silent since 2026-11-16", func() error {
		a := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
		c := condition(a.Status.Conditions, v1.AgreementSilent)
		if c.Status != metav1.ConditionTrue || c.Reason != v1.ReasonClassSilent || a.Status.Reporting.SilentSince != "2026-11-16" {
			return fmt.Errorf("silent %+v, reporting %+v", c, a.Status.Reporting)
		}
		if c1 := condition(get(t, ns, "g5c1", &v1.ResponsibilityAgreement{}).Status.Conditions, v1.AgreementSilent); c1.Status != metav1.ConditionFalse {
			return fmt.Errorf("class 1 reports, but Silent is %+v", c1)
		}
		return nil
	})
	expectEvents(t, ns, "g5c3", v1.ReasonClassSilent)
	waitStudent(t, ns, "stu-silent", "the silent class's child unknown", func(s *v1.Student) error {
		c := condition(s.Status.Conditions, v1.StudentAttending)
		if c.Status != metav1.ConditionUnknown || c.Reason != v1.ReasonClassSilent || c.Message != "自 2026-11-16 起班级未报考勤，出勤情况不明" {
			return fmt.Errorf("attending %+v", c)
		}
		return nil
	})

	time.Sleep(time.Second)
	writes.take(ns)
	setToday("2026-11-20")
	rollCall(t, ns, 1, "2026-11-20")
	eventually(t, "class 3's missing days grow", func() error {
		if r := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{}).Status.Reporting; len(r.MissingDays) != 4 {
			return fmt.Errorf("reporting %+v", r)
		}
		return nil
	})
	time.Sleep(time.Second)
	if got := writes.take(ns); got["Student status patch"]+got["Student patch"] != 0 {
		t.Errorf("a school day with nothing new for the children wrote to Students: %v", got)
	}

	// Class 3 reports again: the silence ends, and so does the unknown.
	rollCall(t, ns, 3, "2026-11-20")
	eventually(t, "class 3's silence over", func() error {
		a := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
		if c := condition(a.Status.Conditions, v1.AgreementSilent); c.Status != metav1.ConditionFalse || a.Status.Reporting.SilentSince != "" {
			return fmt.Errorf("silent %+v, reporting %+v", c, a.Status.Reporting)
		}
		return nil
	})
	waitStudent(t, ns, "stu-silent", "the child attending again", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentAttending); c.Status != metav1.ConditionTrue {
			return fmt.Errorf("attending %+v", c)
		}
		return nil
	})
	expectEvents(t, ns, "g5c3", v1.ReasonClassSilent, v1.ReasonReporting)
}
