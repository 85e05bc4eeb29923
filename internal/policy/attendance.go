package policy

import (
	"sort"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// MaxRecentDays is how many reported school days a Student keeps in status.attendance.recent.
// Older days are folded into the carried counts. Sixty school days cover the longest ladder and
// follow-up period with room to spare, and keep a Student object small.
const MaxRecentDays = 60

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

// MergeDays puts the student's mark from each of its class's latest reports into the recorded
// days. A student a report does not name was present. Recorded days without a report in the cache
// (pruned reports, or the class the child was in before) are kept. The result is sorted by date
// and does not depend on the order the reports arrived in.
//
// Once the record is full (MaxRecentDays), a report for a day older than its first day is too
// late: that part of the year is already folded into the carried counts, and merging it again
// would count it twice.
func MergeDays(recorded []v1.SchoolDay, reports []ClassReport, student string) []v1.SchoolDay {
	byDate := make(map[v1.Date]v1.SchoolDay, len(recorded)+len(reports))
	for _, d := range recorded {
		byDate[d.Date] = d
	}
	var foldedBefore v1.Date
	if len(recorded) >= MaxRecentDays {
		foldedBefore = recorded[0].Date
	}
	for date, r := range LatestPerDate(reports) {
		day := FormatDate(date)
		if day < foldedBefore {
			continue
		}
		mark, absent := r.Absences[student]
		if !absent {
			mark = v1.MarkPresent
		}
		byDate[day] = v1.SchoolDay{Date: day, Mark: mark}
	}
	days := make([]v1.SchoolDay, 0, len(byDate))
	for _, d := range byDate {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	return days
}

// Summarize computes the attendance summary from the merged days. Days beyond MaxRecentDays are
// folded into the carried counts of the school year starting termStart; a new school year starts
// the counts afresh. A run of unexcused absence longer than the recorded days keeps its length and
// first day: the part already folded away is carried over from prev.
func Summarize(prev v1.AttendanceSummary, days []v1.SchoolDay, termStart time.Time) v1.AttendanceSummary {
	carried := prev.Carried
	if prev.TermStart != FormatDate(termStart) {
		carried = v1.AbsenceCounts{}
	}
	runBefore := foldedRun(prev)
	var folded []v1.SchoolDay
	if extra := len(days) - MaxRecentDays; extra > 0 {
		folded, days = days[:extra], days[extra:]
		for _, d := range folded {
			if string(d.Date) >= string(FormatDate(termStart)) {
				count(&carried, d.Mark)
			}
		}
	}
	s := v1.AttendanceSummary{TermStart: FormatDate(termStart), Carried: carried, Term: carried, Recent: days}
	for _, d := range days {
		if string(d.Date) >= string(s.TermStart) {
			count(&s.Term, d.Mark)
		}
	}
	if len(days) > 0 {
		s.LastReported = days[len(days)-1].Date
	}
	for i := len(days) - 1; i >= 0; i-- {
		if days[i].Mark == v1.MarkPresent {
			s.LastPresent = days[i].Date
			break
		}
	}
	run := currentRunAcross(runBefore, folded, days)
	s.ConsecutiveUnexcusedDays, s.AbsentSince = run.days, run.since
	s.PresentSinceReturn = presentSinceLastUnexcused(days)
	return s
}

// runSpan is (part of) a run of unexcused absence: how many school days, from which day.
type runSpan struct {
	days  int32
	since v1.Date
}

// foldedRun is the part of prev's current run that lies before its recorded days: their dates
// were folded away, but prev's length and first day of the run still tell it.
func foldedRun(prev v1.AttendanceSummary) runSpan {
	if len(prev.Recent) == 0 || hasPresent(prev.Recent) {
		return runSpan{}
	}
	n := prev.ConsecutiveUnexcusedDays - int32(len(CurrentRun(prev.Recent)))
	if n <= 0 {
		return runSpan{}
	}
	return runSpan{days: n, since: prev.AbsentSince}
}

// currentRunAcross counts the current run back through the recorded days, then the days folded
// now, then the part folded before, stopping at the latest day present.
func currentRunAcross(before runSpan, folded, recent []v1.SchoolDay) runSpan {
	var span runSpan
	for _, part := range [][]v1.SchoolDay{recent, folded} {
		if run := CurrentRun(part); len(run) > 0 {
			span.days += int32(len(run))
			span.since = run[0]
		}
		if hasPresent(part) {
			return span
		}
	}
	if before.days > 0 {
		span.days += before.days
		span.since = before.since
	}
	return span
}

func hasPresent(days []v1.SchoolDay) bool {
	for _, d := range days {
		if d.Mark == v1.MarkPresent {
			return true
		}
	}
	return false
}

func count(c *v1.AbsenceCounts, m v1.Mark) {
	c.SchoolDays++
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

func presentSinceLastUnexcused(days []v1.SchoolDay) int32 {
	var n int32
	for i := len(days) - 1; i >= 0 && !IsUnexcused(days[i].Mark); i-- {
		if days[i].Mark == v1.MarkPresent {
			n++
		}
	}
	return n
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
func LatestEpisode(s v1.AttendanceSummary, l Ladder) (time.Time, bool) {
	if s.ConsecutiveUnexcusedDays >= l.SchoolReportAfterDays {
		return MustDate(s.AbsentSince), true
	}
	runs := Runs(s.Recent)
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
