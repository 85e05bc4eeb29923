package policy

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/equality"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestChildFacing: what an agreement's children read changes with its party, scope, period,
// ladder, calendar and support terms, and not with its targets, assessment or cut-off days.
func TestChildFacing(t *testing.T) {
	base := v1.ResponsibilityAgreementSpec{Line: v1.LineEducation, Responsible: v1.Party{Name: "张老师", Role: v1.RoleHomeroomTeacher},
		Scope: v1.Scope{School: "520121001"}, Effective: v1.Period{From: "2026-09-01"}}
	days := int32(5)
	pct := v1.Percent("1")
	cut := int32(20)
	for _, tc := range []struct {
		name    string
		edit    func(*v1.ResponsibilityAgreementSpec)
		reaches bool
	}{
		{"target", func(s *v1.ResponsibilityAgreementSpec) { s.Terms.Targets.MaxDropout = &pct }, false},
		{"assessment", func(s *v1.ResponsibilityAgreementSpec) { veto := true; s.Terms.Assessment.VetoOnDropout = &veto }, false},
		{"cut-off day", func(s *v1.ResponsibilityAgreementSpec) { s.Terms.Reporting.SchoolCutOff = &cut }, false},
		{"responsible party", func(s *v1.ResponsibilityAgreementSpec) { s.Responsible.Name = "李老师" }, true},
		{"scope", func(s *v1.ResponsibilityAgreementSpec) { s.Scope.School = "520121002" }, true},
		{"period", func(s *v1.ResponsibilityAgreementSpec) { s.Effective.Until = "2027-07-15" }, true},
		{"ladder", func(s *v1.ResponsibilityAgreementSpec) { s.Terms.Escalation.SchoolReportAfterDays = &days }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edited := *base.DeepCopy()
			tc.edit(&edited)
			reaches := !equality.Semantic.DeepEqual(ChildFacing(base), ChildFacing(edited))
			if reaches != tc.reaches {
				t.Errorf("a change of the %s reaches the children: %v, want %v", tc.name, reaches, tc.reaches)
			}
		})
	}
}
