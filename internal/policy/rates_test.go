package policy

import (
	"reflect"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestRateRendering(t *testing.T) {
	for _, c := range []struct {
		n, d        int
		floor, ceil v1.Percent
	}{{0, 0, "", ""}, {1, 1, "100", "100"}, {0, 5, "0", "0"}, {1, 3, "33.33", "33.34"}, {2, 3, "66.66", "66.67"},
		{199, 200, "99.5", "99.5"}, {1, 100, "1", "1"}, {1, 99, "1.01", "1.02"}} {
		r := rate{c.n, c.d}
		if r.floor() != c.floor || r.ceil() != c.ceil {
			t.Errorf("%d/%d: floor %q ceil %q, want %q %q", c.n, c.d, r.floor(), r.ceil(), c.floor, c.ceil)
		}
	}
}

func TestRateComparesExactly(t *testing.T) {
	for _, c := range []struct {
		r      rate
		target v1.Percent
		want   int
	}{
		{rate{1, 100}, "1", 0},
		{rate{1001, 100000}, "1", 1}, // 1.001 % exceeds a 1 % cap, though it shows as 1
		{rate{999, 100000}, "1", -1},
		{rate{99, 100}, "99", 0},
		{rate{9899, 10000}, "99", -1},
		{rate{3, 200}, "1.5", 0},
		{rate{1, 4}, "25.00", 0},
	} {
		if got := c.r.cmp(c.target); got != c.want {
			t.Errorf("%d/%d against %s%%: %d, want %d", c.r.n, c.r.d, c.target, got, c.want)
		}
	}
}

func caseAt(t v1.CaseType, stage v1.Stage, closedReason string) *v1.DropoutCase {
	return &v1.DropoutCase{Spec: v1.DropoutCaseSpec{Type: t}, Status: v1.DropoutCaseStatus{Stage: stage, ClosedReason: closedReason}}
}

func child(standing Standing, reason string, primary bool, cases ...*v1.DropoutCase) ChildFacts {
	status := map[string]v1.EnrolmentStatus{"NotEnrolled": v1.EnrolmentNotEnrolled, "DeferralExpired": v1.EnrolmentDeferred}[reason]
	return ChildFacts{Student: &v1.Student{Spec: v1.StudentSpec{Enrolment: v1.Enrolment{Status: status}}}, Standing: EnrolmentAssessment{Standing: standing, Reason: reason}, SchoolAge: true, Primary: primary, Attending: standing == StandingInSchool, Cases: cases}
}

func TestMeasure(t *testing.T) {
	terms := v1.Terms{
		Targets:    v1.Targets{PrimaryEnrolment: pct("100"), MaxDropout: pct("2"), Consolidation: pct("98")},
		Assessment: v1.Assessment{RewardPoints: i32(2), PenaltyPoints: i32(5), VetoOnDropout: ptr(true)},
	}
	var kids []ChildFacts
	for i := 0; i < 97; i++ {
		kids = append(kids, child(StandingInSchool, "Enrolled", true))
	}
	kids = append(kids,
		child(StandingExempt, "Transferred", true),      // counts where the child studies now
		child(StandingExempt, "Suspended", true),        // keeps the registration
		child(StandingOutOfSchool, "NotEnrolled", true), // 失学
		ChildFacts{Student: &v1.Student{}, Standing: EnrolmentAssessment{Standing: StandingNotSchoolAge}},
	)
	m := Measure(kids, terms)
	if m.Coverage.Children != 101 || m.Coverage.SchoolAge != 99 || m.Coverage.Enrolled != 98 {
		t.Fatalf("coverage %+v", m.Coverage)
	}
	if m.Rates.Enrolment != "98.98" || m.Rates.Dropout != "0" || m.Rates.Consolidation != "100" {
		t.Fatalf("rates %+v", m.Rates)
	}
	if m.TargetsMet || !reflect.DeepEqual(m.Unmet, []string{"primary enrolment 98.98% < 100%"}) {
		t.Fatalf("unmet %v", m.Unmet)
	}
	if m.Assessment != (v1.AssessmentResult{Points: 0, Vetoed: false}) {
		t.Fatalf("assessment %+v", m.Assessment)
	}

	// Three confirmed dropouts: dropout 3/97 (shown rounded up), veto, 15 points lost; a case still at the school
	// is suspected, not confirmed.
	kids = kids[:97]
	for i := 0; i < 3; i++ {
		kids[i].Cases = []*v1.DropoutCase{caseAt(v1.CaseDroppedOut, v1.StageTownshipReported, "")}
	}
	kids[3].Cases = []*v1.DropoutCase{caseAt(v1.CaseDroppedOut, v1.StageSchoolReported, "")}
	m = Measure(kids, terms)
	if m.Rates.Dropout != "3.1" || m.Rates.Consolidation != "96.9" || m.TargetsMet {
		t.Fatalf("rates %+v met %v", m.Rates, m.TargetsMet)
	}
	if m.Assessment.Points != -15 || !m.Assessment.Vetoed {
		t.Fatalf("assessment %+v", m.Assessment)
	}
	if m.Coverage.OpenCases.TownshipReported != 3 || m.Coverage.OpenCases.SchoolReported != 1 || m.Coverage.DroppedOut != 4 {
		t.Fatalf("open cases %+v dropped out %d", m.Coverage.OpenCases, m.Coverage.DroppedOut)
	}

	// They return: the rates recover and the targets are met again, but the year's three
	// confirmed dropouts still cost their points and the veto; the one that never reached the
	// township does not.
	for i := 0; i < 4; i++ {
		history := []v1.StageChange{{Stage: v1.StageSchoolReported}}
		if i < 3 {
			history = append(history, v1.StageChange{Stage: v1.StageTownshipReported})
		}
		dc := caseAt(v1.CaseDroppedOut, v1.StageClosed, "Returned")
		dc.Status.History = append(history, v1.StageChange{Stage: v1.StageReturned}, v1.StageChange{Stage: v1.StageClosed})
		kids[i].Cases = []*v1.DropoutCase{dc}
	}
	m = Measure(kids, terms)
	if m.Rates.Dropout != "0" || !m.TargetsMet || m.Coverage.Returned != 4 {
		t.Fatalf("after return: rates %+v met %v returned %d", m.Rates, m.TargetsMet, m.Coverage.Returned)
	}
	if m.Assessment != (v1.AssessmentResult{Points: 2 - 15, Vetoed: true}) {
		t.Fatalf("after return: assessment %+v, want the reward and three penalties, vetoed", m.Assessment)
	}
}

// A child who claims a transfer without a certificate (视同辍学) is a dropout, not merely a child
// missing from the enrolment count.
func TestTreatedAsDropoutCounts(t *testing.T) {
	terms := v1.Terms{Targets: v1.Targets{MaxDropout: pct("1")}, Assessment: v1.Assessment{VetoOnDropout: ptr(true)}}
	var kids []ChildFacts
	for i := 0; i < 99; i++ {
		kids = append(kids, child(StandingInSchool, "Enrolled", true))
	}
	kids = append(kids, child(StandingOutOfSchool, "TransferredWithoutCertificate", true))
	m := Measure(kids, terms)
	if m.Rates.Dropout != "1" || m.Rates.Consolidation != "99" || m.Rates.Enrolment != "99" || !m.TargetsMet || !m.Assessment.Vetoed {
		t.Fatalf("rates %+v met %v assessment %+v", m.Rates, m.TargetsMet, m.Assessment)
	}
	// One more among 199: 2/199 = 1.005 % exceeds the 1 % cap; the rate shows rounded up.
	for i := 0; i < 98; i++ {
		kids = append(kids, child(StandingInSchool, "Enrolled", true))
	}
	kids = append(kids, child(StandingOutOfSchool, "SuspensionExpired", true))
	m = Measure(kids, terms)
	if m.Rates.Dropout != "1.01" || m.TargetsMet || !reflect.DeepEqual(m.Unmet, []string{"dropout 1.01% > 1%"}) {
		t.Fatalf("rates %+v unmet %v", m.Rates, m.Unmet)
	}
	// A deferral that ran out is 失学 (never enrolled), like its NotEnrolled case: it lowers the
	// enrolment rate, not the dropout rate.
	kids = append(kids, child(StandingOutOfSchool, "DeferralExpired", true))
	if again := Measure(kids, terms); again.Rates.Dropout != m.Rates.Dropout || again.Coverage.SchoolAge != m.Coverage.SchoolAge+1 || again.Coverage.Enrolled != m.Coverage.Enrolled {
		t.Fatalf("an ended deferral: rates %+v coverage %+v", again.Rates, again.Coverage)
	}
}

func TestClassCompliance(t *testing.T) {
	school := []v1.Date{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-16", "2026-11-19"}
	class := []v1.Date{"2026-11-16", "2026-11-18"}
	// Today (the 19th) is not missing yet: the class may still report.
	got := ClassCompliance(school, class, MustDate("2026-11-19"))
	if !reflect.DeepEqual(got.MissingDays, []v1.Date{"2026-11-17"}) {
		t.Fatalf("compliance %+v", got)
	}
	if got := ClassCompliance(school, class, MustDate("2026-11-20")); !reflect.DeepEqual(got.MissingDays, []v1.Date{"2026-11-17", "2026-11-19"}) {
		t.Fatalf("the next day: compliance %+v", got)
	}
}

// "区教育体育局是根据每年中招平台各学校九年级学生参加考试人数,比照三年前学年初报初一学生人数,
// 计算各中学三年保存率" and "初中三年保存率在92%以上" (002, a junior school's 防流控辍 plan).
func TestCohortRetention(t *testing.T) {
	for _, c := range []struct {
		name   string
		cohort Cohort
		want   v1.Percent
		missed bool // against the 92 % target
	}{
		{"every pupil of the intake reaches grade 9", Cohort{Intake: 200, Grade9: 200}, "100", false},
		{"exactly the target", Cohort{Intake: 250, Grade9: 230}, "92", false},
		{"one pupil short of the target", Cohort{Intake: 250, Grade9: 229}, "91.6", true},
		{"just under, shown rounded down", Cohort{Intake: 10000, Grade9: 9199}, "91.99", true},
		{"more transferred in than left", Cohort{Intake: 100, Grade9: 103}, "103", false},
		{"no intake recorded: no rate, no miss", Cohort{Intake: 0, Grade9: 40}, "", false},
	} {
		if got := CohortRetention(c.cohort); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if got := CohortRetentionBelow(c.cohort, "92"); got != c.missed {
			t.Errorf("%s: below 92 %% = %v, want %v", c.name, got, c.missed)
		}
	}
}
