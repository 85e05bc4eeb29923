package controllers_test

import (
	"context"
	"fmt"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestFutureRollCallIsHeldAndADeletedOneLeavesNoTrace (issue 12): a roll call dated after today
// (2027 typed for 2026) is held, not counted; a bad roll call deleted by a person takes its day
// with it, and the child it named is no longer absent.
func TestFutureRollCallIsHeldAndADeletedOneLeavesNoTrace(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-ivy", 3, village), student(ns, "stu-jon", 3, village))
	setToday("2026-11-02")
	rollCall(t, ns, 3, "2026-11-02")
	waitRecordDay(t, ns, 3, "2026-11-02", "")

	typo := rollCall(t, ns, 3, "2027-11-03", "stu-ivy")
	eventually(t, "the roll call from the future is held", func() error {
		r := get(t, ns, typo.Name, &v1.AttendanceReport{})
		if c := condition(r.Status.Conditions, v1.ConditionReady); c.Status != "False" || c.Reason != "FutureDate" {
			return fmt.Errorf("Ready %+v", c)
		}
		return nil
	})
	var records v1.ClassAttendanceList
	if err := k8s.List(context.Background(), &records, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	for _, rec := range records.Items {
		if rec.Spec.Month == "2027-11" {
			t.Fatalf("a record was made for the future month: %s", rec.Name)
		}
	}
	waitStudent(t, ns, "stu-ivy", "not absent from the future", absentDays(0))

	// A wrong roll call for a real day, then deleted: the day goes, and with it the absence.
	setToday("2026-11-03")
	bad := rollCall(t, ns, 3, "2026-11-03", "stu-ivy")
	waitStudent(t, ns, "stu-ivy", "absent on the wrong roll call", absentDays(1))
	if err := k8s.Delete(context.Background(), bad); err != nil {
		t.Fatal(err)
	}
	waitStudent(t, ns, "stu-ivy", "the deleted roll call leaves no trace", absentDays(0))
	eventually(t, "the day is gone from the record", func() error {
		var rec v1.ClassAttendance
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: fmt.Sprintf("%s-5-3-202611", school)}, &rec); err != nil {
			return err
		}
		if len(rec.Spec.Days) != 1 {
			return fmt.Errorf("%d days recorded, want 1", len(rec.Spec.Days))
		}
		return nil
	})
}
