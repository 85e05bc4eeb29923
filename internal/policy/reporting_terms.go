package policy

import (
	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// mergeReportingTerms overrides, from a narrower agreement's terms t, the targets, assessment
// forms and reporting days added for the monthly reports (docs/reports.md).
func mergeReportingTerms(out *v1.Terms, t v1.Terms) {
	override(&out.Targets.MaxPrimaryDropout, t.Targets.MaxPrimaryDropout)
	override(&out.Targets.MaxJuniorDropout, t.Targets.MaxJuniorDropout)
	override(&out.Targets.RegisteredPoorConsolidation, t.Targets.RegisteredPoorConsolidation)
	override(&out.Targets.MinCohortRetention, t.Targets.MinCohortRetention)
	a := t.Assessment
	override(&out.Assessment.VetoAboveDropout, a.VetoAboveDropout)
	override(&out.Assessment.MissedTargetsPenalty, a.MissedTargetsPenalty)
	override(&out.Assessment.Fine, a.Fine)
	if a.Months != nil {
		out.Assessment.Months = append([]int32(nil), a.Months...)
	}
	r := t.Reporting
	override(&out.Reporting.SchoolCutOff, r.SchoolCutOff)
	override(&out.Reporting.TownshipCutOff, r.TownshipCutOff)
	override(&out.Reporting.CountyCutOff, r.CountyCutOff)
	override(&out.Reporting.ConfirmWithinDays, r.ConfirmWithinDays)
}
