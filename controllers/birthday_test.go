package controllers_test

import (
	"fmt"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// TestChildIsWokenOnItsBirthday: a child's age changes on its birthday with no event at all:
// the manager wakes it on the date it computed at its last reconcile (wakeups.go), not through
// a RequeueAfter held in the queue for months.
func TestChildIsWokenOnItsBirthday(t *testing.T) {
	ns := newNamespace(t)
	t.Cleanup(func() { setToday("2026-11-02") })
	setToday("2026-11-19")
	create(t, countyAgreements(ns)...)
	s := student(ns, "stu-birthday", 1, village)
	s.Spec.BirthDate = "2016-11-20"
	s.Spec.StudentNumber = "G" + registry.MakeResidentID("520121", string(s.Spec.BirthDate), 7)
	create(t, s)
	waitStudent(t, ns, s.Name, "age 9 the day before the birthday", age(9))

	setToday("2026-11-20")
	waitStudent(t, ns, s.Name, "age 10 on the birthday, without a poke", age(10))
}

func age(want int32) func(*v1.Student) error {
	return func(s *v1.Student) error {
		if s.Status.Age != want {
			return fmt.Errorf("age %d, want %d", s.Status.Age, want)
		}
		return nil
	}
}
