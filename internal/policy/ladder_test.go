package policy

import (
	"strings"
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

// attendance is the summary of a pattern of days, as the Student's status would hold it.
func attendance(pattern string) ChildAttendance {
	return Summarize(days(pattern), termStart)
}

func act(t v1.ActionType, date v1.Date, deadline v1.Date) v1.CaseAction {
	return v1.CaseAction{Type: t, Date: date, By: "someone", Line: v1.LineEducation, Deadline: deadline}
}

func govVisit(date v1.Date) v1.CaseAction {
	a := act(v1.ActionHomeVisit, date, "")
	a.Line = v1.LineGovernment
	return a
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
		{name: "letter sent: the village cadre's visit is due (000: 至少配合班主任家访1次)", pattern: "PUUUU", today: "2026-11-06",
			actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-06", "")}, want: v1.StageSchoolReported, entered: "2026-11-05",
			required: v1.ActionHomeVisit, deadline: "2026-11-08"},
		{name: "a teacher's visit is not the village cadre's", pattern: "PUUUU", today: "2026-11-06",
			actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-06", ""), act(v1.ActionHomeVisit, "2026-11-06", "")},
			want:    v1.StageSchoolReported, entered: "2026-11-05", required: v1.ActionHomeVisit, deadline: "2026-11-08"},
		{name: "letter sent and the village cadre visited: nothing due at the school stage", pattern: "PUUUU", today: "2026-11-06",
			actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-06", ""), govVisit("2026-11-06")}, want: v1.StageSchoolReported, entered: "2026-11-05"},
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
		{name: "sick leave keeps the case where it is", pattern: "PUUUSS", today: "2026-11-09", actions: []v1.CaseAction{act(v1.ActionPersuasionLetter, "2026-11-05", ""), govVisit("2026-11-06")},
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
			st := EvaluateCase(CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate(c.today), Attendance: attendance(c.pattern),
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
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-20"), Attendance: attendance("PUUUUUUUUUUU"),
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
	st := EvaluateCase(CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-05"), Attendance: attendance("PUUU"),
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
		Attendance: attendance("PPPPPPPPPPPPPPPPPPPPPPPP"),
		Standing:   EnrolmentAssessment{Standing: StandingOutOfSchool, Reason: "TransferredWithoutCertificate"}, Ladder: DefaultLadder}
	st := EvaluateCase(f)
	if st.Stage != v1.StageSchoolReported || st.Reason != "TransferredWithoutCertificate" {
		t.Fatalf("stage %s (%s), want SchoolReported: old present days must not close a 视同辍学 case", st.Stage, st.Reason)
	}
}

func TestReturnNoticeWithoutDeadlineGivesTheLadderDays(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-20"), Attendance: attendance("PUUUUUUUUUUUUU"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder,
		Actions: []v1.CaseAction{act(v1.ActionReturnNotice, "2026-11-18", "")}}
	st := EvaluateCase(f)
	if st.Stage != v1.StageReturnNoticeIssued || st.Deadline == nil || FormatDate(*st.Deadline) != "2026-12-03" {
		t.Fatalf("stage %s deadline %v, want ReturnNoticeIssued until 2026-12-03", st.Stage, st.Deadline)
	}
}

// A case whose child stays away all term keeps its stage and dates.
func TestLongAbsenceKeepsTheLadder(t *testing.T) {
	actions := []v1.CaseAction{
		act(v1.ActionPersuasionLetter, "2026-11-05", ""),
		act(v1.ActionDropoutReport, "2026-11-16", ""),
		act(v1.ActionReturnNotice, "2026-11-17", "2026-12-02"),
		act(v1.ActionLegalReferral, "2026-12-04", ""),
	}
	var rec RecordedStage
	all := days("P" + strings.Repeat("U", 100))
	for i := range all {
		s := Summarize(all[:i+1], termStart)
		today := MustDate(all[i].Date)
		st := EvaluateCase(CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: today, Attendance: s,
			Standing: EnrolmentAssessment{Standing: StandingInSchool}, Actions: actions, Recorded: rec, Ladder: DefaultLadder})
		if today.After(MustDate("2026-12-04")) {
			if st.Stage != v1.StageLegalAction || FormatDate(st.Entered) != "2026-12-03" || st.Overdue || st.DaysAbsent != int32(i) {
				t.Fatalf("%s, %d days away: %s since %s (%s), overdue %v, %d days, want LegalAction since 2026-12-03",
					all[i].Date, i, st.Stage, FormatDate(st.Entered), st.Reason, st.Overdue, st.DaysAbsent)
			}
		}
		rec = RecordedStage{Stage: st.Stage, Entered: st.Entered}
	}
}

// A closed case keeps the day it was struck off, however often and whenever it is evaluated.
func TestClosedCaseKeepsItsDate(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2027-02-01"), Attendance: attendance("PUUUPP"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, ClosedReason: "Returned",
		Recorded: RecordedStage{Stage: v1.StageClosed, Entered: MustDate("2026-12-03")}, Ladder: DefaultLadder}
	if st := EvaluateCase(f); st.Stage != v1.StageClosed || FormatDate(st.Entered) != "2026-12-03" {
		t.Fatalf("closed case: %s since %s, want Closed since 2026-12-03", st.Stage, FormatDate(st.Entered))
	}
}

// A legal referral recorded before the return notice's deadline passed is the referral legal
// action requires: nothing more is due.
func TestEarlyLegalReferralCounts(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-12-10"),
		Attendance: attendance("P" + strings.Repeat("U", 27)), Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder,
		Actions: []v1.CaseAction{act(v1.ActionReturnNotice, "2026-11-17", "2026-12-02"), act(v1.ActionLegalReferral, "2026-11-30", "")}}
	st := EvaluateCase(f)
	if st.Stage != v1.StageLegalAction || FormatDate(st.Entered) != "2026-11-30" || st.RequiredAction != "" || st.Overdue {
		t.Fatalf("%s since %s requiring %q (overdue %v), want LegalAction since 2026-11-30 with nothing due",
			st.Stage, FormatDate(st.Entered), st.RequiredAction, st.Overdue)
	}
}

func TestLongStudentNamesGiveDistinctCaseNames(t *testing.T) {
	long := strings.Repeat("a", 60)
	a := CaseName(long+"-1", v1.CaseDroppedOut, MustDate("2026-11-03"))
	b := CaseName(long+"-2", v1.CaseDroppedOut, MustDate("2026-11-03"))
	if a == b || len(a) > 63 || len(b) > 63 || !strings.HasPrefix(a, "aaaa") || !strings.HasSuffix(a, "-do-20261103") {
		t.Fatalf("case names %q and %q", a, b)
	}
}

func TestCaseDue(t *testing.T) {
	today := MustDate("2026-11-23")
	registered := MustDate("2026-09-10")
	rules := DefaultSchoolAgeRules
	cert := &v1.Evidence{Certificate: "H1", ApprovedBy: "county bureau", Until: "2026-11-13"}
	cases := []struct {
		name       string
		birth      v1.Date
		enrolment  v1.Enrolment
		attendance ChildAttendance
		typ        v1.CaseType
		opened     v1.Date
		due        bool
	}{
		{name: "three unexcused days", birth: "2016-03-01", enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled},
			attendance: attendance("PUUU"), typ: v1.CaseDroppedOut, opened: "2026-11-03", due: true},
		{name: "two unexcused days: at risk, no case", birth: "2016-03-01", enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled},
			attendance: attendance("PUU")},
		{name: "seven, enrolled nowhere: from the day the county registered the child", birth: "2019-05-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentNotEnrolled}, typ: v1.CaseNotEnrolled, opened: "2026-09-10", due: true},
		{name: "suspension ended: from the day after, not from when it began", birth: "2016-03-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Since: "2026-09-01", Evidence: cert},
			typ:       v1.CaseDroppedOut, opened: "2026-11-14", due: true},
		{name: "deferral ended: the child never enrolled (失学)", birth: "2020-05-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentDeferred, Since: "2025-09-01", Evidence: cert},
			typ:       v1.CaseNotEnrolled, opened: "2026-11-14", due: true},
		{name: "transfer without a certificate: from the day of the transfer", birth: "2016-03-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentTransferredOut, Since: "2026-10-12", Evidence: &v1.Evidence{ReceivingSchool: "x"}},
			typ:       v1.CaseDroppedOut, opened: "2026-10-12", due: true},
		{name: "deferral too long (until next September): from registration, not the day after its end", birth: "2019-05-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentDeferred, Since: "2025-09-01", Evidence: &v1.Evidence{Certificate: "Y", ApprovedBy: "bureau", Until: "2027-08-31"}},
			typ:       v1.CaseNotEnrolled, opened: "2026-09-10", due: true},
		{name: "suspension without a certificate until next summer: from registration", birth: "2016-03-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Since: "2026-09-01", Evidence: &v1.Evidence{ApprovedBy: "bureau", Until: "2027-06-30"}},
			typ:       v1.CaseDroppedOut, opened: "2026-09-10", due: true},
		{name: "until 9999-12-31 without a certificate: from registration, a name the API accepts", birth: "2016-03-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentTransferredOut, Since: "2026-09-01", Evidence: &v1.Evidence{ReceivingSchool: "x", Until: "9999-12-31"}},
			typ:       v1.CaseDroppedOut, opened: "2026-09-10", due: true},
		{name: "enrolment status dated in the future: today", birth: "2016-03-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentTransferredOut, Since: "2027-03-01"},
			typ:       v1.CaseDroppedOut, opened: "2026-11-23", due: true},
		{name: "valid suspension: no case", birth: "2016-03-01",
			enrolment: v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Evidence: &v1.Evidence{Certificate: "H1", ApprovedBy: "bureau", Until: "2027-01-31"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &v1.Student{Spec: v1.StudentSpec{BirthDate: c.birth, Enrolment: c.enrolment}}
			typ, opened, due := CaseDue(s, c.attendance, AssessEnrolment(s, today, rules), DefaultLadder, rules, registered, today)
			if due != c.due || typ != c.typ || (due && FormatDate(opened) != c.opened) {
				t.Fatalf("got %v %s from %s, want %v %s from %s", due, typ, FormatDate(opened), c.due, c.typ, c.opened)
			}
		})
	}
}

// A 视同辍学 case whose child is enrolled again counts days back from the case's opening only, not
// the attendance recorded before the claimed transfer.
func TestReenrolledChildCountsDaysBackFromTheCase(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-16"), Today: MustDate("2026-11-16"),
		Attendance: attendance("PPPPPPPPPP"), Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder}
	if st := EvaluateCase(f); st.Stage != v1.StageSchoolReported {
		t.Fatalf("before any day back: %s (%s), want SchoolReported", st.Stage, st.Reason)
	}
	f.Attendance, f.Today = attendance("PPPPPPPPPPPP"), MustDate("2026-11-17")
	if st := EvaluateCase(f); st.Stage != v1.StageReturned || FormatDate(st.Entered) != "2026-11-16" || st.FollowUpDays != 2 {
		t.Fatalf("two days back: %s since %s, %d follow-up days, want Returned since 2026-11-16 with 2", st.Stage, FormatDate(st.Entered), st.FollowUpDays)
	}
}

// A 视同辍学 child enrolled again whose record ended in an unexcused run from before the case:
// that run is not the case's; the case counts from its opening.
func TestOldRunBeforeTheCaseDoesNotCount(t *testing.T) {
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-16"), Today: MustDate("2026-11-18"),
		Attendance: attendance("PPPPPUUUUU" + "PPP"), Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder}
	if st := EvaluateCase(f); st.Stage != v1.StageReturned || FormatDate(st.Entered) != "2026-11-16" {
		t.Fatalf("back from the case's opening: %s since %s", st.Stage, FormatDate(st.Entered))
	}
	f.Attendance, f.Today = attendance("PPPPPUUUUU"+"UU"), MustDate("2026-11-17")
	if st := EvaluateCase(f); st.Stage != v1.StageSchoolReported || st.DaysAbsent != 2 || FormatDate(st.Entered) != "2026-11-16" {
		t.Fatalf("away since the case opened: %s since %s, %d days, want SchoolReported since 2026-11-16 with 2",
			st.Stage, FormatDate(st.Entered), st.DaysAbsent)
	}
}
