package policy

import (
	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// causes and placements fix an order for the vocabularies of api/v1alpha1 (the one home of
// both), so that a Tally holds their counts in arrays and stays a comparable value.
var causes = [...]v1.Cause{v1.CauseUnknown, v1.CauseLearningDifficulty, v1.CauseFamilyHardship, v1.CauseWorkingOrMigrating,
	v1.CauseIllness, v1.CauseDisability, v1.CauseMarriage, v1.CauseFarFromSchool, v1.CauseTruancyOrAddiction, v1.CauseOther}

var placements = [...]v1.Placement{v1.PlacementOwnSchool, v1.PlacementOtherSchool, v1.PlacementVocationalSchool,
	v1.PlacementSpecialSchool, v1.PlacementHomeTeaching, v1.PlacementNotReturned}

// Outcomes is one child's (or, summed, a scope's) count of causes and placements.
type Outcomes struct {
	Causes     [len(causes)]int32
	Placements [len(placements)]int32
}

// OutcomesOf counts a child once, by its latest case of the school year (the latest opened): its
// cause (Unknown while none is recorded) and, when recorded, its placement. A child with no
// case counts nowhere.
func OutcomesOf(cases []*v1.DropoutCase) Outcomes {
	var latest *v1.DropoutCase
	for _, dc := range cases {
		if latest == nil || dc.Spec.Opened > latest.Spec.Opened {
			latest = dc
		}
	}
	var o Outcomes
	if latest == nil {
		return o
	}
	cause := latest.Spec.Cause
	if cause == "" {
		cause = v1.CauseUnknown
	}
	for i, c := range causes {
		o.Causes[i] = b2i32(c == cause)
	}
	for i, p := range placements {
		o.Placements[i] = b2i32(p == latest.Spec.Placement)
	}
	return o
}

// add adds o to t (sign 1) or takes it away (sign -1).
func (t *Outcomes) add(o Outcomes, sign int32) {
	for i := range t.Causes {
		t.Causes[i] += sign * o.Causes[i]
	}
	for i := range t.Placements {
		t.Placements[i] += sign * o.Placements[i]
	}
}

// counts lists the causes and placements present, in the vocabularies' order.
func (t Outcomes) counts() ([]v1.CauseCount, []v1.PlacementCount) {
	var cs []v1.CauseCount
	for i, n := range t.Causes {
		if n > 0 {
			cs = append(cs, v1.CauseCount{Cause: causes[i], Children: n})
		}
	}
	var ps []v1.PlacementCount
	for i, n := range t.Placements {
		if n > 0 {
			ps = append(ps, v1.PlacementCount{Placement: placements[i], Children: n})
		}
	}
	return cs, ps
}
