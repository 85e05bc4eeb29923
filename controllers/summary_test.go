package controllers_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// summaryClock moves the clock to a day of a summary test and puts it back to the suite's
// autumn of 2026 afterwards, as setSweepDay does.
func summaryClock(t *testing.T, d v1.Date) {
	t.Cleanup(func() { setToday("2026-11-02") })
	setToday(d)
}

// TestSemesterSummariesInJanuary: "县教育局于每年的1月份、7月份统计全县辍学情况". On the January cut-off
// day the semester summary of the autumn term is written for the school, the township and the
// county, from the previous July cut-off day, counting a case opened and returned in December.
// The county sets the same cut-off day for schools and itself: the county summary waits until the
// school summary it sums up is written, instead of summing nothing.
func TestSemesterSummariesInJanuary(t *testing.T) {
	ns := newNamespace(t)
	summaryClock(t, "2026-12-07")
	objs := countyAgreements(ns)
	bureau := agreement(ns, "bureau", v1.LineEducation, v1.RoleCountyBureau, "Director Zhou", v1.Scope{})
	bureau.Spec.Terms.Reporting = v1.Reporting{SchoolCutOff: ptr[int32](25)}
	create(t, append(objs, bureau)...)
	for i := 0; i < 3; i++ {
		create(t, student(ns, fmt.Sprintf("stu-j%d", i), 3, village))
	}
	// stu-j0 is away three days in December (a case at SchoolReported), then back.
	for i, d := range schoolDays("2026-12-07", 5) {
		setToday(d)
		var absent []string
		if i < 3 {
			absent = append(absent, "stu-j0")
		}
		rollCall(t, ns, 3, d, absent...)
	}
	waitCase(t, ns, "stu-j0-do-20261207", "returned in December", atStage(v1.StageReturned))

	setToday("2027-01-25")
	poke(t, bureau)
	poke(t, objs[3])
	// The county's writer ran on the poke and found its school's summary missing: it waits.
	time.Sleep(2 * time.Second)
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "county-semester-202701"}, &v1.MonthlyReport{}); err == nil {
		t.Fatal("the county summary was written before the school summary it sums up")
	}
	poke(t, objs[0])
	sr := waitReport(t, ns, "school-"+string(school)+"-semester-202701", "school semester summary", func(*v1.MonthlyReport) error { return nil })
	checkSemester(t, sr, 5)
	if sr.Spec.Period != v1.PeriodSemester || sr.Spec.Township != township {
		t.Errorf("school summary %+v", sr.Spec)
	}
	waitReport(t, ns, "school-"+string(school)+"-202701", "the January monthly report beside it", func(mr *v1.MonthlyReport) error {
		if mr.Spec.Period != v1.PeriodMonth || mr.Spec.Figures.From != "2026-12-25" {
			return fmt.Errorf("period %s from %s", mr.Spec.Period, mr.Spec.Figures.From)
		}
		return nil
	})
	cr := waitReport(t, ns, "county-semester-202701", "county semester summary", func(*v1.MonthlyReport) error { return nil })
	checkSemester(t, cr, 5)
	tr := waitReport(t, ns, "township-"+string(township)+"-semester-202701", "township semester summary listing its school's", func(mr *v1.MonthlyReport) error {
		if len(mr.Status.Schools) != 1 || mr.Status.Schools[0].Report != sr.Name {
			return fmt.Errorf("schools %+v", mr.Status.Schools)
		}
		return nil
	})
	checkSemester(t, tr, 5)
}

// checkSemester checks a January semester summary: the autumn term from the July cut-off day,
// the December case opened and returned, the school's roll calls summed.
func checkSemester(t *testing.T, mr *v1.MonthlyReport, rollCalls int32) {
	t.Helper()
	f := mr.Spec.Figures
	if mr.Spec.Period != v1.PeriodSemester || f.From != "2026-07-25" || f.To != "2027-01-24" || mr.Spec.CutOff != "2027-01-25" {
		t.Errorf("%s: %s %s..%s cut off %s", mr.Name, mr.Spec.Period, f.From, f.To, mr.Spec.CutOff)
	}
	if f.NewSuspected != 1 || f.Returned.Total != 1 || len(f.Cases) != 1 || f.Cases[0].Event != v1.CaseEventReturned {
		t.Errorf("%s: suspected %d returned %+v cases %+v", mr.Name, f.NewSuspected, f.Returned, f.Cases)
	}
	if f.Reporting.RollCalls != rollCalls {
		t.Errorf("%s: reporting %+v", mr.Name, f.Reporting)
	}
}

// juniorPupil is a child of grade 9 (born 2012), of school age until 31 August 2027.
func juniorPupil(ns, name string) *v1.Student {
	s := student(ns, name, 1, village)
	s.Spec.BirthDate = "2012-03-01"
	s.Spec.StudentNumber = "G" + registry.MakeResidentID(fmt.Sprintf("52%04d", idSeq/1000), "2012-03-01", idSeq%1000)
	s.Spec.Enrolment.Grade = 9
	return s
}

// intakeReport is a September report of two school years before, as the writer would have
// written it then: its grade-7 count is the intake (学年初报初一学生人数).
func intakeReport(ns, name string, level v1.ReportLevel, agreementName string, grade7 int32) *v1.MonthlyReport {
	mr := &v1.MonthlyReport{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1.MonthlyReportSpec{Level: level, Month: "2024-09", CutOff: "2024-09-23", Due: "2024-09-23", Agreement: agreementName,
			Figures: v1.ReportFigures{From: "2024-08-23", To: "2024-09-22", Coverage: v1.Coverage{Children: grade7, Grade7: grade7}}}}
	if level == v1.ReportSchool {
		mr.Spec.School, mr.Spec.Township = school, township
	}
	return mr
}

// TestSchoolYearSummaryInJuly: on the July cut-off day a semester summary (the spring term) and
// a school-year summary are written. With the September 2024 report of the school present, the
// school-year summary of 2026-27 carries the three-year retention (三年保存率: 4 in grade 9 of 5
// in grade 7) and misses the county's 92 % target ("初中三年保存率在92%以上"); the county's,
// whose intake was 4, meets it; the township's, with no intake report, has no rate.
func TestSchoolYearSummaryInJuly(t *testing.T) {
	ns := newNamespace(t)
	summaryClock(t, "2027-07-05")
	objs := countyAgreements(ns)
	bureau := agreement(ns, "bureau", v1.LineEducation, v1.RoleCountyBureau, "Director Zhou", v1.Scope{})
	bureau.Spec.Terms.Targets = v1.Targets{MinCohortRetention: pct("92")}
	create(t, append(objs, bureau)...)
	create(t, intakeReport(ns, "school-"+string(school)+"-202409", v1.ReportSchool, "principal", 5),
		intakeReport(ns, "county-202409", v1.ReportCounty, "bureau", 4))
	for i := 0; i < 4; i++ {
		create(t, juniorPupil(ns, fmt.Sprintf("stu-y%d", i)))
	}
	create(t, student(ns, "stu-y4", 3, village))
	waitAgreement(t, ns, "bureau", "grade 9 counted", func(a *v1.ResponsibilityAgreement) error {
		if a.Status.Coverage.Grade9 != 4 || a.Status.Coverage.Children != 5 {
			return fmt.Errorf("coverage %+v", a.Status.Coverage)
		}
		want := v1.CohortRetention{IntakeReport: "county-202409", Intake: 4, Grade9: 4, Rate: "100"}
		if r := a.Status.Retention; r == nil || *r != want {
			return fmt.Errorf("county retention %+v, want %+v", r, want)
		}
		return nil
	})
	// The agreements report the cohort's retention against the target all year, not only in
	// July's summary: the school's 80 % misses the county's 92 %.
	waitAgreement(t, ns, "principal", "the school's cohort retention judged", func(a *v1.ResponsibilityAgreement) error {
		want := v1.CohortRetention{IntakeReport: "school-" + string(school) + "-202409", Intake: 5, Grade9: 4, Rate: "80"}
		if r := a.Status.Retention; r == nil || *r != want {
			return fmt.Errorf("school retention %+v, want %+v", r, want)
		}
		if c := meta.FindStatusCondition(a.Status.Conditions, v1.AgreementTargetsMet); c == nil || c.Status != metav1.ConditionFalse ||
			!strings.Contains(c.Message, "three-year retention 80% < 92%") {
			return fmt.Errorf("TargetsMet %+v", c)
		}
		return nil
	})
	if a := get(t, ns, objs[3].GetName(), &v1.ResponsibilityAgreement{}); a.Status.Retention != nil {
		t.Errorf("township agreement %s has a retention without an intake report: %+v", a.Name, a.Status.Retention)
	}

	setToday("2027-07-25")
	for _, o := range []client.Object{objs[0], objs[3], bureau} {
		poke(t, o)
	}
	prefix := "school-" + string(school)
	waitReport(t, ns, prefix+"-semester-202707", "school spring-term summary", func(mr *v1.MonthlyReport) error {
		if f := mr.Spec.Figures; f.From != "2027-01-23" || f.To != "2027-07-22" || f.Retention != nil {
			return fmt.Errorf("%s..%s retention %+v", f.From, f.To, f.Retention)
		}
		return nil
	})
	sy := waitReport(t, ns, prefix+"-year-202707", "school-year summary", func(*v1.MonthlyReport) error { return nil })
	f := sy.Spec.Figures
	if sy.Spec.Period != v1.PeriodSchoolYear || f.From != "2026-07-23" || f.To != "2027-07-22" {
		t.Errorf("school year %s %s..%s", sy.Spec.Period, f.From, f.To)
	}
	want := v1.CohortRetention{IntakeReport: prefix + "-202409", Intake: 5, Grade9: 4, Rate: "80"}
	if f.Retention == nil || *f.Retention != want {
		t.Errorf("retention %+v, want %+v", f.Retention, want)
	}
	if f.TargetsMet || !slices.Contains(f.Missed, "three-year retention 80% < 92%") {
		t.Errorf("targets met %v, missed %v", f.TargetsMet, f.Missed)
	}
	cy := waitReport(t, ns, "county-year-202707", "county school-year summary", func(*v1.MonthlyReport) error { return nil })
	if r := cy.Spec.Figures.Retention; r == nil || r.Rate != "100" || !cy.Spec.Figures.TargetsMet {
		t.Errorf("county retention %+v, met %v %v", r, cy.Spec.Figures.TargetsMet, cy.Spec.Figures.Missed)
	}
	ty := waitReport(t, ns, "township-"+string(township)+"-year-202707", "township school-year summary", func(*v1.MonthlyReport) error { return nil })
	if ty.Spec.Figures.Retention != nil {
		t.Errorf("township retention without an intake report: %+v", ty.Spec.Figures.Retention)
	}
	waitReport(t, ns, "county-semester-202707", "county spring-term summary", func(*v1.MonthlyReport) error { return nil })

	// A report written without a period is a monthly report; a summary cannot become one.
	if in := get(t, ns, prefix+"-202409", &v1.MonthlyReport{}); in.Spec.Period != v1.PeriodMonth {
		t.Errorf("period defaulted to %q", in.Spec.Period)
	}
	cur := get(t, ns, sy.Name, &v1.MonthlyReport{})
	cur.Spec.Period = v1.PeriodMonth
	if err := k8s.Update(context.Background(), cur); err == nil || !strings.Contains(err.Error(), "written once") {
		t.Errorf("a school-year summary's period changed: %v", err)
	}
}
