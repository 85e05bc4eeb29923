package policy

import (
	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// ChildFacing is the part of an agreement's spec that its children and their cases read: who
// answers on which line for which scope and when (a Student's responsible parties), the ladder
// (a case's steps and deadlines), the calendar (terms, the sweep, silent classes) and the
// support terms. Targets, assessment and the monthly reports' cut-off days are read by the
// agreement's own figures and its reports only: a county that moves its cut-off day or tightens
// a target has no child to wake, where waking them is a reconcile of every child of the county.
func ChildFacing(spec v1.ResponsibilityAgreementSpec) v1.ResponsibilityAgreementSpec {
	out := *spec.DeepCopy()
	out.Terms.Targets = v1.Targets{}
	out.Terms.Assessment = v1.Assessment{}
	out.Terms.Reporting = v1.Reporting{}
	return out
}
