package policy

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestTriggerReached covers every day-counting trigger kind at its threshold edges. The days run
// from 2026-11-02 (a Monday), one letter a school day (see days).
func TestTriggerReached(t *testing.T) {
	n := func(v int32) *int32 { return &v }
	pct := func(p v1.Percent) *v1.Percent { return &p }
	yes := func() *bool { b := true; return &b }
	cases := []struct {
		name    string
		when    v1.StepTrigger
		pattern string
		on      v1.Date // empty: not reached
		reason  string
	}{
		{"1 consecutive day: one day away", v1.StepTrigger{ConsecutiveDays: n(1)}, "PPU", "2026-11-04", v1.ReasonUnexcusedAbsence},
		{"2 consecutive days: one day is short", v1.StepTrigger{ConsecutiveDays: n(2)}, "PPU", "", ""},
		{"2 consecutive days: reached on the second", v1.StepTrigger{ConsecutiveDays: n(2)}, "PUUU", "2026-11-04", v1.ReasonUnexcusedAbsence},
		{"left without leave counts as unexcused", v1.StepTrigger{ConsecutiveDays: n(2)}, "PUL", "2026-11-04", v1.ReasonUnexcusedAbsence},
		{"sick leave neither counts nor ends the run", v1.StepTrigger{ConsecutiveDays: n(2)}, "PUS", "", ""},
		{"3 in 10: alternate days reach it on the third", v1.StepTrigger{UnexcusedDays: n(3), WithinSchoolDays: n(10)}, "UPUPU", "2026-11-06", v1.ReasonCumulativeAbsence},
		{"3 in 10: two are short", v1.StepTrigger{UnexcusedDays: n(3), WithinSchoolDays: n(10)}, "UPUPP", "", ""},
		{"3 in 5: the first absence has left the window", v1.StepTrigger{UnexcusedDays: n(3), WithinSchoolDays: n(5)}, "UPPUPU", "", ""},
		{"3 in 5: exactly five days back", v1.StepTrigger{UnexcusedDays: n(3), WithinSchoolDays: n(5)}, "PUPUPU", "2026-11-09", v1.ReasonCumulativeAbsence},
		{"below 90 %: 9 of 10 present is 90 %, not below", v1.StepTrigger{AttendanceBelow: pct("90")}, "PPPPPPPPPS", "", ""},
		{"below 90 %: 8 of 10 present", v1.StepTrigger{AttendanceBelow: pct("90")}, "PPPPPPPPUU", "2026-11-13", v1.ReasonChronicAbsence},
		{"below 90 %: too few days to say", v1.StepTrigger{AttendanceBelow: pct("90")}, "PPPPPUUUU", "", ""},
		{"below 90 %: fewer minimum days set", v1.StepTrigger{AttendanceBelow: pct("90"), MinimumSchoolDays: n(5)}, "PPPPU", "2026-11-06", v1.ReasonChronicAbsence},
		{"below 87.5 %: 7 of 8 is exactly 87.5 %", v1.StepTrigger{AttendanceBelow: pct("87.5"), MinimumSchoolDays: n(8)}, "PPPPPPPU", "", ""},
		{"left without leave today", v1.StepTrigger{LeftWithoutLeave: yes()}, "PPL", "2026-11-04", v1.ReasonLeftWithoutLeave},
		{"left without leave yesterday, back today", v1.StepTrigger{LeftWithoutLeave: yes()}, "PLP", "", ""},
		{"two triggers: the earlier wins", v1.StepTrigger{ConsecutiveDays: n(3), UnexcusedDays: n(2), WithinSchoolDays: n(10)}, "UPUUU", "2026-11-04", v1.ReasonCumulativeAbsence},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			on, reason, ok := TriggerReached(c.when, attendance(c.pattern))
			got := v1.Date("")
			if ok {
				got = FormatDate(on)
			}
			if got != c.on || reason != c.reason {
				t.Fatalf("reached %q (%s), want %q (%s)", got, reason, c.on, c.reason)
			}
		})
	}
}

// TestCaseTriggersFromSteps: the visit quota and the missed deadline, the case's own triggers,
// are read from the steps: a county that asks for 4 visits moves on the fourth, and a ladder
// without a legal-action step does not go to LegalAction when the notice's deadline passes.
func TestCaseTriggersFromSteps(t *testing.T) {
	four := int32(4)
	l, err := LadderFrom(v1.Terms{Escalation: v1.Escalation{RequiredVisits: &four}})
	if err != nil {
		t.Fatal(err)
	}
	f := CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-11-10"), Attendance: attendance("PUUUUUU"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: l, Actions: visits("2026-11-05", "2026-11-06", "2026-11-09")}
	if st := EvaluateCase(f); st.Stage != v1.StageSchoolReported {
		t.Fatalf("three visits of four: %s", st.Stage)
	}
	f.Actions = append(f.Actions, act(v1.ActionHomeVisit, "2026-11-10", ""))
	if st := EvaluateCase(f); st.Stage != v1.StageTownshipReported || st.Reason != "VisitsExhausted" {
		t.Fatalf("the fourth visit: %s (%s)", st.Stage, st.Reason)
	}

	notice := []v1.CaseAction{act(v1.ActionReturnNotice, "2026-11-17", "2026-12-02")}
	f = CaseFacts{Type: v1.CaseDroppedOut, Opened: MustDate("2026-11-03"), Today: MustDate("2026-12-03"), Attendance: attendance("PUUUUUUUUUUUUUUUUUUUUUU"),
		Standing: EnrolmentAssessment{Standing: StandingInSchool}, Ladder: DefaultLadder, Actions: notice}
	if st := EvaluateCase(f); st.Stage != v1.StageLegalAction {
		t.Fatalf("deadline missed with the default steps: %s", st.Stage)
	}
	var noLegal []v1.LadderStep
	for _, s := range DefaultSteps() {
		if s.Stage != v1.StageLegalAction {
			noLegal = append(noLegal, s)
		}
	}
	if f.Ladder, err = LadderFrom(v1.Terms{Escalation: v1.Escalation{Steps: noLegal}}); err != nil {
		t.Fatal(err)
	}
	if st := EvaluateCase(f); st.Stage != v1.StageReturnNoticeIssued {
		t.Fatalf("deadline missed, no legal-action step: %s", st.Stage)
	}
}

// TestDefaultStepsBeforeTheCase: the school plan's first two days, as actions due.
func TestDefaultStepsBeforeTheCase(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    string
	}{
		{"PPP", ""},
		{"PPU", "contact-guardian PhoneCall 2026-11-05, contact-guardian HomeVisit 2026-11-05"},
		{"PUU", "contact-guardian PhoneCall 2026-11-04, contact-guardian HomeVisit 2026-11-04, group-visit HomeVisit 2026-11-05"},
		{"PPL", "left-without-leave PhoneCall 2026-11-04, contact-guardian PhoneCall 2026-11-05, contact-guardian HomeVisit 2026-11-05"},
	} {
		got := ""
		for i, d := range DueActions(DefaultLadder, StepsReached(DefaultLadder, attendance(c.pattern))) {
			if i > 0 {
				got += ", "
			}
			got += d.Step + " " + string(d.Type) + " " + string(d.DueBy)
		}
		if got != c.want {
			t.Errorf("%s: due %q, want %q", c.pattern, got, c.want)
		}
	}
}
