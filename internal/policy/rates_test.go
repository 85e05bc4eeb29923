package policy

import (
	"reflect"
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		n, d int
		want v1.Percent
	}{{0, 0, ""}, {1, 1, "100"}, {0, 5, "0"}, {1, 3, "33.33"}, {2, 3, "66.66"}, {199, 200, "99.5"}, {1, 100, "1"}} {
		if got := percent(c.n, c.d); got != c.want {
			t.Errorf("percent(%d, %d) = %q, want %q", c.n, c.d, got, c.want)
		}
	}
}

func caseAt(t v1.CaseType, stage v1.Stage, closedReason string) *v1.DropoutCase {
	return &v1.DropoutCase{Spec: v1.DropoutCaseSpec{Type: t}, Status: v1.DropoutCaseStatus{Stage: stage, ClosedReason: closedReason}}
}

func child(standing Standing, reason string, primary bool, cases ...*v1.DropoutCase) ChildFacts {
	return ChildFacts{Student: &v1.Student{}, Standing: EnrolmentAssessment{Standing: standing, Reason: reason}, SchoolAge: true, Primary: primary, Attending: standing == StandingInSchool, Cases: cases}
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

	// Three confirmed dropouts: dropout 3/98, veto, 15 points lost; a case still at the school
	// is suspected, not confirmed.
	kids = kids[:97]
	for i := 0; i < 3; i++ {
		kids[i].Cases = []*v1.DropoutCase{caseAt(v1.CaseDroppedOut, v1.StageTownshipReported, "")}
	}
	kids[3].Cases = []*v1.DropoutCase{caseAt(v1.CaseDroppedOut, v1.StageSchoolReported, "")}
	m = Measure(kids, terms)
	if m.Rates.Dropout != "3.09" || m.Rates.Consolidation != "96.9" || m.TargetsMet {
		t.Fatalf("rates %+v met %v", m.Rates, m.TargetsMet)
	}
	if m.Assessment.Points != -15 || !m.Assessment.Vetoed {
		t.Fatalf("assessment %+v", m.Assessment)
	}
	if m.Coverage.OpenCases.TownshipReported != 3 || m.Coverage.OpenCases.SchoolReported != 1 || m.Coverage.DroppedOut != 4 {
		t.Fatalf("open cases %+v dropped out %d", m.Coverage.OpenCases, m.Coverage.DroppedOut)
	}

	// They return: the rates recover and the targets are met again.
	for i := 0; i < 4; i++ {
		kids[i].Cases = []*v1.DropoutCase{caseAt(v1.CaseDroppedOut, v1.StageClosed, "Returned")}
	}
	m = Measure(kids, terms)
	if m.Rates.Dropout != "0" || !m.TargetsMet || m.Assessment.Points != 2 || m.Coverage.Returned != 4 {
		t.Fatalf("after return: rates %+v met %v assessment %+v returned %d", m.Rates, m.TargetsMet, m.Assessment, m.Coverage.Returned)
	}
}

func ptr[T any](v T) *T { return &v }

func TestClassCompliance(t *testing.T) {
	school := []v1.Date{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-16"}
	class := []v1.Date{"2026-11-16", "2026-11-18"}
	toTimes := func(ds []v1.Date) (out []time.Time) {
		for _, x := range ds {
			out = append(out, MustDate(x))
		}
		return out
	}
	got := ClassCompliance(toTimes(school), toTimes(class))
	if got.SchoolDays != 3 || got.ReportedDays != 2 || !reflect.DeepEqual(got.MissingDays, []v1.Date{"2026-11-17"}) {
		t.Fatalf("compliance %+v", got)
	}
}
