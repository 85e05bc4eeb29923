package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestClearedStatusComesBack: the statuses of a Student with an open case, of the case and of
// the class agreement are cleared while the manager is down, as a restore without status
// (Velero) or a `kubectl replace` would leave them. The next manager gives back the same
// statuses from the spec objects and the class records, and never a second case.
func TestClearedStatusComesBack(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-ada", 3, village), student(ns, "stu-ben", 3, village))
	days := schoolDays("2026-11-02", 4)
	for _, d := range days {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-ada")
	}
	const caseName = "stu-ada-do-20261102"
	waitCase(t, ns, caseName, "case opens", atStage(v1.StageSchoolReported))
	record(t, ns, caseName, action(v1.ActionHomeVisit, days[3], v1.LineEducation))
	waitCase(t, ns, caseName, "visit counted", func(dc *v1.DropoutCase) error {
		if dc.Status.VisitsRecorded != 1 {
			return fmt.Errorf("%d visits", dc.Status.VisitsRecorded)
		}
		return nil
	})
	waitStudent(t, ns, "stu-ada", "four days and the case", func(s *v1.Student) error {
		if s.Status.Attendance.ConsecutiveUnexcusedDays != 4 || s.Status.OpenCase != caseName {
			return fmt.Errorf("%d days, case %q", s.Status.Attendance.ConsecutiveUnexcusedDays, s.Status.OpenCase)
		}
		return nil
	})
	waitAgreement(t, ns, "g5c3", "case counted", func(a *v1.ResponsibilityAgreement) error {
		if a.Status.Coverage.OpenCases.SchoolReported != 1 || a.Status.Coverage.Children != 2 {
			return fmt.Errorf("coverage %+v", a.Status.Coverage)
		}
		return nil
	})
	want := derivedState(t, ns, caseName)

	stopManager()
	clearStatus(t, &v1.Student{}, ns, "stu-ada")
	clearStatus(t, &v1.Student{}, ns, "stu-ben")
	clearStatus(t, &v1.DropoutCase{}, ns, caseName)
	clearStatus(t, &v1.ResponsibilityAgreement{}, ns, "g5c3")
	stopManager = startManager()

	eventually(t, "statuses derived again", func() error {
		if got := derivedState(t, ns, caseName); got != want {
			return fmt.Errorf("got  %s\nwant %s", got, want)
		}
		return nil
	})
	if n := len(listCases(t, ns)); n != 1 {
		t.Fatalf("%d cases after the restore, want 1", n)
	}
}

// derivedState renders what the controllers derive for the test's objects, less times that
// record when a status was written rather than what it says.
func derivedState(t *testing.T, ns, caseName string) string {
	t.Helper()
	ada := get(t, ns, "stu-ada", &v1.Student{})
	ben := get(t, ns, "stu-ben", &v1.Student{})
	dc := get(t, ns, caseName, &v1.DropoutCase{})
	ra := get(t, ns, "g5c3", &v1.ResponsibilityAgreement{})
	c := dc.Status
	entered := ""
	if c.StageEntered != nil {
		entered = c.StageEntered.UTC().String()
	}
	return fmt.Sprintf("ada %s %s | ben %s %s | case %s %s %d/%d %s %+v %s | agreement %+v %+v %s",
		studentCore(ada), conds(ada.Status.Conditions), studentCore(ben), conds(ben.Status.Conditions),
		c.Stage, entered, c.VisitsRecorded, c.DaysAbsent, c.DueBy, c.Assignees, conds(c.Conditions),
		ra.Status.Coverage, ra.Status.Rates, conds(ra.Status.Conditions))
}

func studentCore(s *v1.Student) string {
	st := s.Status
	st.Conditions = nil
	out, _ := json.Marshal(st)
	return string(out)
}

func conds(cs []metav1.Condition) string {
	out := ""
	for _, c := range cs {
		out += fmt.Sprintf("[%s=%s %s: %s]", c.Type, c.Status, c.Reason, c.Message)
	}
	return out
}

// clearStatus empties an object's status through the status subresource.
func clearStatus(t *testing.T, obj client.Object, ns, name string) {
	t.Helper()
	ctx := context.Background()
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, obj); err != nil {
		t.Fatal(err)
	}
	status := reflect.ValueOf(obj).Elem().FieldByName("Status")
	status.Set(reflect.Zero(status.Type()))
	if err := k8s.Status().Update(ctx, obj); err != nil {
		t.Fatalf("clearing the status of %s: %v", name, err)
	}
}
