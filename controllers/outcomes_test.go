package controllers_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestCausesAndPlacementsCounted: the cause and the placement a school records on its cases reach
// the school agreement's figures, even when recording them moves no stage.
func TestCausesAndPlacementsCounted(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-ada", 1, village), student(ns, "stu-bo", 1, village))
	openCaseIn(t, ns, 1, "stu-ada", "stu-bo")
	classify(t, ns, "stu-ada-do-20261102", v1.CauseFamilyHardship, v1.PlacementOwnSchool)
	classify(t, ns, "stu-bo-do-20261102", v1.CauseWorkingOrMigrating, v1.PlacementVocationalSchool)
	wantCauses := []v1.CauseCount{{Cause: v1.CauseFamilyHardship, Children: 1}, {Cause: v1.CauseWorkingOrMigrating, Children: 1}}
	wantPlacements := []v1.PlacementCount{{Placement: v1.PlacementOwnSchool, Children: 1}, {Placement: v1.PlacementVocationalSchool, Children: 1}}
	eventually(t, "the school agreement counts causes and placements", func() error {
		c := get(t, ns, "principal", &v1.ResponsibilityAgreement{}).Status.Coverage
		if !reflect.DeepEqual(c.Causes, wantCauses) || !reflect.DeepEqual(c.Placements, wantPlacements) {
			return fmt.Errorf("causes %+v placements %+v", c.Causes, c.Placements)
		}
		return nil
	})
}

func classify(t *testing.T, ns, name string, cause v1.Cause, placement v1.Placement) {
	t.Helper()
	dc := get(t, ns, name, &v1.DropoutCase{})
	patch := client.MergeFrom(dc.DeepCopy())
	dc.Spec.Cause, dc.Spec.Placement = cause, placement
	if err := k8s.Patch(context.Background(), dc, patch); err != nil {
		t.Fatal(err)
	}
}
