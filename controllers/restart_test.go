package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestRestartMidEscalation stops the manager while a case is open, lets reports arrive while it is
// down, and starts a new one: still exactly one case, in the same state as a twin in another
// class whose reports the running manager saw one by one.
func TestRestartMidEscalation(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-eve", 3, village), student(ns, "stu-twin", 1, village))
	days := schoolDays("2026-11-02", 11)
	for _, d := range days[:3] {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-eve")
		rollCall(t, ns, 1, d, "stu-twin")
	}
	waitCase(t, ns, "stu-eve-do-20261102", "case opens", atStage(v1.StageSchoolReported))
	waitCase(t, ns, "stu-twin-do-20261102", "twin's case opens", atStage(v1.StageSchoolReported))
	for i, d := range days[3:] {
		setToday(d)
		rollCall(t, ns, 1, d, "stu-twin")
		waitStudent(t, ns, "stu-twin", "twin's day seen", absentDays(int32(4+i)))
	}
	twin := waitCase(t, ns, "stu-twin-do-20261102", "twin escalated day by day", func(dc *v1.DropoutCase) error {
		if dc.Status.Stage != v1.StageTownshipReported || dc.Status.DaysAbsent != 11 {
			return fmt.Errorf("stage %s, %d days absent", dc.Status.Stage, dc.Status.DaysAbsent)
		}
		return nil
	})

	stopManager()
	for _, d := range days[3:] {
		rollCall(t, ns, 3, d, "stu-eve")
	}
	stopManager = startManager()

	eve := waitCase(t, ns, "stu-eve-do-20261102", "escalated after the restart", func(dc *v1.DropoutCase) error {
		if dc.Status.Stage != v1.StageTownshipReported || dc.Status.DaysAbsent != 11 {
			return fmt.Errorf("stage %s, %d days absent", dc.Status.Stage, dc.Status.DaysAbsent)
		}
		return nil
	})
	if n := len(listCases(t, ns)); n != 2 {
		t.Fatalf("%d cases, want one per child", n)
	}
	same := func(dc *v1.DropoutCase) string {
		st := dc.Status
		return fmt.Sprintf("%s since %s, %d days, %s due by %s, overdue %s, visits %d/%d", st.Stage, st.StageEntered.UTC(), st.DaysAbsent,
			st.RequiredAction, st.DueBy, condition(st.Conditions, v1.CaseOverdue).Status, st.VisitsRecorded, st.VisitsRequired)
	}
	if same(eve) != same(twin) {
		t.Fatalf("restarted case differs from its twin:\n%s\n%s", same(eve), same(twin))
	}
}

// TestWritesProportionalToChange: a roll call writes its class's record and the children whose
// attendance changed, nobody else: a present child with nothing running costs no write, and a
// correction that changes nobody's marks writes no student at all.
func TestWritesProportionalToChange(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	for i := 0; i < 3; i++ {
		create(t, student(ns, fmt.Sprintf("stu-a%d", i), 1, village2), student(ns, fmt.Sprintf("stu-b%d", i), 3, village))
	}
	setToday("2026-11-02")
	rollCall(t, ns, 1, "2026-11-02")
	rollCall(t, ns, 3, "2026-11-02")
	waitRecordDay(t, ns, 1, "2026-11-02", "")
	waitRecordDay(t, ns, 3, "2026-11-02", "")
	for i := 0; i < 3; i++ {
		for _, n := range []string{"stu-a%d", "stu-b%d"} {
			waitStudent(t, ns, fmt.Sprintf(n, i), "status written", func(s *v1.Student) error {
				if s.Status.ObservedGeneration == 0 {
					return fmt.Errorf("no status yet")
				}
				return nil
			})
		}
	}
	settle := versions(t, ns)

	setToday("2026-11-03")
	rollCall(t, ns, 1, "2026-11-03", "stu-a0")
	waitStudent(t, ns, "stu-a0", "absence seen", absentDays(1))
	waitRecordDay(t, ns, 1, "2026-11-03", "")
	after := versions(t, ns)
	for name, rv := range after {
		if changed := rv != settle[name]; changed != (name == "stu-a0") {
			t.Errorf("%s written: %v, want only stu-a0 written", name, changed)
		}
	}

	// The same roll call again, as a correction that changes nobody's marks: no student is written.
	fix := rollCall(t, ns, 1, "2026-11-03", "stu-a0")
	waitRecordDay(t, ns, 1, "2026-11-03", fix.Name)
	consistently(t, "an unchanged correction writes no student", func() error {
		if again := versions(t, ns); fmt.Sprint(again) != fmt.Sprint(after) {
			return fmt.Errorf("before %v\nafter  %v", after, again)
		}
		return nil
	})

	// Back the next day: the run ends, and only the child whose run ended is written.
	setToday("2026-11-04")
	rollCall(t, ns, 1, "2026-11-04")
	waitStudent(t, ns, "stu-a0", "run ended", absentDays(0))
	back := versions(t, ns)
	for name, rv := range back {
		if changed := rv != after[name]; changed != (name == "stu-a0") {
			t.Errorf("%s written when stu-a0 came back: %v", name, changed)
		}
	}
}

// waitRecordDay waits until the class record holds the day, taken from the named report when one
// is given.
func waitRecordDay(t *testing.T, ns string, class int32, date v1.Date, report string) {
	t.Helper()
	eventually(t, "class record holds "+string(date), func() error {
		var rec v1.ClassAttendance
		name := fmt.Sprintf("%s-5-%d-%s", school, class, strings.ReplaceAll(string(date), "-", "")[:6])
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &rec); err != nil {
			return err
		}
		for _, d := range rec.Spec.Days {
			if d.Date == date && (report == "" || d.Report == report) {
				return nil
			}
		}
		return fmt.Errorf("record %s has %d days, not %s from %q", name, len(rec.Spec.Days), date, report)
	})
}

func versions(t *testing.T, ns string) map[string]string {
	t.Helper()
	var list v1.StudentList
	if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range list.Items {
		out[s.Name] = s.ResourceVersion
	}
	return out
}

// consistently checks that a condition holds for a second: the way to assert that nothing happens.
func consistently(t *testing.T, what string, check func() error) {
	t.Helper()
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if err := check(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}
