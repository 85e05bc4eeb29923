package controllers_test

import (
	"fmt"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestBackToBackSchoolDaysEndEveryRun sends a class's second school day the moment its first is
// in the record: the whole class absent, then the whole class present. The second change of the
// record wakes the children the `student-running` index holds, and a child whose first status
// write has not reached the cache yet is not there; each child must still end with no run.
func TestBackToBackSchoolDaysEndEveryRun(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	const class = 3
	var names []string
	for i := range 30 {
		name := fmt.Sprintf("stu-b%02d", i)
		names = append(names, name)
		create(t, student(ns, name, class, village))
	}
	days := schoolDays("2026-11-02", 3)
	setToday(days[0])
	rollCall(t, ns, class, days[0])
	for _, name := range names {
		waitStudent(t, ns, name, "present on the first day", func(s *v1.Student) error {
			if s.Status.ObservedGeneration == 0 {
				return fmt.Errorf("no status yet")
			}
			return nil
		})
	}
	setToday(days[1])
	away := rollCall(t, ns, class, days[1], names...)
	waitRecordDay(t, ns, class, days[1], away.Name)
	// The class comes back the next day, sent as soon as the absence is in the record.
	setToday(days[2])
	rollCall(t, ns, class, days[2])
	for _, name := range names {
		waitStudent(t, ns, name, "back the next day", func(s *v1.Student) error {
			if run := s.Status.Attendance.ConsecutiveUnexcusedDays; run != 0 {
				return fmt.Errorf("run of %d days after a day present", run)
			}
			return nil
		})
	}
}
