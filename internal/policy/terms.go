package policy

import (
	"fmt"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Ladder is the escalation ladder with every step set.
type Ladder struct {
	AtRiskAfterDays         int32
	SchoolReportAfterDays   int32
	TownshipReportAfterDays int32
	RequiredVisits          int32
	ActionDeadlineDays      int32
	ReturnNoticeDays        int32
	FollowUpSchoolDays      int32
	// Steps are the ladder as data (DefaultSteps, or the county's); the day counts above are read
	// from them (deriveCounts).
	Steps []v1.LadderStep
}

// DefaultLadder is the ladder when no agreement sets a step, from the policy documents: one day
// absent the homeroom teacher calls home, three days the school office is told and a persuasion
// letter goes out, three recorded visits or ten days and the township is told, a return notice
// gives fifteen days, and a returned child is followed for twenty school days.
var DefaultLadder = Ladder{
	AtRiskAfterDays:         1,
	SchoolReportAfterDays:   3,
	TownshipReportAfterDays: 10,
	RequiredVisits:          3,
	ActionDeadlineDays:      3,
	ReturnNoticeDays:        15,
	FollowUpSchoolDays:      20,
	Steps:                   DefaultSteps(),
}

// MergeTerms merges terms narrowest first: a term set on a narrower agreement wins over the same
// term on a wider one, and terms nobody sets stay unset.
func MergeTerms(narrowFirst ...v1.Terms) v1.Terms {
	var out v1.Terms
	for i := len(narrowFirst) - 1; i >= 0; i-- {
		t := narrowFirst[i]
		override(&out.Targets.PrimaryEnrolment, t.Targets.PrimaryEnrolment)
		override(&out.Targets.JuniorEnrolment, t.Targets.JuniorEnrolment)
		override(&out.Targets.Consolidation, t.Targets.Consolidation)
		override(&out.Targets.MaxDropout, t.Targets.MaxDropout)
		override(&out.Targets.DisabilityEnrolment, t.Targets.DisabilityEnrolment)
		e := t.Escalation
		override(&out.Escalation.AtRiskAfterDays, e.AtRiskAfterDays)
		override(&out.Escalation.SchoolReportAfterDays, e.SchoolReportAfterDays)
		override(&out.Escalation.TownshipReportAfterDays, e.TownshipReportAfterDays)
		override(&out.Escalation.RequiredVisits, e.RequiredVisits)
		override(&out.Escalation.ActionDeadlineDays, e.ActionDeadlineDays)
		override(&out.Escalation.ReturnNoticeDays, e.ReturnNoticeDays)
		override(&out.Escalation.FollowUpSchoolDays, e.FollowUpSchoolDays)
		if e.Steps != nil {
			out.Escalation.Steps = e.Steps // the narrowest agreement that writes steps writes them all
		}
		override(&out.Assessment.RewardPoints, t.Assessment.RewardPoints)
		override(&out.Assessment.PenaltyPoints, t.Assessment.PenaltyPoints)
		override(&out.Assessment.VetoOnDropout, t.Assessment.VetoOnDropout)
		mergeReportingTerms(&out, t)
		mergeSupportTerms(&out, t)
		mergeCalendarTerms(&out, t)
	}
	return out
}

func override[T any](dst **T, src *T) {
	if src != nil {
		v := *src
		*dst = &v
	}
}

// LadderFrom fills the unset steps of merged terms with the defaults and checks that the result
// is still a ladder: a narrow agreement can set one step past a step a wider one set.
func LadderFrom(t v1.Terms) (Ladder, error) {
	l := DefaultLadder
	e := t.Escalation
	steps := DefaultSteps()
	if len(e.Steps) > 0 {
		steps = e.Steps
	}
	l.Steps = stepsWithDays(steps, e)
	set(&l.ReturnNoticeDays, e.ReturnNoticeDays)
	set(&l.FollowUpSchoolDays, e.FollowUpSchoolDays)
	if err := deriveCounts(&l); err != nil {
		return DefaultLadder, fmt.Errorf("%w; the default ladder applies until the agreements are fixed", err)
	}
	if l.AtRiskAfterDays >= l.SchoolReportAfterDays || l.SchoolReportAfterDays >= l.TownshipReportAfterDays {
		return DefaultLadder, fmt.Errorf("the inherited ladder is not strictly increasing (at risk %d, school report %d, township report %d days); the default ladder applies until the agreements are fixed",
			l.AtRiskAfterDays, l.SchoolReportAfterDays, l.TownshipReportAfterDays)
	}
	return l, nil
}

func set(dst *int32, src *int32) {
	if src != nil {
		*dst = *src
	}
}
