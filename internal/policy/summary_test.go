package policy

import (
	"reflect"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestSummarySchedules: "县教育局于每年的1月份、7月份统计全县辍学情况". The semester summaries are
// written on the January and July cut-off days, the school-year summary on the July one; each
// covers the days since the previous summary of its kind, so every day is in exactly one.
func TestSummarySchedules(t *testing.T) {
	county28 := v1.Reporting{CountyCutOff: i32(28)}
	for _, c := range []struct {
		name     string
		period   v1.ReportPeriod
		level    v1.ReportLevel
		terms    v1.Reporting
		day      v1.Date
		ok       bool
		cutOff   v1.Date
		from, to v1.Date
		report   string
	}{
		{"January: the autumn term", v1.PeriodSemester, v1.ReportCounty, v1.Reporting{}, "2027-01-10", true,
			"2027-01-25", "2026-07-25", "2027-01-24", "county-semester-202701"},
		{"July: the spring term", v1.PeriodSemester, v1.ReportSchool, v1.Reporting{}, "2027-07-01", true,
			"2027-07-23", "2027-01-23", "2027-07-22", "school-5201210001-semester-202707"},
		{"July: the school year", v1.PeriodSchoolYear, v1.ReportTownship, v1.Reporting{}, "2027-07-31", true,
			"2027-07-25", "2026-07-25", "2027-07-24", "township-520121100-year-202707"},
		{"the county's own cut-off day", v1.PeriodSchoolYear, v1.ReportCounty, county28, "2027-07-05", true,
			"2027-07-28", "2026-07-28", "2027-07-27", "county-year-202707"},
		{"no semester summary in November", v1.PeriodSemester, v1.ReportCounty, v1.Reporting{}, "2026-11-25", false, "", "", "", ""},
		{"no school-year summary in January", v1.PeriodSchoolYear, v1.ReportCounty, v1.Reporting{}, "2027-01-25", false, "", "", "", ""},
		{"the monthly report is every month", v1.PeriodMonth, v1.ReportCounty, v1.Reporting{}, "2027-01-25", true,
			"2027-01-25", "2026-12-25", "2027-01-24", "county-202701"},
	} {
		s, ok := PeriodSchedule(c.period, c.level, c.terms, MustDate(c.day))
		if ok != c.ok {
			t.Errorf("%s: scheduled %v", c.name, ok)
			continue
		}
		if !ok {
			continue
		}
		code := map[v1.ReportLevel]string{v1.ReportSchool: "5201210001", v1.ReportTownship: "520121100"}[c.level]
		got := [3]v1.Date{FormatDate(s.CutOff), FormatDate(s.From), FormatDate(s.To)}
		if got != [3]v1.Date{c.cutOff, c.from, c.to} || s.Name(c.level, code) != c.report || s.Period != c.period {
			t.Errorf("%s: %v %s %s", c.name, got, s.Name(c.level, code), s.Period)
		}
	}
	// Two semester summaries in a row leave no gap and no overlap.
	jan, _ := PeriodSchedule(v1.PeriodSemester, v1.ReportCounty, v1.Reporting{}, MustDate("2027-01-01"))
	jul, _ := PeriodSchedule(v1.PeriodSemester, v1.ReportCounty, v1.Reporting{}, MustDate("2027-07-01"))
	if !AddDays(jan.To, 1).Equal(jul.From) {
		t.Errorf("January to %s, July from %s", FormatDate(jan.To), FormatDate(jul.From))
	}
	if got := jul.MonthsCovered(); !reflect.DeepEqual(got, []string{"2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07"}) {
		t.Errorf("months covered %v", got)
	}
	if n := ReportName(v1.ReportSchool, "5201210001", "2026-11"); n != "school-5201210001-202611" {
		t.Errorf("a monthly report's name changed: %s", n)
	}
}

// TestKeepCase: a report sums the cases that did something in its period or are still open. A
// January semester summary starts at the previous July cut-off, before the school year: a case
// opened in the spring and returned in December counts in it.
func TestKeepCase(t *testing.T) {
	at := func(stage v1.Stage, day v1.Date, hour int) v1.StageChange {
		return v1.StageChange{Stage: stage, Time: metav1.NewTime(MustDate(day).Add(time.Duration(hour) * time.Hour))}
	}
	from := MustDate("2026-07-25")
	for _, c := range []struct {
		name string
		dc   v1.DropoutCase
		keep bool
	}{
		{"open, opened long before", v1.DropoutCase{Spec: v1.DropoutCaseSpec{Opened: "2025-10-01"}, Status: v1.DropoutCaseStatus{Stage: v1.StageTownshipReported}}, true},
		{"opened in the period", v1.DropoutCase{Spec: v1.DropoutCaseSpec{Opened: "2026-07-25"}, Status: v1.DropoutCaseStatus{Stage: v1.StageClosed}}, true},
		{"opened in the spring, returned in December", v1.DropoutCase{Spec: v1.DropoutCaseSpec{Opened: "2026-05-10"},
			Status: v1.DropoutCaseStatus{Stage: v1.StageClosed, History: []v1.StageChange{at(v1.StageTownshipReported, "2026-05-20", 2), at(v1.StageReturned, "2026-12-10", 2)}}}, true},
		{"closed before the period", v1.DropoutCase{Spec: v1.DropoutCaseSpec{Opened: "2026-05-10"},
			Status: v1.DropoutCaseStatus{Stage: v1.StageClosed, History: []v1.StageChange{at(v1.StageReturned, "2026-06-01", 2)}}}, false},
		// 2026-07-24 17:00 UTC is 2026-07-25 01:00 in Shanghai: the local date counts.
		{"a stage change on the first day, local time", v1.DropoutCase{Spec: v1.DropoutCaseSpec{Opened: "2026-05-10"},
			Status: v1.DropoutCaseStatus{Stage: v1.StageClosed, History: []v1.StageChange{at(v1.StageReturned, "2026-07-24", 17)}}}, true},
	} {
		if got := KeepCase(&c.dc, from, shanghaiForTest()); got != c.keep {
			t.Errorf("%s: kept %v", c.name, got)
		}
	}
}

func shanghaiForTest() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}

// TestSchoolReportsMissing: a township or county report sums its school reports; on its cut-off
// day it waits for the ones not written yet, and the day after it is written without them.
func TestSchoolReportsMissing(t *testing.T) {
	s := ScheduleFor(v1.ReportCounty, v1.Reporting{}, MustDate("2026-11-01"))
	expected := []string{"school-b-202611", "school-a-202611", "school-a-202611"}
	for _, c := range []struct {
		name    string
		written []string
		today   v1.Date
		missing []string
		wait    bool
	}{
		{"all written", []string{"school-a-202611", "school-b-202611"}, "2026-11-25", nil, false},
		{"one missing on the cut-off day", []string{"school-b-202611"}, "2026-11-25", []string{"school-a-202611"}, true},
		{"one missing the day after", []string{"school-b-202611"}, "2026-11-26", []string{"school-a-202611"}, false},
		{"a report nobody expects", []string{"school-a-202611", "school-b-202611", "school-c-202611"}, "2026-11-25", nil, false},
	} {
		missing, wait := SchoolReportsMissing(expected, c.written, s, MustDate(c.today))
		if !reflect.DeepEqual(missing, c.missing) || wait != c.wait {
			t.Errorf("%s: missing %v wait %v", c.name, missing, wait)
		}
	}
}

// TestRetentionFromReports: "根据每年中招平台各学校九年级学生参加考试人数,比照三年前学年初报初一学生
// 人数,计算各中学三年保存率", target "初中三年保存率在92%以上". The school-year summary of July 2027
// reads the grade-7 count of the September 2024 report; its grade-9 count is the Tally's.
func TestRetentionFromReports(t *testing.T) {
	s, _ := PeriodSchedule(v1.PeriodSchoolYear, v1.ReportSchool, v1.Reporting{}, MustDate("2027-07-23"))
	if m := IntakeMonth(DefaultSchoolAgeRules, s); m != "2024-09" {
		t.Fatalf("intake month %s, want 2024-09", m)
	}
	terms := v1.Terms{Targets: v1.Targets{MinCohortRetention: pct("92")}}
	for _, c := range []struct {
		name    string
		intake  *Intake
		grade9  int32
		rate    string
		met     bool
		missing []string
	}{
		{"at the target", &Intake{Report: "school-x-202409", Grade7: 25}, 23, "92", true, nil},
		{"below it", &Intake{Report: "school-x-202409", Grade7: 25}, 22, "88", false, []string{"three-year retention 88% < 92%"}},
		{"no intake report: no rate, no miss", nil, 22, "", true, nil},
		{"a primary school: no grade 7 then, no grade 9 now, no rate", &Intake{Report: "school-p-202409"}, 0, "", true, nil},
	} {
		f := MonthlyFigures(ReportInputs{Schedule: s, Tally: Tally{Grade9: c.grade9}, Terms: terms, Intake: c.intake, Location: time.UTC})
		rate := ""
		if f.Retention != nil {
			rate = f.Retention.Rate
			if f.Retention.IntakeReport != c.intake.Report || f.Retention.Intake != c.intake.Grade7 || f.Retention.Grade9 != c.grade9 {
				t.Errorf("%s: retention %+v", c.name, f.Retention)
			}
		}
		if rate != c.rate || f.TargetsMet != c.met || !reflect.DeepEqual(f.Missed, c.missing) {
			t.Errorf("%s: rate %q met %v missed %v", c.name, rate, f.TargetsMet, f.Missed)
		}
	}
}

// TestRetentionOnAgreements: an agreement's status reads the cohort in grade 9 now: on any day of
// the school year 2026-27 that is the September 2024 report's grade 7, as on the July summary,
// and it is judged against the same target.
func TestRetentionOnAgreements(t *testing.T) {
	for _, day := range []string{"2026-09-01", "2027-01-15", "2027-07-22"} {
		if m := CohortIntakeMonth(DefaultSchoolAgeRules, MustDate(v1.Date(day))); m != "2024-09" {
			t.Errorf("%s: intake month %s, want 2024-09", day, m)
		}
	}
	if m := CohortIntakeMonth(DefaultSchoolAgeRules, MustDate("2026-08-31")); m != "2023-09" {
		t.Errorf("the last day of 2025-26 reads %s, want 2023-09", m)
	}
	intake, tally := &Intake{Report: "county-202409", Grade7: 400}, Tally{Grade9: 360}
	want := v1.CohortRetention{IntakeReport: "county-202409", Intake: 400, Grade9: 360, Rate: "90"}
	if r := RetentionOf(intake, tally); r == nil || *r != want {
		t.Errorf("retention %+v, want %+v", r, want)
	}
	m := MeasureCohort(tally, CohortOf(intake, tally), v1.Terms{Targets: v1.Targets{MinCohortRetention: pct("92")}})
	if m.TargetsMet || !reflect.DeepEqual(m.Unmet, []string{"three-year retention 90% < 92%"}) {
		t.Errorf("met %v, unmet %v", m.TargetsMet, m.Unmet)
	}
}

// TestGradeCounts: a grade-7 or grade-9 child in school counts in the intake and the cohort; a
// confirmed dropout on the roll does not ("参加考试人数": the pupils there to sit the exam).
func TestGradeCounts(t *testing.T) {
	pupil := func(grade int32, cases ...*v1.DropoutCase) ChildFacts {
		ch := child(StandingInSchool, "Enrolled", false, cases...)
		ch.Student.Spec.Enrolment.Grade = grade
		return ch
	}
	m := Measure([]ChildFacts{
		pupil(7), pupil(7), pupil(8), pupil(9),
		pupil(9, caseAt(v1.CaseDroppedOut, v1.StageTownshipReported, "")),
	}, v1.Terms{})
	if m.Coverage.Grade7 != 2 || m.Coverage.Grade9 != 1 {
		t.Errorf("grade 7 %d, grade 9 %d", m.Coverage.Grade7, m.Coverage.Grade9)
	}
}
