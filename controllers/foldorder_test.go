package controllers_test

import (
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestCaseWaitsForEarlierRollCalls: a class's November record cannot take its last roll call (the
// API server refuses its writes, as for a manager killed between the folds of two months) while its
// December record takes the next three. The child, absent since 30 November, gets one case, named
// for 30 November as it would be had the months been folded in order, never one for 1 December.
func TestCaseWaitsForEarlierRollCalls(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-ned", 3, village))
	for _, d := range []v1.Date{"2026-11-26", "2026-11-27"} {
		setToday(d)
		rep := rollCall(t, ns, 3, d)
		waitRecordDay(t, ns, 3, d, rep.Name)
	}

	release := writes.refuse(client.ObjectKey{Namespace: ns, Name: string(school) + "-5-3-202611"})
	t.Cleanup(release)
	for _, d := range []v1.Date{"2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"} {
		setToday(d)
		rep := rollCall(t, ns, 3, d, "stu-ned")
		if d != "2026-11-30" {
			waitRecordDay(t, ns, 3, d, rep.Name)
		}
	}
	waitStudent(t, ns, "stu-ned", "December's three days seen", absentDays(3))
	// The Student writes its status before it opens a case: give the case it must not open the
	// time to appear.
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cases := listCases(t, ns); len(cases) != 0 {
			t.Fatalf("case %s opened while 30 November's roll call was not yet in its record", cases[0].Name)
		}
	}

	release()
	waitCase(t, ns, "stu-ned-do-20261130", "the case of the whole run", atStage(v1.StageSchoolReported))
	waitStudent(t, ns, "stu-ned", "all four days seen", absentDays(4))
	if cases := listCases(t, ns); len(cases) != 1 {
		t.Fatalf("%d cases, want one", len(cases))
	}
}
