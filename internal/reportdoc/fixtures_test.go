package reportdoc

import (
	"fmt"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func pct(s string) *v1.Percent { p := v1.Percent(s); return &p }

// countyInput is a county's November report with two township reports and two earlier months.
func countyInput() Input {
	report := func(name string, level v1.ReportLevel, township v1.TownshipCode, scopeName, month string, dropout v1.Percent, confirmed int32) *v1.MonthlyReport {
		return &v1.MonthlyReport{
			Spec: v1.MonthlyReportSpec{Level: level, Township: township, ScopeName: scopeName, Month: month, CutOff: v1.Date(month + "-25"), Due: v1.Date(month + "-25"),
				Figures: v1.ReportFigures{From: "2026-10-25", To: "2026-11-24",
					Coverage: v1.Coverage{Children: 1200, SchoolAge: 1180, Enrolled: 1175, Attending: 1160, AtRisk: 6,
						OpenCases:   v1.StageCounts{SchoolReported: 4, TownshipReported: confirmed, ReturnNoticeIssued: 1, Returned: 2},
						FocusGroups: []v1.FocusGroupCount{{Group: v1.FocusLeftBehind, SchoolAge: 300, Enrolled: 298, OpenCases: 2}}},
					Rates:   v1.Rates{Enrolment: "99.57", PrimaryEnrolment: "99.8", JuniorEnrolment: "98.9", Consolidation: "99.7", Dropout: "0.26", SchoolYearDropout: dropout},
					Targets: v1.Targets{PrimaryEnrolment: pct("100"), JuniorEnrolment: pct("99"), MaxDropout: pct("1")},
					Missed:  []string{"primary enrolment 99.8% < 100%"}, NewSuspected: 5, NewConfirmed: 2,
					Returned:  v1.ReturnedCounts{Total: 3, OwnSchool: 2, VocationalSchool: 1},
					Reporting: v1.ReportCompliance{SchoolDays: 20, RollCalls: 1190, MissingRollCalls: 10, ClassesMissing: 3},
					Cases:     []v1.CaseRef{{Name: "stu-0001-do-20261102", Stage: v1.StageReturned, Event: v1.CaseEventReturned, Placement: v1.PlacementOwnSchool}}},
			}}
	}
	county := report("county-202611", v1.ReportCounty, "", "示范县", "2026-11", "0.85", 3)
	county.Name = "county-202611"
	var townships []*v1.MonthlyReport
	for i, d := range []v1.Percent{"0.5", "1.4", "0.9"} {
		t := report(fmt.Sprintf("township-52012110%d-202611", i), v1.ReportTownship, v1.TownshipCode(fmt.Sprintf("52012110%d", i)), []string{"城关镇", "河西乡", "青山镇"}[i], "2026-11", d, 1)
		t.Name = fmt.Sprintf("township-52012110%d-202611", i)
		townships = append(townships, t)
	}
	return Input{Report: county, Townships: townships, Late: true,
		History: []*v1.MonthlyReport{report("county-202610", v1.ReportCounty, "", "示范县", "2026-10", "0.5", 1), report("county-202609", v1.ReportCounty, "", "示范县", "2026-09", "0.2", 2)}}
}

// english is the identity translator (--lang en).
func english(format string, args ...any) string { return fmt.Sprintf(format, args...) }
