package policy

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestSchedule: "各学校对辍学统计结果于每月23日前书面报镇政府,镇政府汇总后每月25日前上报县教育局".
func TestSchedule(t *testing.T) {
	day := MustDate("2026-11-10")
	for _, c := range []struct {
		level                 v1.ReportLevel
		terms                 v1.Reporting
		cutOff, due, from, to v1.Date
	}{
		{v1.ReportSchool, v1.Reporting{}, "2026-11-23", "2026-11-23", "2026-10-23", "2026-11-22"},
		{v1.ReportTownship, v1.Reporting{}, "2026-11-25", "2026-11-25", "2026-10-25", "2026-11-24"},
		{v1.ReportCounty, v1.Reporting{CountyCutOff: i32(28), ConfirmWithinDays: i32(2)}, "2026-11-28", "2026-11-30", "2026-10-28", "2026-11-27"},
	} {
		s := ScheduleFor(c.level, c.terms, day)
		got := [4]v1.Date{FormatDate(s.CutOff), FormatDate(s.Due), FormatDate(s.From), FormatDate(s.To)}
		if got != [4]v1.Date{c.cutOff, c.due, c.from, c.to} || s.Month != "2026-11" {
			t.Errorf("%s: %v %s", c.level, got, s.Month)
		}
	}
	s := ScheduleFor(v1.ReportSchool, v1.Reporting{}, day)
	for d, want := range map[v1.Date]bool{"2026-11-22": false, "2026-11-23": true, "2026-11-30": true, "2026-12-01": false} {
		if s.ReportDue(MustDate(d)) != want {
			t.Errorf("due on %s: %v", d, !want)
		}
	}
	if n := ReportName(v1.ReportSchool, "5201210001", "2026-11"); n != "school-5201210001-202611" {
		t.Error(n)
	}
}

func stageAt(stage v1.Stage, day v1.Date) v1.StageChange {
	return v1.StageChange{Stage: stage, Time: metav1.NewTime(MustDate(day).Add(10 * time.Hour))}
}

// TestMonthlyFigures counts the period's cases by what happened to them, with placements.
func TestMonthlyFigures(t *testing.T) {
	s := ScheduleFor(v1.ReportSchool, v1.Reporting{}, MustDate("2026-11-01"))
	mk := func(name string, typ v1.CaseType, opened v1.Date, stage v1.Stage, p v1.Placement, h ...v1.StageChange) *v1.DropoutCase {
		dc := &v1.DropoutCase{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1.DropoutCaseSpec{Type: typ, Opened: opened, Placement: p},
			Status: v1.DropoutCaseStatus{Stage: stage, History: h}}
		return dc
	}
	cases := []*v1.DropoutCase{
		mk("a-new", v1.CaseDroppedOut, "2026-11-02", v1.StageSchoolReported, ""),
		mk("b-confirmed", v1.CaseDroppedOut, "2026-10-01", v1.StageTownshipReported, "", stageAt(v1.StageTownshipReported, "2026-11-05")),
		mk("c-returned", v1.CaseDroppedOut, "2026-11-03", v1.StageReturned, v1.PlacementVocationalSchool,
			stageAt(v1.StageTownshipReported, "2026-11-10"), stageAt(v1.StageReturned, "2026-11-20")),
		mk("d-old-open", v1.CaseDroppedOut, "2026-09-10", v1.StageTownshipReported, "", stageAt(v1.StageTownshipReported, "2026-09-20")),
		mk("e-closed-before", v1.CaseDroppedOut, "2026-09-10", v1.StageClosed, v1.PlacementOwnSchool, stageAt(v1.StageReturned, "2026-10-01")),
		mk("f-notenrolled", v1.CaseNotEnrolled, "2026-10-30", v1.StageTownshipReported, ""),
		mk("g-after-cutoff", v1.CaseDroppedOut, "2026-11-23", v1.StageSchoolReported, ""),
	}
	f := MonthlyFigures(ReportInputs{Schedule: s, Cases: cases, Location: time.UTC})
	if f.NewSuspected != 2 || f.NewNotEnrolled != 1 || f.NewConfirmed != 2 || f.Returned != (v1.ReturnedCounts{Total: 1, VocationalSchool: 1}) {
		t.Errorf("suspected %d not enrolled %d confirmed %d returned %+v", f.NewSuspected, f.NewNotEnrolled, f.NewConfirmed, f.Returned)
	}
	want := map[string]v1.CaseEvent{"a-new": v1.CaseEventOpened, "b-confirmed": v1.CaseEventConfirmed, "c-returned": v1.CaseEventReturned,
		"d-old-open": v1.CaseEventOpen, "f-notenrolled": v1.CaseEventOpened, "g-after-cutoff": v1.CaseEventOpen}
	if len(f.Cases) != len(want) {
		t.Fatalf("cases %+v", f.Cases)
	}
	for _, ref := range f.Cases {
		if want[ref.Name] != ref.Event {
			t.Errorf("%s: %s, want %s", ref.Name, ref.Event, want[ref.Name])
		}
	}
	if f.From != "2026-10-23" || f.To != "2026-11-22" {
		t.Errorf("period %s..%s", f.From, f.To)
	}
}

func TestClassesCompliance(t *testing.T) {
	s := ScheduleFor(v1.ReportSchool, v1.Reporting{}, MustDate("2026-11-01"))
	c := ClassesCompliance(map[string][]v1.Date{
		"1/1": {"2026-10-22", "2026-11-02", "2026-11-03", "2026-11-04"},
		"1/2": {"2026-11-02", "2026-11-04"},
		"2/1": {"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-23"},
	}, s)
	if c != (v1.ReportCompliance{SchoolDays: 3, RollCalls: 8, MissingRollCalls: 1, ClassesMissing: 1}) {
		t.Errorf("%+v", c)
	}
}

func TestStandingOf(t *testing.T) {
	at := func(d v1.Date) *v1.Confirmation {
		return &v1.Confirmation{By: "principal", At: metav1.NewTime(MustDate(d).Add(9 * time.Hour))}
	}
	for _, c := range []struct {
		conf            *v1.Confirmation
		today           v1.Date
		confirmed, late bool
	}{
		{nil, "2026-11-23", false, false},
		{nil, "2026-11-24", false, true},
		{at("2026-11-23"), "2026-12-30", true, false},
		{at("2026-11-24"), "2026-11-24", true, true},
	} {
		st := StandingOf(v1.MonthlyReportSpec{Due: "2026-11-23", Confirmation: c.conf}, MustDate(c.today), time.UTC)
		if st.Confirmed != c.confirmed || st.Late != c.late {
			t.Errorf("%v on %s: %+v", c.conf, c.today, st)
		}
	}
}
