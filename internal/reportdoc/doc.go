// Package reportdoc turns monthly reports (月报) into documents people hand in: an Excel workbook,
// CSV and an HTML page with charts that prints on A4. It is pure: the plugin fetches the reports
// and passes a translator for the labels (Chinese by default, English with --lang en). Reports
// name cases, never children, so the documents carry no personal data.
package reportdoc

import (
	"fmt"
	"sort"
	"strconv"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Translate renders an English label (a message of the plugin's catalogue) in the output language.
type Translate func(format string, args ...any) string

// Input is one report and what its charts compare it with.
type Input struct {
	Report *v1.MonthlyReport
	// Townships are the same month's township reports, for a county report's chart of rates per
	// township against target.
	Townships []*v1.MonthlyReport
	// History are the scope's reports of earlier months, for the trend chart.
	History []*v1.MonthlyReport
	// Status says whether the report is confirmed and late, as its conditions say.
	Confirmed, Late bool
}

// Row is one line of a report's figures: a section, a label and its value, all text (codes stay
// text in every format).
type Row struct{ Section, Label, Value string }

// Rows lists a report's figures, section by section, translated.
func Rows(in Input, tr Translate) []Row {
	mr := in.Report
	f := mr.Spec.Figures
	var rows []Row
	add := func(section, label, value string) { rows = append(rows, Row{tr(section), tr(label), value}) }
	n := func(v int32) string { return strconv.Itoa(int(v)) }
	add("Report", "Level", tr(string(mr.Spec.Level)))
	add("Report", "Scope", ScopeTitle(mr))
	add("Report", "Kind", tr(KindLabel(mr.Spec.Period)))
	add("Report", "Month", mr.Spec.Month)
	add("Report", "Period", fmt.Sprintf("%s – %s", f.From, f.To))
	add("Report", "Cut-off day", string(mr.Spec.CutOff))
	add("Report", "Due", string(mr.Spec.Due))
	add("Report", "Confirmed", yesNo(in.Confirmed, tr))
	if c := mr.Spec.Confirmation; c != nil {
		add("Report", "Confirmed by", c.By)
		add("Report", "Confirmed at", c.At.Format("2006-01-02 15:04"))
	}
	add("Report", "Late", yesNo(in.Late, tr))
	cov := f.Coverage
	add("Enrolment", "Children", n(cov.Children))
	add("Enrolment", "School-age", n(cov.SchoolAge))
	add("Enrolment", "Enrolled", n(cov.Enrolled))
	add("Enrolment", "Attending", n(cov.Attending))
	add("Enrolment", "At risk", n(cov.AtRisk))
	if cov.Grade7 > 0 || cov.Grade9 > 0 {
		add("Enrolment", "Grade 7 in school", n(cov.Grade7))
		add("Enrolment", "Grade 9 in school", n(cov.Grade9))
	}
	add("This period", "New suspected dropouts", n(f.NewSuspected))
	add("This period", "New not enrolled", n(f.NewNotEnrolled))
	add("This period", "Newly confirmed dropouts", n(f.NewConfirmed))
	r := f.Returned
	add("This period", "Returned", n(r.Total))
	for _, p := range []struct {
		label string
		v     int32
	}{{"back in own school", r.OwnSchool}, {"in another school", r.OtherSchool}, {"in a vocational school", r.VocationalSchool},
		{"in a special school", r.SpecialSchool}, {"taught at home", r.HomeTeaching}, {"placement not recorded", r.Unrecorded}} {
		add("This period", p.label, n(p.v))
	}
	for _, s := range stageCounts(cov.OpenCases) {
		add("Open cases", s.label, n(s.v))
	}
	for _, rt := range rateRows(f) {
		add("Rates", rt.label, rateText(rt, tr))
	}
	if r := f.Retention; r != nil {
		add("Rates", "Three-year retention", rateText(rateRow{value: v1.Percent(r.Rate), target: f.Targets.MinCohortRetention}, tr))
		add("Rates", "Grade 7 intake", fmt.Sprintf("%d (%s)", r.Intake, r.IntakeReport))
	}
	add("Rates", "Targets met", yesNo(f.TargetsMet, tr))
	if a := f.Assessment; a != nil {
		add("Assessment", "Points", n(a.Points))
		add("Assessment", "Vetoed", yesNo(a.Vetoed, tr))
		add("Assessment", "Fine (yuan)", n(a.Fine))
	}
	rep := f.Reporting
	add("Roll calls", "School days", n(rep.SchoolDays))
	add("Roll calls", "Roll calls received", n(rep.RollCalls))
	add("Roll calls", "Missing roll calls", n(rep.MissingRollCalls))
	add("Roll calls", "Classes missing a roll call", n(rep.ClassesMissing))
	for _, g := range cov.FocusGroups {
		group := tr(string(g.Group))
		add("Focus groups", group+" · "+tr("school-age"), n(g.SchoolAge))
		add("Focus groups", group+" · "+tr("enrolled"), n(g.Enrolled))
		add("Focus groups", group+" · "+tr("open cases"), n(g.OpenCases))
	}
	return rows
}

// CaseRows lists the cases a report names: case, event, stage, placement.
func CaseRows(mr *v1.MonthlyReport, tr Translate) [][]string {
	var out [][]string
	for _, c := range mr.Spec.Figures.Cases {
		placement := ""
		if c.Placement != "" {
			placement = tr(string(c.Placement))
		}
		out = append(out, []string{c.Name, tr(string(c.Event)), tr(string(c.Stage)), placement})
	}
	return out
}

// CaseHeader are the headings of CaseRows, in English.
var CaseHeader = []string{"Case", "Event", "Stage", "Placement"}

// ScopeTitle is the scope's name and code, for example "城关镇 (520121100)".
func ScopeTitle(mr *v1.MonthlyReport) string {
	code := string(mr.Spec.School)
	if mr.Spec.Level == v1.ReportTownship {
		code = string(mr.Spec.Township)
	}
	switch {
	case mr.Spec.ScopeName != "" && code != "":
		return fmt.Sprintf("%s (%s)", mr.Spec.ScopeName, code)
	case code != "":
		return code
	}
	return mr.Spec.ScopeName
}

type labelled struct {
	label string
	v     int32
}

func stageCounts(c v1.StageCounts) []labelled {
	return []labelled{{"SchoolReported", c.SchoolReported}, {"TownshipReported", c.TownshipReported},
		{"ReturnNoticeIssued", c.ReturnNoticeIssued}, {"LegalAction", c.LegalAction}, {"Returned", c.Returned}}
}

// rateRow is a rate with its target; atMost marks a cap (dropout) rather than a floor.
type rateRow struct {
	label  string
	value  v1.Percent
	target *v1.Percent
	atMost bool
}

func rateRows(f v1.ReportFigures) []rateRow {
	r, t := f.Rates, f.Targets
	return []rateRow{
		{"Enrolment", r.Enrolment, nil, false},
		{"Primary enrolment", r.PrimaryEnrolment, t.PrimaryEnrolment, false},
		{"Junior enrolment", r.JuniorEnrolment, t.JuniorEnrolment, false},
		{"Consolidation", r.Consolidation, t.Consolidation, false},
		{"Dropout (now)", r.Dropout, t.MaxDropout, true},
		{"School-year dropout", r.SchoolYearDropout, nil, true},
		{"Primary school-year dropout", r.PrimaryDropout, t.MaxPrimaryDropout, true},
		{"Junior school-year dropout", r.JuniorDropout, t.MaxJuniorDropout, true},
		{"Disability enrolment", r.DisabilityEnrolment, t.DisabilityEnrolment, false},
		{"Registered-poor consolidation", r.RegisteredPoorConsolidation, t.RegisteredPoorConsolidation, false},
	}
}

func rateText(r rateRow, tr Translate) string {
	if r.value == "" {
		return "—"
	}
	s := string(r.value) + "%"
	if r.target != nil {
		op := "≥"
		if r.atMost {
			op = "≤"
		}
		s += fmt.Sprintf(" (%s %s %s%%)", tr("target"), op, *r.target)
	}
	return s
}

func yesNo(b bool, tr Translate) string {
	if b {
		return tr("yes")
	}
	return tr("no")
}

// percent reads a Percent as a number for charts; "" is 0.
func percent(p v1.Percent) float64 {
	v, _ := strconv.ParseFloat(string(p), 64)
	return v
}

// byMonth sorts reports oldest first.
func byMonth(reports []*v1.MonthlyReport) []*v1.MonthlyReport {
	out := append([]*v1.MonthlyReport(nil), reports...)
	sort.Slice(out, func(i, j int) bool { return out[i].Spec.Month < out[j].Spec.Month })
	return out
}
