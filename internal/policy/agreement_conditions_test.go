package policy

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

type agreementConditionCase struct {
	name string
	view AgreementView
	want string
}

func agreementConditionCases() []agreementConditionCase {
	a := &v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: v1.LineEducation,
		Effective: v1.Period{From: "2026-09-01", Until: "2027-08-31"}}}
	met := Measurement{TargetsMet: true}
	missed := Measurement{Unmet: []string{"consolidation 99.5% < 100%"}}
	in, before, after := MustDate("2026-11-09"), MustDate("2026-08-31"), MustDate("2027-09-01")
	healthy := "Active=True/InEffect TargetsMet=True/TargetsMet Conflict=False/NoConflict "
	return []agreementConditionCase{
		{"in effect, targets met, alone on its scope", AgreementView{Agreement: a, Today: in, Measurement: met},
			healthy + "Ready=True/Measured"},
		{"not yet in effect: the calendar, not a fault", AgreementView{Agreement: a, Today: before, Measurement: met},
			"Active=False/NotYetInEffect TargetsMet=True/TargetsMet Conflict=False/NoConflict Ready=True/Measured"},
		{"ended", AgreementView{Agreement: a, Today: after, Measurement: met},
			"Active=False/Expired TargetsMet=True/TargetsMet Conflict=False/NoConflict Ready=True/Measured"},
		{"targets missed: the county's work, the figures are right", AgreementView{Agreement: a, Today: in, Measurement: missed},
			"Active=True/InEffect TargetsMet=False/TargetsMissed Conflict=False/NoConflict Ready=True/Measured"},
		{"in conflict: not Ready", AgreementView{Agreement: a, Today: in, Measurement: met, Conflicts: []string{"ra-other"}},
			"Active=True/InEffect TargetsMet=True/TargetsMet Conflict=True/SameScope Ready=False/SameScope"},
		{"figures counted with children still pending: stale, not Ready", AgreementView{Agreement: a, Today: in, Measurement: met, Pending: 3},
			healthy + "Ready=False/FiguresPending"},
		{"conflict wins over pending figures", AgreementView{Agreement: a, Today: in, Measurement: met, Conflicts: []string{"ra-other"}, Pending: 3},
			"Active=True/InEffect TargetsMet=True/TargetsMet Conflict=True/SameScope Ready=False/SameScope"},
	}
}

func TestAgreementConditions(t *testing.T) {
	for _, c := range agreementConditionCases() {
		t.Run(c.name, func(t *testing.T) {
			if got := render(AgreementConditions(c.view)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestAgreementMessagesAreChineseFirst: county officers read these messages; the pending one
// counts children and names none.
func TestAgreementMessagesAreChineseFirst(t *testing.T) {
	for _, c := range agreementConditionCases() {
		for _, cond := range AgreementConditions(c.view) {
			if cond.Reason == v1.ReasonTargetsMissed {
				continue // the unmet targets, as measured
			}
			if r := []rune(cond.Message); len(r) == 0 || r[0] < 0x2E80 {
				t.Errorf("%s %s: message %q does not start in Chinese", c.name, cond.Type, cond.Message)
			}
		}
	}
}
