package policy

import (
	"reflect"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func caseWith(opened v1.Date, cause v1.Cause, placement v1.Placement) *v1.DropoutCase {
	return &v1.DropoutCase{Spec: v1.DropoutCaseSpec{Type: v1.CaseDroppedOut, Opened: opened, Cause: cause, Placement: placement},
		Status: v1.DropoutCaseStatus{Stage: v1.StageClosed, ClosedReason: "Returned"}}
}

// Each child counts once, by its latest case; a case without a cause counts as Unknown and one
// without a placement counts in no placement. The sums reach the agreement's coverage.
func TestCausesAndPlacementsCounted(t *testing.T) {
	kids := []ChildFacts{
		child(StandingInSchool, "Enrolled", true, caseWith("2026-09-10", v1.CauseFamilyHardship, v1.PlacementOwnSchool)),
		child(StandingInSchool, "Enrolled", true, caseWith("2026-09-10", v1.CauseWorkingOrMigrating, v1.PlacementVocationalSchool)),
		// An earlier case of the same child does not count beside its latest one.
		child(StandingInSchool, "Enrolled", true, caseWith("2026-09-01", v1.CauseIllness, v1.PlacementSpecialSchool),
			caseWith("2026-10-01", v1.CauseFamilyHardship, v1.PlacementOwnSchool)),
		child(StandingInSchool, "Enrolled", true, caseWith("2026-11-02", "", "")),
		child(StandingInSchool, "Enrolled", true),
	}
	c := Measure(kids, v1.Terms{}).Coverage
	wantCauses := []v1.CauseCount{{Cause: v1.CauseUnknown, Children: 1}, {Cause: v1.CauseFamilyHardship, Children: 2}, {Cause: v1.CauseWorkingOrMigrating, Children: 1}}
	wantPlacements := []v1.PlacementCount{{Placement: v1.PlacementOwnSchool, Children: 2}, {Placement: v1.PlacementVocationalSchool, Children: 1}}
	if !reflect.DeepEqual(c.Causes, wantCauses) {
		t.Errorf("causes %+v, want %+v", c.Causes, wantCauses)
	}
	if !reflect.DeepEqual(c.Placements, wantPlacements) {
		t.Errorf("placements %+v, want %+v", c.Placements, wantPlacements)
	}
	// Kept child by child, a change of placement moves one count to another.
	var kept Tally
	for _, k := range kids {
		kept.Add(Contribution(k), 1)
	}
	kept.Add(Contribution(kids[1]), -1)
	kids[1].Cases[0].Spec.Placement = v1.PlacementOtherSchool
	kept.Add(Contribution(kids[1]), 1)
	_, ps := kept.Outcomes.counts()
	want := []v1.PlacementCount{{Placement: v1.PlacementOwnSchool, Children: 2}, {Placement: v1.PlacementOtherSchool, Children: 1}}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("after the change %+v, want %+v", ps, want)
	}
}
