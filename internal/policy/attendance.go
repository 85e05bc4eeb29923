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
func MergeDays(recorded []v1.SchoolDay, reports []ClassReport, student string) []v1.SchoolDay {
	byDate := make(map[v1.Date]v1.SchoolDay, len(recorded)+len(reports))
	for _, d := range recorded {
		byDate[d.Date] = d
	}
	for date, r := range LatestPerDate(reports) {
		mark, absent := r.Absences[student]
		if !absent {
			mark = v1.MarkPresent
		}
		byDate[FormatDate(date)] = v1.SchoolDay{Date: FormatDate(date), Mark: mark}
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
// the counts afresh.
func Summarize(prev v1.AttendanceSummary, days []v1.SchoolDay, termStart time.Time) v1.AttendanceSummary {
	carried := prev.Carried
	if prev.TermStart != FormatDate(termStart) {
		carried = v1.AbsenceCounts{}
	}
	if extra := len(days) - MaxRecentDays; extra > 0 {
		for _, d := range days[:extra] {
			if string(d.Date) >= string(FormatDate(termStart)) {
				count(&carried, d.Mark)
			}
		}
		days = days[extra:]
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
	run := CurrentRun(days)
	s.ConsecutiveUnexcusedDays = int32(len(run))
	if len(run) > 0 {
		s.AbsentSince = run[0]
	}
	s.PresentSinceReturn = presentSinceLastUnexcused(days)
	return s
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

// LatestEpisode is the first day of the latest run long enough for a case, if any. Reports that
// arrive in a batch can carry a whole episode at once (absent Monday to Wednesday, back on
// Thursday): the episode still gets its case, which then starts out Returned.
func LatestEpisode(days []v1.SchoolDay, l Ladder) (time.Time, bool) {
	runs := Runs(days)
	for i := len(runs) - 1; i >= 0; i-- {
		if int32(len(runs[i])) >= l.SchoolReportAfterDays {
			return MustDate(runs[i][0]), true
		}
	}
	return time.Time{}, false
}
