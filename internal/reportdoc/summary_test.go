package reportdoc

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestSummaryRows: a school-year summary says what it sums up in its title and rows, and shows
// the three-year retention against its target with the report its intake comes from.
func TestSummaryRows(t *testing.T) {
	in := countyInput()
	in.Report.Spec.Period = v1.PeriodSchoolYear
	in.Report.Spec.Month = "2027-07"
	in.Report.Spec.Figures.Targets.MinCohortRetention = pct("92")
	in.Report.Spec.Figures.Retention = &v1.CohortRetention{IntakeReport: "county-202409", Intake: 250, Grade9: 229, Rate: "91.6"}
	if got := Title(in.Report, english); got != "School-year summary 2027-07: 示范县" {
		t.Errorf("title %q", got)
	}
	want := map[string]string{
		"Kind":                 "School-year summary",
		"Three-year retention": "91.6% (target ≥ 92%)",
		"Grade 7 intake":       "250 (county-202409)",
	}
	for _, r := range Rows(in, english) {
		if w, ok := want[r.Label]; ok {
			if r.Value != w {
				t.Errorf("%s: %q, want %q", r.Label, r.Value, w)
			}
			delete(want, r.Label)
		}
	}
	if len(want) != 0 {
		t.Errorf("rows missing: %v", want)
	}
	in.Report.Spec.Period = v1.PeriodSemester
	if got := Title(in.Report, english); got != "Semester summary 2027-07: 示范县" {
		t.Errorf("title %q", got)
	}
}
