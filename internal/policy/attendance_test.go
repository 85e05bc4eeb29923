package policy

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

var termStart = MustDate("2026-09-01")

func report(name string, date v1.Date, at int, absences map[string]v1.Mark) ClassReport {
	return ClassReport{Name: name, Date: MustDate(date), ReportedAt: time.Date(2026, 11, 1, 8, at, 0, 0, time.UTC), Absences: absences}
}

func abs(student string, m v1.Mark) map[string]v1.Mark { return map[string]v1.Mark{student: m} }

// fold folds the reports into a class record one at a time, as a controller seeing them arrive
// in this order would, and summarises amy's days.
func fold(reports ...ClassReport) ChildAttendance {
	var days []v1.ClassDay
	var seen []ClassReport
	for _, r := range reports {
		seen = append(seen, r)
		days = FoldReports(days, seen, func(v1.ClassDay) bool { return true })
	}
	return Summarize(ChildDays(days, "amy", ""), termStart)
}

func TestSummary(t *testing.T) {
	mon := report("mon", "2026-11-16", 0, nil)
	tue := report("tue", "2026-11-17", 0, abs("amy", v1.MarkUnexcused))
	wed := report("wed", "2026-11-18", 0, abs("amy", v1.MarkUnexcused))
	thuSick := report("thu", "2026-11-19", 0, abs("amy", v1.MarkSickLeave))
	fri := report("fri", "2026-11-20", 0, abs("amy", v1.MarkLeftWithoutLeave))
	cases := []struct {
		name        string
		reports     []ClassReport
		consecutive int32
		absentSince v1.Date
		schoolDays  int
		term        v1.AbsenceCounts
	}{
		{"zero report counts as a school day present", []ClassReport{mon}, 0, "", 1, v1.AbsenceCounts{}},
		{"two unexcused days", []ClassReport{mon, tue, wed}, 2, "2026-11-17", 3, v1.AbsenceCounts{Unexcused: 2}},
		{"sick leave neither counts nor breaks the run", []ClassReport{mon, tue, wed, thuSick, fri}, 3, "2026-11-17", 5,
			v1.AbsenceCounts{Unexcused: 2, SickLeave: 1, LeftWithoutLeave: 1}},
		{"late Monday report gives the same result", []ClassReport{tue, wed, mon}, 2, "2026-11-17", 3, v1.AbsenceCounts{Unexcused: 2}},
		{"duplicates count once", []ClassReport{mon, tue, tue, wed, mon, wed}, 2, "2026-11-17", 3, v1.AbsenceCounts{Unexcused: 2}},
		{"a later correction supersedes", []ClassReport{mon, tue, wed, report("wed-fix", "2026-11-18", 30, nil)}, 0, "", 3,
			v1.AbsenceCounts{Unexcused: 1}},
		{"an earlier report arriving after its correction loses", []ClassReport{mon, tue, report("wed-fix", "2026-11-18", 30, nil), wed}, 0, "", 3,
			v1.AbsenceCounts{Unexcused: 1}},
		{"days without a report are not school days", []ClassReport{tue, report("next-mon", "2026-11-23", 0, abs("amy", v1.MarkUnexcused))}, 2, "2026-11-17", 2,
			v1.AbsenceCounts{Unexcused: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := fold(c.reports...)
			if s.ConsecutiveUnexcusedDays != c.consecutive || s.AbsentSince != c.absentSince || len(s.Days) != c.schoolDays {
				t.Errorf("got consecutive=%d since=%q days=%d, want %d %q %d",
					s.ConsecutiveUnexcusedDays, s.AbsentSince, len(s.Days), c.consecutive, c.absentSince, c.schoolDays)
			}
			if s.Term != c.term {
				t.Errorf("term = %+v, want %+v", s.Term, c.term)
			}
		})
	}
}

func TestSummaryIndependentOfOrder(t *testing.T) {
	var reports []ClassReport
	for i := 0; i < 12; i++ {
		var a map[string]v1.Mark
		if i%5 > 1 {
			a = abs("amy", v1.MarkUnexcused)
		}
		reports = append(reports, report(fmt.Sprintf("r%02d", i), FormatDate(AddDays(MustDate("2026-11-02"), i)), 0, a))
	}
	want := fold(reports...)
	reversed := make([]ClassReport, len(reports))
	for i, r := range reports {
		reversed[len(reports)-1-i] = r
	}
	interleaved := append(append([]ClassReport{}, reports[6:]...), reports[:6]...)
	for name, order := range map[string][]ClassReport{"reversed": reversed, "interleaved": interleaved} {
		if got := fold(order...); !reflect.DeepEqual(got, want) {
			t.Errorf("%s order: got %+v, want %+v", name, got, want)
		}
	}
}

// The class record keeps the whole school year: pruned reports lose nothing, however long ago.
func TestRecordKeepsPrunedDays(t *testing.T) {
	reports := dailyReports("2026-09-01", 150, func(i int) v1.Mark {
		if i < 4 {
			return v1.MarkPersonalLeave
		}
		return v1.MarkPresent
	})
	days := FoldReports(nil, reports, func(v1.ClassDay) bool { return false })
	keptFrom := FormatDate(reports[140].Date)
	pruned := FoldReports(days, reports[140:], func(d v1.ClassDay) bool { return d.Date < keptFrom })
	if !reflect.DeepEqual(pruned, days) {
		t.Fatalf("after pruning the record has %d days, want %d", len(pruned), len(days))
	}
	s := Summarize(ChildDays(pruned, "amy", ""), termStart)
	if s.Term != (v1.AbsenceCounts{PersonalLeave: 4}) || len(s.Days) != 150 {
		t.Fatalf("term %+v over %d days, want 4 days of personal leave over 150", s.Term, len(s.Days))
	}
	// A child who joined the class later is counted from the day it joined.
	if joined := ChildDays(pruned, "amy", "2026-09-03"); len(joined) != 148 || joined[0].Mark != v1.MarkPersonalLeave {
		t.Fatalf("joined on the third day: %d days from %+v", len(joined), joined[0])
	}
}

// A report a person deleted takes its day with it, or gives the day back to the report it had
// superseded; a pruned report's day stays.
func TestDeletedReportLeavesNoTrace(t *testing.T) {
	bad := report("typo", "2026-11-16", 9, abs("amy", v1.MarkUnexcused))
	first := report("first", "2026-11-16", 0, nil)
	days := FoldReports(nil, []ClassReport{first, bad}, func(v1.ClassDay) bool { return false })
	if days[0].Report != "typo" {
		t.Fatalf("the later report should win: %+v", days)
	}
	withinRetention := func(v1.ClassDay) bool { return false }
	back := FoldReports(days, []ClassReport{first}, withinRetention)
	if len(back) != 1 || back[0].Report != "first" || len(back[0].Absences) != 0 {
		t.Fatalf("after deleting the later report: %+v, want the first report's day", back)
	}
	if gone := FoldReports(back, nil, withinRetention); len(gone) != 0 {
		t.Fatalf("after deleting every report of the day: %+v, want no day", gone)
	}
	if kept := FoldReports(back, nil, func(v1.ClassDay) bool { return true }); len(kept) != 1 {
		t.Fatalf("a pruned report's day went: %+v", kept)
	}
}

func TestChangedDates(t *testing.T) {
	mon, tue := report("mon", "2026-11-16", 0, nil), report("tue", "2026-11-17", 0, nil)
	before := FoldReports(nil, []ClassReport{mon}, func(v1.ClassDay) bool { return true })
	after := FoldReports(before, []ClassReport{tue}, func(v1.ClassDay) bool { return true })
	if got := ChangedDates(before, after); len(got) != 1 || got[0].Date != "2026-11-17" {
		t.Fatalf("changed %+v, want only 2026-11-17", got)
	}
	if got := ChangedDates(after, after); len(got) != 0 {
		t.Fatalf("no change reported %+v", got)
	}
	fix := report("mon-fix", "2026-11-16", 5, abs("amy", v1.MarkUnexcused))
	fixed := FoldReports(after, []ClassReport{fix}, func(v1.ClassDay) bool { return true })
	if got := ChangedDates(after, fixed); len(got) != 2 || got[0].Report != "mon-fix" || got[1].Report != "mon" {
		t.Fatalf("a correction should list the new and the old day: %+v", got)
	}
}

func TestSupersededBy(t *testing.T) {
	a := report("a", "2026-11-16", 0, nil)
	b := report("b", "2026-11-16", 5, nil)
	c := report("c", "2026-11-17", 9, nil)
	all := []ClassReport{a, b, c}
	if got := SupersededBy(a, all); got != "b" {
		t.Errorf("SupersededBy(a) = %q, want b", got)
	}
	if got := SupersededBy(b, all); got != "" {
		t.Errorf("SupersededBy(b) = %q, want none", got)
	}
	tie := report("a2", "2026-11-16", 5, nil)
	if got := SupersededBy(tie, append(all, tie)); got != "b" {
		t.Errorf("tie broken by name: got %q, want b", got)
	}
}

func TestLatestEpisode(t *testing.T) {
	cases := []struct {
		pattern string
		want    v1.Date
		ok      bool
	}{
		{"PUU", "", false},
		{"PUUU", "2026-11-03", true},
		{"PUUUPP", "2026-11-03", true}, // a whole episode in one batch still opens its case
		{"PUSUUP", "2026-11-03", true}, // leave does not break the run
		{"UUUPUUUUP", "2026-11-06", true},
		{"UUUPUP", "2026-11-02", true},
	}
	for _, c := range cases {
		got, ok := LatestEpisode(attendance(c.pattern), DefaultLadder)
		if ok != c.ok || (ok && FormatDate(got) != c.want) {
			t.Errorf("%s: got %s %v, want %s %v", c.pattern, FormatDate(got), ok, c.want, c.ok)
		}
	}
}

// dailyReports are n consecutive calendar days of one-child roll calls from start, marked by mark(i).
func dailyReports(start v1.Date, n int, mark func(i int) v1.Mark) []ClassReport {
	var out []ClassReport
	for i := 0; i < n; i++ {
		var a map[string]v1.Mark
		if m := mark(i); m != v1.MarkPresent {
			a = abs("amy", m)
		}
		out = append(out, report(fmt.Sprintf("r%03d", i), FormatDate(AddDays(MustDate(start), i)), 0, a))
	}
	return out
}

// A run longer than any window keeps its length and first day, day after day, with the reports
// pruned as they age.
func TestLongRun(t *testing.T) {
	const present, away = 5, 130
	reports := dailyReports("2026-09-01", present+away, func(i int) v1.Mark {
		if i < present {
			return v1.MarkPresent
		}
		return v1.MarkUnexcused
	})
	firstAway := FormatDate(AddDays(termStart, present))
	var days []v1.ClassDay
	for day := range reports {
		days = FoldReports(days, reports[day:day+1], func(v1.ClassDay) bool { return true })
		s := Summarize(ChildDays(days, "amy", ""), termStart)
		if want := int32(max(0, day+1-present)); s.ConsecutiveUnexcusedDays != want {
			t.Fatalf("day %d: %d consecutive days, want %d", day, s.ConsecutiveUnexcusedDays, want)
		}
		if day >= present && s.AbsentSince != firstAway {
			t.Fatalf("day %d: absent since %s, want %s", day, s.AbsentSince, firstAway)
		}
	}
	back := report("back", FormatDate(AddDays(termStart, present+away)), 0, nil)
	days = FoldReports(days, []ClassReport{back}, func(v1.ClassDay) bool { return true })
	if s := Summarize(ChildDays(days, "amy", ""), termStart); s.ConsecutiveUnexcusedDays != 0 || s.AbsentSince != "" || s.Term.Unexcused != away {
		t.Fatalf("after a day present: %d days since %q, term %+v", s.ConsecutiveUnexcusedDays, s.AbsentSince, s.Term)
	}
}

func TestEpisodeCovered(t *testing.T) {
	d := func(s v1.Date) *time.Time { t := MustDate(s); return &t }
	closedCase := CaseSpan{Opened: MustDate("2026-11-03"), ClosedOn: d("2026-12-10")}
	openCase := CaseSpan{Opened: MustDate("2026-11-03")}
	cases := []struct {
		name  string
		start v1.Date
		cases []CaseSpan
		want  bool
	}{
		{"no case yet", "2026-11-03", nil, false},
		{"the case's own episode, still open", "2026-11-03", []CaseSpan{openCase}, true},
		{"the case's own episode, closed by decision while the child is away", "2026-11-03", []CaseSpan{closedCase}, true},
		{"a relapse during the follow-up of a case that closed later", "2026-11-20", []CaseSpan{closedCase}, true},
		{"a relapse on the day the case closed", "2026-12-10", []CaseSpan{closedCase}, true},
		{"a new episode after the case closed", "2027-03-01", []CaseSpan{closedCase}, false},
		{"an episode before any case", "2026-10-01", []CaseSpan{closedCase}, false},
	}
	for _, c := range cases {
		if got := EpisodeCovered(MustDate(c.start), c.cases); got != c.want {
			t.Errorf("%s: covered = %v, want %v", c.name, got, c.want)
		}
	}
}
