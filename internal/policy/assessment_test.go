package policy

import (
	"reflect"
	"strings"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// scope builds a tally of school-age children: enrolled primary and junior pupils, of whom some
// are confirmed dropouts open now, and some more dropped out this school year and came back.
type scope struct {
	primary, junior                   int // enrolled, in school
	primaryConfirmed, juniorConfirmed int // enrolled, open case at TownshipReported
	primaryReturned, juniorReturned   int // enrolled, case reached the township and closed as Returned
	poor, poorConfirmed               int // registered poor, enrolled (junior), and confirmed dropouts among them
}

func (s scope) tally() Tally {
	var t Tally
	add := func(n int, primary bool, cases []*v1.DropoutCase, groups ...v1.FocusGroup) {
		for range n {
			ch := child(StandingInSchool, "Enrolled", primary, cases...)
			ch.Student.Spec.FocusGroups = groups
			t.Add(Contribution(ch), 1)
		}
	}
	confirmed := []*v1.DropoutCase{caseAt(v1.CaseDroppedOut, v1.StageTownshipReported, "")}
	returned := []*v1.DropoutCase{{Spec: v1.DropoutCaseSpec{Type: v1.CaseDroppedOut}, Status: v1.DropoutCaseStatus{
		Stage: v1.StageClosed, ClosedReason: "Returned", History: []v1.StageChange{{Stage: v1.StageTownshipReported}}}}}
	add(s.primary, true, nil)
	add(s.junior, false, nil)
	add(s.primaryConfirmed, true, confirmed)
	add(s.juniorConfirmed, false, confirmed)
	add(s.primaryReturned, true, returned)
	add(s.juniorReturned, false, returned)
	add(s.poor, false, nil, v1.FocusRegisteredPoor)
	add(s.poorConfirmed, false, confirmed, v1.FocusRegisteredPoor)
	return t
}

// TestRatesAsTheDocumentsDefineThem checks every rate the documents assess by, each against the
// sentence of /work/shared/policy/ that sets its target.
func TestRatesAsTheDocumentsDefineThem(t *testing.T) {
	for _, c := range []struct {
		source string
		scope  scope
		terms  v1.Targets
		want   v1.Rates
		missed []string
	}{{
		source: "小学在校生辍学率控制在2%以内,初中在校生辍学率控制在3%以内",
		// 1 primary dropout in 40 (2.5 %) misses 2 %; 1 junior in 40 who came back still counts
		// in the school year's rate (2.5 % ≤ 3 %).
		scope: scope{primary: 39, primaryConfirmed: 1, junior: 39, juniorReturned: 1},
		terms: v1Targets(func(t *v1.Targets) { t.MaxPrimaryDropout, t.MaxJuniorDropout = pct("2"), pct("3") }),
		want: v1.Rates{Enrolment: "98.75", PrimaryEnrolment: "97.5", JuniorEnrolment: "100", Dropout: "1.25", Consolidation: "98.75",
			SchoolYearDropout: "2.5", PrimaryDropout: "2.5", JuniorDropout: "2.5"},
		missed: []string{"primary school-year dropout 2.5% > 2%"},
	}, {
		source: "保证本班学生巩固率为100%",
		scope:  scope{junior: 99, juniorConfirmed: 1},
		terms:  v1Targets(func(t *v1.Targets) { t.Consolidation = pct("100") }),
		want: v1.Rates{Enrolment: "99", JuniorEnrolment: "99", Dropout: "1", Consolidation: "99",
			SchoolYearDropout: "1", PrimaryDropout: "", JuniorDropout: "1"},
		missed: []string{"consolidation 99% < 100%"},
	}, {
		source: "确保义务教育阶段学生入学率、巩固率100%",
		// A confirmed dropout is on the roll but not in school: it no longer counts as enrolled.
		scope: scope{primary: 199, primaryConfirmed: 1},
		terms: v1Targets(func(t *v1.Targets) { t.PrimaryEnrolment = pct("100") }),
		want: v1.Rates{Enrolment: "99.5", PrimaryEnrolment: "99.5", Dropout: "0.5", Consolidation: "99.5",
			SchoolYearDropout: "0.5", PrimaryDropout: "0.5"},
		missed: []string{"primary enrolment 99.5% < 100%"},
	}, {
		source: "建档立卡贫困户学生,其义务教育巩固率要达到100%",
		scope:  scope{junior: 90, poor: 9, poorConfirmed: 1},
		terms:  v1Targets(func(t *v1.Targets) { t.RegisteredPoorConsolidation = pct("100") }),
		want: v1.Rates{Enrolment: "99", JuniorEnrolment: "99", Dropout: "1", Consolidation: "99",
			SchoolYearDropout: "1", JuniorDropout: "1", RegisteredPoorConsolidation: "90"},
		missed: []string{"registered-poor consolidation 90% < 100%"},
	}} {
		t.Run(c.source, func(t *testing.T) {
			m := MeasureTally(c.scope.tally(), v1.Terms{Targets: c.terms})
			if m.Rates != c.want {
				t.Errorf("rates\n got %+v\nwant %+v", m.Rates, c.want)
			}
			if !reflect.DeepEqual(m.Unmet, c.missed) {
				t.Errorf("missed %q, want %q", m.Unmet, c.missed)
			}
		})
	}
}

// TestDisabilityEnrolmentTarget: "视力、听力、智力三类残疾适龄人口义务教育阶段入学率达到95%以上".
func TestDisabilityEnrolmentTarget(t *testing.T) {
	var tl Tally
	for i := range 20 {
		standing := StandingInSchool
		if i == 0 {
			standing = StandingOutOfSchool
		}
		ch := child(standing, map[bool]string{true: "NotEnrolled", false: "Enrolled"}[i == 0], true)
		ch.Student.Spec.FocusGroups = []v1.FocusGroup{v1.FocusDisability}
		tl.Add(Contribution(ch), 1)
	}
	m := MeasureTally(tl, v1.Terms{Targets: v1.Targets{DisabilityEnrolment: pct("95")}})
	if m.Rates.DisabilityEnrolment != "95" || !m.TargetsMet {
		t.Errorf("19 of 20 enrolled: %q met %v, want 95 met", m.Rates.DisabilityEnrolment, m.TargetsMet)
	}
}

// TestAssessmentForms checks each assessment form of the documents against its source sentence.
func TestAssessmentForms(t *testing.T) {
	for _, c := range []struct {
		source string
		scope  scope
		terms  v1.Terms
		want   v1.AssessmentResult
	}{{
		source: "各班完成了控辍保学目标,确保本班的巩固率为100%,则该班的每位任课教师年终绩效考核加2分",
		scope:  scope{primary: 50},
		terms:  v1.Terms{Targets: v1.Targets{Consolidation: pct("100")}, Assessment: v1.Assessment{RewardPoints: i32(2), MissedTargetsPenalty: i32(5)}},
		want:   v1.AssessmentResult{Points: 2},
	}, {
		source: "不能完成控辍保学目标,则该班每位教师年终绩效考核扣5分",
		// one deduction, however many dropouts
		scope: scope{primary: 47, primaryConfirmed: 3},
		terms: v1.Terms{Targets: v1.Targets{Consolidation: pct("100")}, Assessment: v1.Assessment{RewardPoints: i32(2), MissedTargetsPenalty: i32(5)}},
		want:  v1.AssessmentResult{Points: -5},
	}, {
		source: "每流失一名学生扣…分 (points per dropout: penaltyPoints)",
		scope:  scope{primary: 47, primaryConfirmed: 3},
		terms:  v1.Terms{Assessment: v1.Assessment{PenaltyPoints: i32(5)}},
		want:   v1.AssessmentResult{Points: -15},
	}, {
		source: "对有辍学学生的班级,该班的班主任年终考核一票否决",
		scope:  scope{junior: 199, juniorReturned: 1},
		terms:  v1.Terms{Assessment: v1.Assessment{VetoOnDropout: ptr(true)}},
		want:   v1.AssessmentResult{Vetoed: true},
	}, {
		source: "一学年内辍学率超过1%的班级,该班的任课教师年终考核一票否决 (0.5 %: no veto)",
		scope:  scope{junior: 199, juniorReturned: 1},
		terms:  v1.Terms{Assessment: v1.Assessment{VetoAboveDropout: pct("1")}},
		want:   v1.AssessmentResult{},
	}, {
		source: "一学年内辍学率超过1%的班级,该班的任课教师年终考核一票否决 (1.5 %: veto)",
		scope:  scope{junior: 197, juniorConfirmed: 1, juniorReturned: 2},
		terms:  v1.Terms{Assessment: v1.Assessment{VetoAboveDropout: pct("1")}},
		want:   v1.AssessmentResult{Vetoed: true},
	}, {
		source: "小学辍学率2%以上的学校,每辍学一名学生罚学校200元,中学辍学率3%以上,每辍学一名学生罚学校200元",
		// primary 3 of 100 (3 % > 2 %): 3 fined; junior 2 of 100 (2 % ≤ 3 %): none
		scope: scope{primary: 97, primaryConfirmed: 3, junior: 98, juniorConfirmed: 1, juniorReturned: 1},
		terms: v1.Terms{Assessment: v1.Assessment{Fine: &v1.Fine{PerDropout: 200, AbovePrimaryDropout: pct("2"), AboveJuniorDropout: pct("3")}}},
		want:  v1.AssessmentResult{Fine: 600},
	}} {
		t.Run(c.source, func(t *testing.T) {
			if got := MeasureTally(c.scope.tally(), c.terms).Assessment; got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestCountyWithOneConfirmedDropout is the case: a county that sets only enrolment
// targets and a "veto only above 1 %" rule, with one confirmed dropout among 1,000 children,
// misses its enrolment target and is not vetoed.
func TestCountyWithOneConfirmedDropout(t *testing.T) {
	terms := v1.Terms{Targets: v1.Targets{PrimaryEnrolment: pct("100"), JuniorEnrolment: pct("99")},
		Assessment: v1.Assessment{VetoAboveDropout: pct("1")}}
	m := MeasureTally(scope{primary: 599, primaryConfirmed: 1, junior: 400}.tally(), terms)
	if m.TargetsMet || len(m.Unmet) != 1 || !strings.HasPrefix(m.Unmet[0], "primary enrolment 99.83%") {
		t.Errorf("targets met %v, missed %q: want the primary enrolment target missed", m.TargetsMet, m.Unmet)
	}
	if m.Assessment.Vetoed {
		t.Error("vetoed at a school-year dropout rate of 0.1 %, under the 1 % of the rule")
	}
}

// TestAssessmentMonths: "6月、12月将组织考评" — only the reports of those months carry the assessment.
func TestAssessmentMonths(t *testing.T) {
	terms := v1.Terms{Assessment: v1.Assessment{RewardPoints: i32(2), Months: []int32{6, 12}}}
	for month, want := range map[string]bool{"2026-12-10": true, "2026-11-10": false, "2027-06-10": true} {
		f := MonthlyFigures(ReportInputs{Schedule: ScheduleFor(v1.ReportCounty, v1.Reporting{}, MustDate(v1.Date(month))),
			Tally: scope{primary: 10}.tally(), Terms: terms})
		if (f.Assessment != nil) != want {
			t.Errorf("%s: assessment %v, want present %v", month, f.Assessment, want)
		}
		if want && f.Assessment.Points != 2 {
			t.Errorf("%s: %d points, want 2", month, f.Assessment.Points)
		}
	}
}

func v1Targets(set func(*v1.Targets)) v1.Targets {
	var t v1.Targets
	set(&t)
	return t
}
