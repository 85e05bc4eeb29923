package controllers

import (
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// caseOutcomeChanged passes case edits that change what the agreements count of causes and
// placements (policy.OutcomesOf): a cause or placement recorded without a change of stage.
type caseOutcomeChanged struct{ predicate.Funcs }

func (caseOutcomeChanged) Update(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(*v1.DropoutCase), e.ObjectNew.(*v1.DropoutCase)
	return o.Spec.Cause != n.Spec.Cause || o.Spec.Placement != n.Spec.Placement
}
