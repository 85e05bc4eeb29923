package policy

import (
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// ClassReport is what the attendance summary needs from one AttendanceReport.
type ClassReport struct {
	Name       string
	Date       time.Time
	ReportedAt time.Time // spec.reportedAt, or the creation time when unset
	Absences   map[string]v1.Mark
}

// supersedes reports whether report a replaces report b for the same class and date: the later
// report wins, and the name breaks ties so that every controller replica picks the same one.
func (a ClassReport) supersedes(b ClassReport) bool {
	if !a.ReportedAt.Equal(b.ReportedAt) {
		return a.ReportedAt.After(b.ReportedAt)
	}
	return a.Name > b.Name
}

// LatestPerDate keeps, for each date, the report that supersedes the others.
func LatestPerDate(reports []ClassReport) map[time.Time]ClassReport {
	latest := make(map[time.Time]ClassReport, len(reports))
	for _, r := range reports {
		if cur, ok := latest[r.Date]; !ok || r.supersedes(cur) {
			latest[r.Date] = r
		}
	}
	return latest
}

// SupersededBy names the report that replaces r, or "" when r is the latest for its date.
func SupersededBy(r ClassReport, sameClassAndDate []ClassReport) string {
	winner := r
	for _, o := range sameClassAndDate {
		if o.Date.Equal(r.Date) && o.supersedes(winner) {
			winner = o
		}
	}
	if winner.Name == r.Name {
		return ""
	}
	return winner.Name
}

// FoldReports folds a class's roll calls into its recorded days: for each date the report that
// supersedes the others wins, whether it is still in the cache or only in the record. A recorded
// day whose report is gone stays when unbacked(day) says the report may have been pruned, and is
// dropped otherwise (a person deleted it): the remaining reports of that date decide the day, and
// without one the day is no school day after all. The result is sorted by date and does not
// depend on the order in which the reports arrived.
func FoldReports(recorded []v1.ClassDay, reports []ClassReport, unbacked func(v1.ClassDay) bool) []v1.ClassDay {
	live := make(map[string]bool, len(reports))
	for _, r := range reports {
		live[r.Name] = true
	}
	candidates := make([]ClassReport, 0, len(recorded)+len(reports))
	for _, d := range recorded {
		if live[d.Report] || unbacked(d) {
			candidates = append(candidates, reportOfDay(d))
		}
	}
	candidates = append(candidates, reports...)
	latest := LatestPerDate(candidates)
	days := make([]v1.ClassDay, 0, len(latest))
	for _, r := range latest {
		days = append(days, dayOfReport(r))
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	return days
}

func reportOfDay(d v1.ClassDay) ClassReport {
	absences := make(map[string]v1.Mark, len(d.Absences))
	for _, a := range d.Absences {
		absences[a.Student] = a.Mark
	}
	return ClassReport{Name: d.Report, Date: MustDate(d.Date), ReportedAt: d.ReportedAt.Time, Absences: absences}
}

func dayOfReport(r ClassReport) v1.ClassDay {
	d := v1.ClassDay{Date: FormatDate(r.Date), Report: r.Name, ReportedAt: metav1.NewTime(r.ReportedAt)}
	for student, mark := range r.Absences {
		d.Absences = append(d.Absences, v1.ClassAbsence{Student: student, Mark: mark})
	}
	sort.Slice(d.Absences, func(i, j int) bool { return d.Absences[i].Student < d.Absences[j].Student })
	return d
}

// ChildDays is one child's mark on each recorded day of its class from the day it joined the
// class (enrolment.since; every day when unset), oldest first. A child the day does not name was
// present.
func ChildDays(days []v1.ClassDay, student string, from v1.Date) []v1.SchoolDay {
	out := make([]v1.SchoolDay, 0, len(days))
	for _, d := range days {
		if d.Date < from {
			continue
		}
		mark := v1.MarkPresent
		for _, a := range d.Absences {
			if a.Student == student {
				mark = a.Mark
				break
			}
		}
		out = append(out, v1.SchoolDay{Date: d.Date, Mark: mark})
	}
	return out
}

// ChangedDates lists the dates whose entry differs between two versions of a class's days: the
// days a fold added, replaced or dropped.
func ChangedDates(before, after []v1.ClassDay) []v1.ClassDay {
	old := make(map[v1.Date]v1.ClassDay, len(before))
	for _, d := range before {
		old[d.Date] = d
	}
	var changed []v1.ClassDay
	for _, d := range after {
		if o, ok := old[d.Date]; !ok || o.Report != d.Report || !o.ReportedAt.Equal(&d.ReportedAt) {
			changed = append(changed, d)
			if ok {
				changed = append(changed, o)
			}
		}
		delete(old, d.Date)
	}
	for _, o := range old {
		changed = append(changed, o)
	}
	return changed
}

// ChildAttendance is a child's attendance summary with the days it was computed from.
type ChildAttendance struct {
	v1.AttendanceSummary
	// Days are the child's marks on its class record's days, oldest first (ChildDays).
	Days []v1.SchoolDay
	// YearStart is the first day of the school year the summary counts. The status carries it
	// (termStart) only beside counts: on a child with no absence it would say nothing, in every
	// present child's bytes.
	YearStart v1.Date
}

// Summarize computes a child's attendance summary from its days of the school year starting
// termStart (see ChildDays). It is a pure function of the days: recomputing it from the class
// record always gives the same summary, so a Student's status can be cleared and restored.
func Summarize(days []v1.SchoolDay, termStart time.Time) ChildAttendance {
	s := ChildAttendance{Days: days, YearStart: FormatDate(termStart)}
	for _, d := range days {
		if string(d.Date) >= string(s.YearStart) {
			count(&s.Term, d.Mark)
		}
	}
	if s.Term != (v1.AbsenceCounts{}) {
		s.TermStart = s.YearStart
	}
	if run := CurrentRun(days); len(run) > 0 {
		s.ConsecutiveUnexcusedDays, s.AbsentSince = int32(len(run)), run[0]
	}
	return s
}

func count(c *v1.AbsenceCounts, m v1.Mark) {
	switch m {
	case v1.MarkUnexcused:
		c.Unexcused++
	case v1.MarkSickLeave:
		c.SickLeave++
	case v1.MarkPersonalLeave:
		c.PersonalLeave++
	case v1.MarkLeftWithoutLeave:
		c.LeftWithoutLeave++
	}
}

// IsUnexcused reports whether a mark counts towards the ladder: truancy (旷课) and leaving without
// leave. Sick and personal leave are excused.
func IsUnexcused(m v1.Mark) bool { return m == v1.MarkUnexcused || m == v1.MarkLeftWithoutLeave }

// CurrentRun lists, oldest first, the dates of the current run of unexcused absence: the
// unexcused days counted back from the latest day until a day present. Leave days neither count
// nor break the run.
func CurrentRun(days []v1.SchoolDay) []v1.Date {
	var run []v1.Date
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].Mark == v1.MarkPresent {
			break
		}
		if IsUnexcused(days[i].Mark) {
			run = append(run, days[i].Date)
		}
	}
	for i, j := 0, len(run)-1; i < j; i, j = i+1, j-1 {
		run[i], run[j] = run[j], run[i]
	}
	return run
}

// PresentDatesSince lists the days present after a date, oldest first.
func PresentDatesSince(days []v1.SchoolDay, after v1.Date) []v1.Date {
	var out []v1.Date
	for _, d := range days {
		if d.Date > after && d.Mark == v1.MarkPresent {
			out = append(out, d.Date)
		}
	}
	return out
}

// Runs lists every run of unexcused absence in the recorded days, oldest first; each run lists its
// dates oldest first. A day present ends a run; leave days neither count nor end it.
func Runs(days []v1.SchoolDay) [][]v1.Date {
	var runs [][]v1.Date
	var cur []v1.Date
	for _, d := range days {
		switch {
		case d.Mark == v1.MarkPresent:
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
		case IsUnexcused(d.Mark):
			cur = append(cur, d.Date)
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// LatestEpisode is the first day of the latest run long enough for a case, if any: the current
// run (which may reach back before the recorded days), or an earlier run within them. Reports that
// arrive in a batch can carry a whole episode at once (absent Monday to Wednesday, back on
// Thursday): the episode still gets its case, which then starts out Returned.
func LatestEpisode(s ChildAttendance, l Ladder) (time.Time, bool) {
	if s.ConsecutiveUnexcusedDays >= l.SchoolReportAfterDays {
		return MustDate(s.AbsentSince), true
	}
	runs := Runs(s.Days)
	for i := len(runs) - 1; i >= 0; i-- {
		if int32(len(runs[i])) >= l.SchoolReportAfterDays {
			return MustDate(runs[i][0]), true
		}
	}
	return time.Time{}, false
}

// CaseSpan is when an existing case of a child was on the ledger: from the day it opened to the
// day it closed (nil while it is open).
type CaseSpan struct {
	Opened   time.Time
	ClosedOn *time.Time
}

// EpisodeCovered reports whether an existing case already answers for an episode that began on
// start: a case opened on or before that day and still open on it. A relapse during a case's
// follow-up belongs to that case, even after the case has closed; only an episode that begins
// after every case closed is a new one (一生一案).
func EpisodeCovered(start time.Time, cases []CaseSpan) bool {
	for _, c := range cases {
		if !c.Opened.After(start) && (c.ClosedOn == nil || !c.ClosedOn.Before(start)) {
			return true
		}
	}
	return false
}
