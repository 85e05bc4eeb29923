package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Default cut-off days of the monthly reports: "各学校对辍学统计结果于每月23日前书面报镇政府,镇政府汇总后
// 每月25日前上报县教育局".
const (
	DefaultSchoolCutOff   = 23
	DefaultTownshipCutOff = 25
	DefaultCountyCutOff   = 25
)

// maxCaseRefs bounds a report's list of cases, so that the object stays small in a bad month.
const maxCaseRefs = 2000

// SummaryMonths are the months a semester or school-year summary is written in, on the level's
// cut-off day: "县教育局于每年的1月份、7月份统计全县辍学情况". January closes the autumn term, July
// the spring term and the school year.
var SummaryMonths = map[v1.ReportPeriod][]time.Month{
	v1.PeriodSemester:   {time.January, time.July},
	v1.PeriodSchoolYear: {time.July},
}

// SummaryPeriods are the summary kinds, in the order the writer writes them.
var SummaryPeriods = []v1.ReportPeriod{v1.PeriodSemester, v1.PeriodSchoolYear}

// ReportSchedule is when one report of one level is written and due, and the days it covers.
type ReportSchedule struct {
	// Period summed up: Month, Semester or SchoolYear.
	Period v1.ReportPeriod
	// Month is the month of the cut-off day, YYYY-MM: the month reported, or the month a summary
	// is written in.
	Month string
	// CutOff is the day the report is written; Due the last day to confirm it.
	CutOff, Due time.Time
	// From and To are the first and last days covered: from the previous cut-off day of the same
	// period kind to the day before this one, so that every day is in exactly one report of the
	// level and kind.
	From, To time.Time
}

// CutOffDay is a level's day of the month under the merged reporting terms.
func CutOffDay(level v1.ReportLevel, r v1.Reporting) int {
	pick := func(p *int32, def int) int {
		if p != nil {
			return int(*p)
		}
		return def
	}
	switch level {
	case v1.ReportSchool:
		return pick(r.SchoolCutOff, DefaultSchoolCutOff)
	case v1.ReportTownship:
		return pick(r.TownshipCutOff, DefaultTownshipCutOff)
	}
	return pick(r.CountyCutOff, DefaultCountyCutOff)
}

// ScheduleFor is the schedule of the monthly report of the month containing day.
func ScheduleFor(level v1.ReportLevel, r v1.Reporting, day time.Time) ReportSchedule {
	s, _ := PeriodSchedule(v1.PeriodMonth, level, r, day)
	return s
}

// PeriodSchedule is the schedule of the report of a period kind written in the month containing
// day; false when no report of that kind is written in that month (a summary outside January and
// July).
func PeriodSchedule(period v1.ReportPeriod, level v1.ReportLevel, r v1.Reporting, day time.Time) (ReportSchedule, bool) {
	period = PeriodOrMonth(period)
	cut := CutOffDay(level, r)
	first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	back := monthsSincePrevious(period, day.Month())
	if back == 0 {
		return ReportSchedule{}, false
	}
	cutOff := first.AddDate(0, 0, cut-1)
	within := 0
	if r.ConfirmWithinDays != nil {
		within = int(*r.ConfirmWithinDays)
	}
	return ReportSchedule{Period: period, Month: first.Format("2006-01"), CutOff: cutOff, Due: cutOff.AddDate(0, 0, within),
		From: first.AddDate(0, -back, cut-1), To: cutOff.AddDate(0, 0, -1)}, true
}

// monthsSincePrevious is how many months back the previous report of the kind was written: 1 for
// a monthly report, 6 for a semester summary, 12 for a school-year summary; 0 when the kind has
// no report in month m.
func monthsSincePrevious(period v1.ReportPeriod, m time.Month) int {
	if period == v1.PeriodMonth {
		return 1
	}
	months := SummaryMonths[period]
	for i, sm := range months {
		if sm != m {
			continue
		}
		prev := months[(i+len(months)-1)%len(months)]
		if back := (int(m) - int(prev) + 12) % 12; back > 0 {
			return back
		}
		return 12
	}
	return 0
}

// PeriodOrMonth reads an unset period (a report written before periods existed) as Month.
func PeriodOrMonth(p v1.ReportPeriod) v1.ReportPeriod {
	if p == "" {
		return v1.PeriodMonth
	}
	return p
}

// ReportDue reports whether the report is to be written today: on or after its cut-off day and
// within the month. A month that is over is not back-filled: its figures as of the cut-off day
// can no longer be known.
func (s ReportSchedule) ReportDue(today time.Time) bool {
	return !today.Before(s.CutOff) && string(FormatDate(today))[:7] == s.Month
}

// MonthsCovered are the months (YYYY-MM) the period's days fall in, oldest first: the class
// records a school's reporting compliance is read from.
func (s ReportSchedule) MonthsCovered() []string {
	var out []string
	for m := time.Date(s.From.Year(), s.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(s.To); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// Name is the name of a scope's report on this schedule (PeriodReportName).
func (s ReportSchedule) Name(level v1.ReportLevel, code string) string {
	return PeriodReportName(level, s.Period, code, s.Month)
}

// ReportName is the name of a scope's monthly report for a month (YYYY-MM): school-<code>-<YYYYMM>,
// township-<code>-<YYYYMM> or county-<YYYYMM>.
func ReportName(level v1.ReportLevel, code, month string) string {
	return PeriodReportName(level, v1.PeriodMonth, code, month)
}

// periodNames are the name parts of the summaries: county-semester-202701,
// school-<code>-year-202707.
var periodNames = map[v1.ReportPeriod]string{v1.PeriodSemester: "semester", v1.PeriodSchoolYear: "year"}

// PeriodReportName is the name of a scope's report of a period kind written in a month (YYYY-MM):
// a monthly report as ReportName, a summary with its kind before the month.
func PeriodReportName(level v1.ReportLevel, period v1.ReportPeriod, code, month string) string {
	m := strings.ReplaceAll(month, "-", "")
	if kind, ok := periodNames[period]; ok {
		m = kind + "-" + m
	}
	if level == v1.ReportCounty {
		return "county-" + m
	}
	return fmt.Sprintf("%s-%s-%s", strings.ToLower(string(level)), code, m)
}

// KeepCase reports whether a case can count in a report whose period starts on from: it is open,
// or it was opened or changed stage on or after from. Every other case did all it did before the
// period, and the writer need not look up its child.
func KeepCase(dc *v1.DropoutCase, from time.Time, loc *time.Location) bool {
	start := FormatDate(from)
	if Open(dc.Status.Stage) || dc.Spec.Opened >= start {
		return true
	}
	for _, h := range dc.Status.History {
		if FormatDate(LocalDate(h.Time.Time, loc)) >= start {
			return true
		}
	}
	return false
}

// SchoolReportsMissing are the school reports a township or county report sums up that are not
// written yet, and whether to wait for them: only on the cut-off day itself. The schools' writers
// run on the same day (a county may give schools and townships the same cut-off day); a school
// report still missing the day after will not come (its agreement ended, or its cut-off day is
// later than its township's), and the report is written without it rather than never.
func SchoolReportsMissing(expected, written []string, s ReportSchedule, today time.Time) (missing []string, wait bool) {
	have := map[string]bool{}
	for _, n := range written {
		have[n] = true
	}
	for _, n := range expected {
		if !have[n] {
			have[n] = true
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	return missing, len(missing) > 0 && FormatDate(today) == FormatDate(s.CutOff)
}

// ReportInputs are what a report's figures are computed from.
type ReportInputs struct {
	Schedule ReportSchedule
	// Tally of the scope on the cut-off day and the merged terms of its agreement.
	Tally Tally
	Terms v1.Terms
	// Cases of the children in scope: this school year's and those still open.
	Cases []*v1.DropoutCase
	// Reporting compliance of the period (ClassesCompliance, or the sum of the school reports').
	Reporting v1.ReportCompliance
	// Location turns the cases' stage times into local dates.
	Location *time.Location
	// Intake is, for a school-year summary, the grade-7 intake of its cohort; nil elsewhere and
	// when the intake report does not exist.
	Intake *Intake
}

// Intake is the grade-7 count of a scope's first report of a school year (学年初报初一学生人数).
type Intake struct {
	// Report is the MonthlyReport it is read from.
	Report string
	Grade7 int32
}

// IntakeMonth is the month (YYYY-MM) of the report whose grade-7 count is the intake of a
// school-year summary's cohort: the first month of the school year two years before the one the
// summary closes. The summary of July 2027 closes 2026-27 and reads September 2024, when the
// cohort now in grade 9 entered grade 7 ("比照三年前学年初报初一学生人数").
func IntakeMonth(rules SchoolAgeRules, s ReportSchedule) string {
	return CohortIntakeMonth(rules, s.To)
}

// CohortIntakeMonth is the month (YYYY-MM) whose report holds the grade-7 intake of the cohort in
// grade 9 on a day: the first month of the school year two years before that day's. An
// agreement's status reads it for the cohort it answers for now.
func CohortIntakeMonth(rules SchoolAgeRules, day time.Time) string {
	return rules.SchoolYearStart(day).AddDate(-2, 0, 0).Format("2006-01")
}

// CohortOf is the cohort whose retention a scope answers for: the intake report's grade-7 count
// against the scope's grade-9 pupils now. Nil without an intake report, and for a scope with
// neither an intake nor a grade 9 (a primary school: no rate to show or judge).
func CohortOf(intake *Intake, t Tally) *Cohort {
	if intake == nil || intake.Grade7 == 0 && t.Grade9 == 0 {
		return nil
	}
	return &Cohort{Intake: intake.Grade7, Grade9: t.Grade9}
}

// RetentionOf is the status form of a cohort's retention; nil without an intake report.
func RetentionOf(intake *Intake, t Tally) *v1.CohortRetention {
	c := CohortOf(intake, t)
	if c == nil {
		return nil
	}
	return &v1.CohortRetention{IntakeReport: intake.Report, Intake: c.Intake, Grade9: c.Grade9, Rate: string(CohortRetention(*c))}
}

// MonthlyFigures computes a report's figures: the scope's measurement on the cut-off day, the
// period's new, confirmed and returned cases, the cases it names, and its reporting compliance.
func MonthlyFigures(in ReportInputs) v1.ReportFigures {
	m := MeasureCohort(in.Tally, CohortOf(in.Intake, in.Tally), in.Terms)
	f := v1.ReportFigures{From: FormatDate(in.Schedule.From), To: FormatDate(in.Schedule.To),
		Coverage: m.Coverage, Rates: m.Rates, Targets: in.Terms.Targets, TargetsMet: m.TargetsMet,
		Missed: m.Unmet, Reporting: in.Reporting, Retention: RetentionOf(in.Intake, in.Tally)}
	if slices.Contains(in.Terms.Assessment.Months, int32(in.Schedule.CutOff.Month())) {
		a := m.Assessment
		f.Assessment = &a
	}
	for _, dc := range countedCases(in.Cases) {
		ref, ok := periodEvent(dc, in.Schedule, in.Location)
		if !ok {
			continue
		}
		countEvent(&f, dc, ref.Event, in.Schedule, in.Location)
		if len(f.Cases) < maxCaseRefs {
			f.Cases = append(f.Cases, ref)
		} else {
			f.CasesOmitted++
		}
	}
	sort.Slice(f.Cases, func(i, j int) bool { return f.Cases[i].Name < f.Cases[j].Name })
	return f
}

// periodEvent is the most telling thing that happened to a case in the period (returned, then
// confirmed, then opened), or Open for a case open on the cut-off day that did none of them.
func periodEvent(dc *v1.DropoutCase, s ReportSchedule, loc *time.Location) (v1.CaseRef, bool) {
	ref := v1.CaseRef{Name: dc.Name, Stage: dc.Status.Stage}
	switch {
	case enteredIn(dc, s, loc, func(st v1.Stage) bool { return st == v1.StageReturned }):
		ref.Event, ref.Placement = v1.CaseEventReturned, dc.Spec.Placement
	case enteredIn(dc, s, loc, Escalated):
		ref.Event = v1.CaseEventConfirmed
	case inPeriod(dc.Spec.Opened, s):
		ref.Event = v1.CaseEventOpened
	case Open(dc.Status.Stage):
		ref.Event = v1.CaseEventOpen
	default:
		return ref, false
	}
	return ref, true
}

// countEvent adds a case's moves in the period to the counts: a case opened and confirmed in the
// same period counts in both.
func countEvent(f *v1.ReportFigures, dc *v1.DropoutCase, ev v1.CaseEvent, s ReportSchedule, loc *time.Location) {
	if inPeriod(dc.Spec.Opened, s) {
		if dc.Spec.Type == v1.CaseNotEnrolled {
			f.NewNotEnrolled++
		} else {
			f.NewSuspected++
		}
	}
	if ev == v1.CaseEventConfirmed || (ev == v1.CaseEventReturned && enteredIn(dc, s, loc, Escalated)) {
		f.NewConfirmed++
	}
	if ev == v1.CaseEventReturned {
		countPlacement(&f.Returned, dc.Spec.Placement)
	}
}

func countPlacement(r *v1.ReturnedCounts, p v1.Placement) {
	r.Total++
	switch p {
	case v1.PlacementOwnSchool:
		r.OwnSchool++
	case v1.PlacementOtherSchool:
		r.OtherSchool++
	case v1.PlacementVocationalSchool:
		r.VocationalSchool++
	case v1.PlacementSpecialSchool:
		r.SpecialSchool++
	case v1.PlacementHomeTeaching:
		r.HomeTeaching++
	default:
		r.Unrecorded++
	}
}

// enteredIn reports whether the case entered a stage matching want during the period, by its
// history (the first such entry counts: a case confirmed in October is not confirmed again in
// November).
func enteredIn(dc *v1.DropoutCase, s ReportSchedule, loc *time.Location, want func(v1.Stage) bool) bool {
	for _, h := range dc.Status.History {
		if want(h.Stage) {
			return inPeriod(FormatDate(LocalDate(h.Time.Time, loc)), s)
		}
	}
	return false
}

func inPeriod(d v1.Date, s ReportSchedule) bool {
	return d >= FormatDate(s.From) && d <= FormatDate(s.To)
}

// ClassesCompliance measures the period's roll calls of a school's classes: on each day of the
// period on which any class of the school reported, each class that did not is a missing roll call.
func ClassesCompliance(classDays map[string][]v1.Date, s ReportSchedule) v1.ReportCompliance {
	schoolDays := map[v1.Date]bool{}
	for _, days := range classDays {
		for _, d := range days {
			if inPeriod(d, s) {
				schoolDays[d] = true
			}
		}
	}
	out := v1.ReportCompliance{SchoolDays: int32(len(schoolDays))}
	for _, days := range classDays {
		reported := 0
		for _, d := range days {
			if inPeriod(d, s) {
				reported++
			}
		}
		out.RollCalls += int32(reported)
		if missing := len(schoolDays) - reported; missing > 0 {
			out.MissingRollCalls += int32(missing)
			out.ClassesMissing++
		}
	}
	return out
}

// AddCompliance sums school reports' compliance into a township's or the county's.
func AddCompliance(sum *v1.ReportCompliance, c v1.ReportCompliance) {
	sum.SchoolDays = max(sum.SchoolDays, c.SchoolDays)
	sum.RollCalls += c.RollCalls
	sum.MissingRollCalls += c.MissingRollCalls
	sum.ClassesMissing += c.ClassesMissing
}

// ReportStanding is whether a report is confirmed and whether it is late on a day.
type ReportStanding struct {
	Confirmed, Late bool
	// Reason and Message of the Late condition.
	Reason, Message string
}

// StandingOf judges a report on today: Late when it was not confirmed by its due day, whether it
// is still unconfirmed or was confirmed afterwards.
func StandingOf(spec v1.MonthlyReportSpec, today time.Time, loc *time.Location) ReportStanding {
	due := spec.Due
	if c := spec.Confirmation; c != nil {
		on := FormatDate(LocalDate(c.At.Time, loc))
		if on > due {
			return ReportStanding{Confirmed: true, Late: true, Reason: "ConfirmedLate", Message: fmt.Sprintf("confirmed on %s, due by %s", on, due)}
		}
		return ReportStanding{Confirmed: true, Reason: "ConfirmedInTime", Message: fmt.Sprintf("confirmed on %s, due by %s", on, due)}
	}
	if FormatDate(today) > due {
		return ReportStanding{Late: true, Reason: "NotConfirmed", Message: fmt.Sprintf("not confirmed by %s", due)}
	}
	return ReportStanding{Reason: "AwaitingConfirmation", Message: fmt.Sprintf("to be confirmed by %s", due)}
}
