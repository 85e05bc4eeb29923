package policy

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// days builds a record from a pattern, one letter a school day from 2026-11-02 on (weekdays only):
// P present, U unexcused, L left without leave, S sick leave.
func days(pattern string) []v1.SchoolDay {
	marks := map[rune]v1.Mark{'P': v1.MarkPresent, 'U': v1.MarkUnexcused, 'L': v1.MarkLeftWithoutLeave, 'S': v1.MarkSickLeave}
	var out []v1.SchoolDay
	d := MustDate("2026-11-02")
	for _, c := range pattern {
		for d.Weekday() == 0 || d.Weekday() == 6 {
			d = AddDays(d, 1)
		}
		out = append(out, v1.SchoolDay{Date: FormatDate(d), Mark: marks[c]})
		d = AddDays(d, 1)
	}
	return out
}

func act(t v1.ActionType, date v1.Date, deadline v1.Date) v1.CaseAction {
	return v1.CaseAction{Type: t, Date: date, By: "someone", Line: v1.LineEducation, Deadline: deadline}
}

func visits(dates ...v1.Date) []v1.CaseAction {
	var out []v1.CaseAction
	for _, d := range dates {
		out = append(out, act(v1.ActionHomeVisit, d, ""))
	}
	return out
}

func TestEvaluateCase(t *testing.T) {
	inSchool := EnrolmentAssessment{Standing: StandingInSchool}
	cases := []struct {
		name     string
		pattern  string
		today    v1.Date
		actions  []v1.CaseAction
		closure  *v1.Closure
		standing *EnrolmentAssessment
		want     v1.Stage
		entered  v1.Date
		required v1.ActionType
		deadline v1.Date
		overdue  bool
		reason   string
	}{
		{name: "three days: school reported, letter due", pattern: "PUUU", today: "2026-11-05",
			want: v1.StageSchoolReported, entered: "2026-11-05", required: v1.ActionPersuasionLetter, deadline: "2026-11-08"},
		{name: "letter not sent by the deadline: overdue", pattern: "PUUUUU", today: "2026-11-09",
			want: v1.StageSchoolReported, entered: "2026-11-05", required: v1.ActionPersuasionLetter, deadline: "2026-11-08", overdue: true},
		{name: "letter sent: nothing due at the school stage", pattern: "PUUUU", today: "2026-11-06",
			actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-06", "")}, want: v1.StageSchoolReported, entered: "2026-11-05"},
		{name: "ten days absent: township reported", pattern: "PUUUUUUUUUU", today: "2026-11-16",
			actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-06", "")},
			want:    v1.StageTownshipReported, entered: "2026-11-16", required: v1.ActionDropoutReport, deadline: "2026-11-19", reason: "AbsentTooLong"},
		{name: "three visits and still absent: township reported on the third visit", pattern: "PUUUUUU", today: "2026-11-10",
			actions: visits("2026-11-05", "2026-11-06", "2026-11-09"), want: v1.StageTownshipReported, entered: "2026-11-09",
			required: v1.ActionDropoutReport, deadline: "2026-11-12", reason: "VisitsExhausted"},
		{name: "dropout report filed: return notice due from the government line", pattern: "PUUUUUU", today: "2026-11-10",
			actions: []v1.CaseAction{act(v1.ActionDropoutReport, "2026-11-09", "")}, want: v1.StageTownshipReported, entered: "2026-11-09",
			required: v1.ActionReturnNotice, deadline: "2026-11-12", reason: "DropoutReportFiled"},
		{name: "return notice issued: its deadline shown", pattern: "PUUUUUUUUUUU", today: "2026-11-18",
			actions: []v1.CaseAction{act(v1.ActionDropoutReport, "2026-11-16", ""), act(v1.ActionReturnNotice, "2026-11-17", "2026-12-02")},
			want:    v1.StageReturnNoticeIssued, entered: "2026-11-17", deadline: "2026-12-02"},
		{name: "deadline passed, still absent: legal action, referral due", pattern: "PUUUUUUUUUUUUUUUUUUUUUU", today: "2026-12-03",
			actions: []v1.CaseAction{act(v1.ActionReturnNotice, "2026-11-17", "2026-12-02")},
			want:    v1.StageLegalAction, entered: "2026-12-03", required: v1.ActionLegalReferral, deadline: "2026-12-06", reason: "ReturnDeadlinePassed"},
		{name: "present again: returned", pattern: "PUUUUPP", today: "2026-11-10", want: v1.StageReturned, entered: "2026-11-09"},
		{name: "twenty school days back: closed as returned", pattern: "PUUU" + "PPPPPPPPPPPPPPPPPPPP", today: "2026-12-04",
			want: v1.StageClosed, entered: "2026-12-03", reason: "Returned"},
		{name: "relapse during follow-up climbs again from the school", pattern: "PUUUUPPPU", today: "2026-11-12",
			actions: []v1.CaseAction{act(v1.ActionReturnNotice, "2026-11-06", "2026-11-07")},
			want:    v1.StageSchoolReported, entered: "2026-11-12", required: v1.ActionPersuasionLetter, deadline: "2026-11-15", reason: "UnexcusedAbsence"},
		{name: "sick leave keeps the case where it is", pattern: "PUUUSS", today: "2026-11-09", actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-05", "")},
			want: v1.StageSchoolReported, entered: "2026-11-05"},
		{name: "closed by decision", pattern: "PUUU", today: "2026-11-06", closure: &v1.Closure{By: "county bureau", Reason: "moved abroad with family", Date: "2026-11-06"},
			want: v1.StageClosed, entered: "2026-11-06", reason: "ClosedByDecision"},
		{name: "transfer with evidence closes the case", pattern: "PUUU", today: "2026-11-06", standing: &EnrolmentAssessment{Standing: StandingExempt, Reason: "Transferred"},
			want: v1.StageClosed, entered: "2026-11-06", reason: "Transferred"},
		{name: "transfer without evidence does not", pattern: "PUUU", today: "2026-11-05", standing: &EnrolmentAssessment{Standing: StandingOutOfSchool, Reason: "TransferredWithoutCertificate"},
			want: v1.StageSchoolReported, entered: "2026-11-03", required: v1.ActionPersuasionLetter, deadline: "2026-11-06", reason: "TransferredWithoutCertificate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			standing := inSchool
			if c.standing != nil {
				standing = *c.standing
			}
			d := days(c.pattern)
			st := EvaluateCase(CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate(c.today), Days: d,
				Standing: standing, Actions: c.actions, Closure: c.closure, Ladder: DefaultLadder})
			if st.Stage != c.want || FormatDate(st.Entered) != c.entered {
				t.Fatalf("stage %s entered %s (%s), want %s entered %s", st.Stage, FormatDate(st.Entered), st.Reason, c.want, c.entered)
			}
			if st.RequiredAction != c.required || st.Overdue != c.overdue {
				t.Errorf("required %q overdue %v, want %q %v", st.RequiredAction, st.Overdue, c.required, c.overdue)
			}
			gotDeadline := v1.Date("")
			if st.Deadline != nil {
				gotDeadline = FormatDate(*st.Deadline)
			}
			if gotDeadline != c.deadline {
				t.Errorf("deadline %q, want %q", gotDeadline, c.deadline)
			}
			if c.reason != "" && st.Reason != c.reason {
				t.Errorf("reason %q, want %q", st.Reason, c.reason)
			}
		})
	}
}

func TestEvaluateCaseIsIdempotentAndStaysClosed(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-20"), Days: days("PUUUUUUUUUUU"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder}
	if a, b := EvaluateCase(f), EvaluateCase(f); a.Stage != b.Stage || !a.Entered.Equal(b.Entered) {
		t.Fatalf("two evaluations differ: %+v vs %+v", a, b)
	}
	f.ClosedReason = "Returned"
	if st := EvaluateCase(f); st.Stage != v1.StageClosed {
		t.Fatalf("a closed case reopened at %s", st.Stage)
	}
}

func TestNotEnrolledCase(t *testing.T) {
	f := CaseFacts{Type: v1.CaseNotEnrolled, Opened: MustDate("2026-11-02"), Today: MustDate("2026-11-03"),
		Standing: EnrolmentAssessment{Standing: StandingOutOfSchool, Reason: "NotEnrolled"}, Ladder: DefaultLadder}
	st := EvaluateCase(f)
	if st.Stage != v1.StageTownshipReported || st.RequiredAction != v1.ActionReturnNotice {
		t.Fatalf("not-enrolled case at %s requiring %q, want TownshipReported requiring ReturnNotice", st.Stage, st.RequiredAction)
	}
	f.Standing = EnrolmentAssessment{Standing: StandingInSchool}
	if st := EvaluateCase(f); st.Stage != v1.StageClosed || st.ClosedReason != "Enrolled" {
		t.Fatalf("enrolled child: %s %q, want Closed Enrolled", st.Stage, st.ClosedReason)
	}
}

func TestNextChangeIsTheDayAfterTheDeadline(t *testing.T) {
	st := EvaluateCase(CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-05"), Days: days("PUUU"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder})
	if st.NextChange == nil || FormatDate(*st.NextChange) != "2026-11-09" {
		t.Fatalf("NextChange = %v, want 2026-11-09", st.NextChange)
	}
}

func TestShouldOpenAndAtRisk(t *testing.T) {
	for _, c := range []struct {
		days         int32
		atRisk, open bool
	}{{0, false, false}, {1, true, false}, {2, true, false}, {3, false, true}, {12, false, true}} {
		s := v1.AttendanceSummary{ConsecutiveUnexcusedDays: c.days}
		if AtRisk(s, DefaultLadder) != c.atRisk || ShouldOpenCase(s, DefaultLadder) != c.open {
			t.Errorf("%d days: atRisk=%v open=%v, want %v %v", c.days, AtRisk(s, DefaultLadder), ShouldOpenCase(s, DefaultLadder), c.atRisk, c.open)
		}
	}
}

func TestCaseNameIsDeterministic(t *testing.T) {
	a := CaseName("stu-3f9a1c2b7d4e", v1.CaseDroppedOut, MustDate("2026-11-03"))
	if a != "stu-3f9a1c2b7d4e-do-20261103" || a != CaseName("stu-3f9a1c2b7d4e", v1.CaseDroppedOut, MustDate("2026-11-03")) {
		t.Fatalf("CaseName = %q", a)
	}
	if b := CaseName("stu-3f9a1c2b7d4e", v1.CaseNotEnrolled, MustDate("2026-11-03")); b == a {
		t.Fatal("types must not share a name")
	}
}

func TestClaimedReasonWithoutEvidenceNeverReturnsOnOldDays(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-10"), Today: MustDate("2026-12-20"),
		Days:     days("PPPPPPPPPPPPPPPPPPPPPPPP"),
		Standing: EnrolmentAssessment{Standing: StandingOutOfSchool, Reason: "TransferredWithoutCertificate"}, Ladder: DefaultLadder}
	st := EvaluateCase(f)
	if st.Stage != v1.StageSchoolReported || st.Reason != "TransferredWithoutCertificate" {
		t.Fatalf("stage %s (%s), want SchoolReported: old present days must not close a 视同辍学 case", st.Stage, st.Reason)
	}
}

func TestReturnNoticeWithoutDeadlineGivesTheLadderDays(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-20"), Days: days("PUUUUUUUUUUUUU"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder,
		Actions: []v1.CaseAction{act(v1.ActionReturnNotice, "2026-11-18", "")}}
	st := EvaluateCase(f)
	if st.Stage != v1.StageReturnNoticeIssued || st.Deadline == nil || FormatDate(*st.Deadline) != "2026-12-03" {
		t.Fatalf("stage %s deadline %v, want ReturnNoticeIssued until 2026-12-03", st.Stage, st.Deadline)
	}
}
