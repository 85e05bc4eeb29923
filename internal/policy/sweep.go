package policy

import (
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
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
	// Registered is the day the county registered the child: a child first registered this term
	// was on no roster last term, so it cannot be missing from this one.
	Registered time.Time
}

// Sweep decides whether the child is missing from the new term's rosters, and how: a grade-6
// child at the start of a school year is a hand-over to the junior school that did not happen.
func Sweep(f TermSweep, today time.Time) SweepFinding {
	switch {
	case today.Before(f.SweepDay), f.Standing.Standing != StandingInSchool, !f.Confirmed.Before(f.TermStart), !f.Registered.Before(f.TermStart):
		return SweepNone
	case f.FirstOfYear && f.Grade == 6:
		return SweepNotHandedOver
	}
	return SweepMissing
}

// SweepOf gathers a child's facts for the sweep of the term today is in; ok is false in the
// holidays. days are the child's days of its class this school year (ChildDays).
func SweepOf(s *v1.Student, standing EnrolmentAssessment, days []v1.SchoolDay, cal Calendar, rules SchoolAgeRules, registered, today time.Time) (TermSweep, bool) {
	term, ok := cal.TermOf(today)
	if !ok {
		return TermSweep{}, false
	}
	firstOfYear := term.Start.Equal(rules.SchoolYearStart(term.Start))
	return TermSweep{
		Standing: standing, Grade: s.Spec.Enrolment.Grade, Confirmed: Confirmed(s.Spec.Enrolment.Since, days, firstOfYear),
		TermStart: term.Start, FirstOfYear: firstOfYear, SweepDay: term.SweepDay, Registered: registered,
	}, true
}

// Confirmed is the latest day a roster listed the child. The roster is the Student's enrolment:
// its since date is the day the registry put the child in its school, grade and class. Within a
// school year the class stays the same, so a roll call of the child's class (which covers every
// child of its roster) confirms it too; at the start of a school year every child changes grade,
// and only the new year's registry, with since on or after the year's first day, says where the
// child is (a roll call of last year's class number is another year's children).
func Confirmed(since v1.Date, days []v1.SchoolDay, firstOfYear bool) time.Time {
	out, _ := ParseDate(since)
	if !firstOfYear && len(days) > 0 {
		if last, err := ParseDate(days[len(days)-1].Date); err == nil && last.After(out) {
			out = last
		}
	}
	return out
}

// SweepCaseType is the type of case a sweep finding opens.
func SweepCaseType(f SweepFinding) v1.CaseType {
	return map[SweepFinding]v1.CaseType{SweepMissing: v1.CaseNotReturnedAfterTerm, SweepNotHandedOver: v1.CaseNotHandedOver}[f]
}

// IsSweepCase reports whether a case type is one the start-of-term sweep opens.
func IsSweepCase(t v1.CaseType) bool {
	return t == v1.CaseNotReturnedAfterTerm || t == v1.CaseNotHandedOver
}

// SweepCaseOnRoster reports whether the child of a sweep case opened on opened is on a roster of
// that term again: the registry listed it, or (within a school year) its class's roll call did.
func SweepCaseOnRoster(s *v1.Student, days []v1.SchoolDay, cal Calendar, rules SchoolAgeRules, opened time.Time) bool {
	term, ok := cal.TermOf(opened)
	if !ok {
		term.Start = opened
	}
	firstOfYear := term.Start.Equal(rules.SchoolYearStart(term.Start))
	return !Confirmed(s.Spec.Enrolment.Since, days, firstOfYear).Before(term.Start)
}

// SweepDue is the case the start-of-term sweep opens for a child, if any: its type, and the
// sweep day as the day it opens (the day the sweep found the child, so the case's deadlines run
// from then, not from the term's first day). registered is the day the county registered the child.
func SweepDue(s *v1.Student, standing EnrolmentAssessment, days []v1.SchoolDay, cal Calendar, rules SchoolAgeRules, registered, today time.Time) (v1.CaseType, time.Time, bool) {
	f, ok := SweepOf(s, standing, days, cal, rules, registered, today)
	if !ok {
		return "", time.Time{}, false
	}
	finding := Sweep(f, today)
	if finding == SweepNone {
		return "", time.Time{}, false
	}
	return SweepCaseType(finding), f.SweepDay, true
}

// ReceivingSchool is the junior school a grade-6 child of the primary school from moves up to:
// the school whose school-level Education agreement in force lists the child's village in its
// catchment and is not the primary school itself (the first by code when several do). Empty
// when no agreement names one.
func ReceivingSchool(agreements []*v1.ResponsibilityAgreement, village v1.VillageCode, from v1.SchoolCode, today time.Time) v1.SchoolCode {
	var out v1.SchoolCode
	for _, a := range agreements {
		sc := a.Spec.Scope
		if a.Spec.Line != v1.LineEducation || ScopeLevel(sc) != LevelSchool || sc.School == from || !IsActive(a, today) {
			continue
		}
		for _, v := range sc.Catchment {
			if v == village && (out == "" || sc.School < out) {
				out = sc.School
			}
		}
	}
	return out
}
