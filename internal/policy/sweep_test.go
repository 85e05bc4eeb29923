package policy

import (
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestSweep(t *testing.T) {
	d := func(s string) time.Time { return MustDate(v1.Date(s)) }
	inSchool := EnrolmentAssessment{Standing: StandingInSchool}
	transferred := EnrolmentAssessment{Standing: StandingExempt, Reason: "Transferred"}
	base := TermSweep{Standing: inSchool, Grade: 3, Confirmed: d("2026-03-02"), TermStart: d("2026-09-01"), FirstOfYear: true, SweepDay: d("2026-09-15")}
	for _, tc := range []struct {
		name  string
		edit  func(*TermSweep)
		today string
		want  SweepFinding
	}{
		{"missing from the new rosters", func(*TermSweep) {}, "2026-09-15", SweepMissing},
		{"before the sweep day", func(*TermSweep) {}, "2026-09-14", SweepNone},
		{"on the new roster", func(f *TermSweep) { f.Confirmed = d("2026-09-03") }, "2026-09-15", SweepNone},
		{"transferred with a certificate", func(f *TermSweep) { f.Standing = transferred }, "2026-09-15", SweepNone},
		{"grade 6 not in grade 7", func(f *TermSweep) { f.Grade = 6 }, "2026-09-15", SweepNotHandedOver},
		{"grade 6 in the spring term is an ordinary sweep", func(f *TermSweep) { f.Grade, f.FirstOfYear = 6, false }, "2026-09-15", SweepMissing},
	} {
		f := base
		tc.edit(&f)
		if got := Sweep(f, d(tc.today)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
