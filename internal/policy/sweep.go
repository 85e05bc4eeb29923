package policy

import (
	"time"
)

// SweepFinding is what the start-of-term sweep (开学初排查) finds about one child.
type SweepFinding string

const (
	// SweepNone: on this term's roster, legitimately away with evidence, or not yet swept.
	SweepNone SweepFinding = ""
	// SweepMissing: enrolled last term and on no roster this term (开学未报到).
	SweepMissing SweepFinding = "MissingAtTermStart"
	// SweepNotHandedOver: a grade-6 child of the school year that ended who appears in no junior
	// school's grade 7 (毕业生班未实现整班移交).
	SweepNotHandedOver SweepFinding = "NotHandedOver"
)

// TermSweep is one child's facts for the sweep of one term.
type TermSweep struct {
	// Standing is the verdict on the child's enrolment today (AssessEnrolment): only a child still
	// counted in school, with no legitimate status backed by evidence, can be missing.
	Standing EnrolmentAssessment
	// Grade of the child's last known enrolment.
	Grade int32
	// Confirmed is the latest day a roster listed the child (a student-registry import of that
	// day, the enrolment's since date, or a roll call naming the child).
	Confirmed time.Time
	// TermStart is the first day of the term; FirstOfYear is true when it opens a school year.
	TermStart   time.Time
	FirstOfYear bool
	// SweepDay is the day the sweep looks: the registry of the new term has been imported by then.
	SweepDay time.Time
}

// Sweep decides whether the child is missing from the new term's rosters, and how: a grade-6
// child at the start of a school year is a hand-over to the junior school that did not happen.
func Sweep(f TermSweep, today time.Time) SweepFinding {
	switch {
	case today.Before(f.SweepDay), f.Standing.Standing != StandingInSchool, !f.Confirmed.Before(f.TermStart):
		return SweepNone
	case f.FirstOfYear && f.Grade == 6:
		return SweepNotHandedOver
	}
	return SweepMissing
}
