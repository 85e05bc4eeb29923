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

// summarize runs the reports through MergeDays one at a time, as a controller seeing them arrive
// in this order would.
func summarize(reports ...ClassReport) v1.AttendanceSummary {
	var s v1.AttendanceSummary
	var seen []ClassReport
	for _, r := range reports {
		seen = append(seen, r)
		s = Summarize(s, MergeDays(s.Recent, seen, "amy"), termStart)
	}
	return s
}

func TestSummary(t *testing.T) {
	mon := report("mon", "2026-11-16", 0, nil)
	tue := report("tue", "2026-11-17", 0, abs("amy", v1.MarkUnexcused))
	wed := report("wed", "2026-11-18", 0, abs("amy", v1.MarkUnexcused))
	thuSick := report("thu", "2026-11-19", 0, abs("amy", v1.MarkSickLeave))
	fri := report("fri", "2026-11-20", 0, abs("amy", v1.MarkLeftWithoutLeave))
	cases := []struct {
		name                 string
		reports              []ClassReport
		consecutive, present int32
		absentSince          v1.Date
		lastPresent          v1.Date
		term                 v1.AbsenceCounts
	}{
		{"zero report counts as a school day present", []ClassReport{mon}, 0, 1, "", "2026-11-16", v1.AbsenceCounts{SchoolDays: 1}},
		{"two unexcused days", []ClassReport{mon, tue, wed}, 2, 0, "2026-11-17", "2026-11-16", v1.AbsenceCounts{SchoolDays: 3, Unexcused: 2}},
		{"sick leave neither counts nor breaks the run", []ClassReport{mon, tue, wed, thuSick, fri}, 3, 0, "2026-11-17", "2026-11-16",
			v1.AbsenceCounts{SchoolDays: 5, Unexcused: 2, SickLeave: 1, LeftWithoutLeave: 1}},
		{"late Monday report gives the same result", []ClassReport{tue, wed, mon}, 2, 0, "2026-11-17", "2026-11-16", v1.AbsenceCounts{SchoolDays: 3, Unexcused: 2}},
		{"duplicates count once", []ClassReport{mon, tue, tue, wed, mon, wed}, 2, 0, "2026-11-17", "2026-11-16", v1.AbsenceCounts{SchoolDays: 3, Unexcused: 2}},
		{"a later correction supersedes", []ClassReport{mon, tue, wed, report("wed-fix", "2026-11-18", 30, nil)}, 0, 1, "", "2026-11-18",
			v1.AbsenceCounts{SchoolDays: 3, Unexcused: 1}},
		{"an earlier report arriving after its correction loses", []ClassReport{mon, tue, report("wed-fix", "2026-11-18", 30, nil), wed}, 0, 1, "", "2026-11-18",
			v1.AbsenceCounts{SchoolDays: 3, Unexcused: 1}},
		{"days without a report are not school days", []ClassReport{tue, report("next-mon", "2026-11-23", 0, abs("amy", v1.MarkUnexcused))}, 2, 0, "2026-11-17", "",
			v1.AbsenceCounts{SchoolDays: 2, Unexcused: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := summarize(c.reports...)
			if s.ConsecutiveUnexcusedDays != c.consecutive || s.AbsentSince != c.absentSince || s.LastPresent != c.lastPresent || s.PresentSinceReturn != c.present {
				t.Errorf("got consecutive=%d since=%q lastPresent=%q presentSinceReturn=%d, want %d %q %q %d",
					s.ConsecutiveUnexcusedDays, s.AbsentSince, s.LastPresent, s.PresentSinceReturn, c.consecutive, c.absentSince, c.lastPresent, c.present)
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
	want := summarize(reports...)
	reversed := make([]ClassReport, len(reports))
	for i, r := range reports {
		reversed[len(reports)-1-i] = r
	}
	interleaved := append(append([]ClassReport{}, reports[6:]...), reports[:6]...)
	for name, order := range map[string][]ClassReport{"reversed": reversed, "interleaved": interleaved} {
		if got := summarize(order...); !reflect.DeepEqual(got, want) {
			t.Errorf("%s order: got %+v, want %+v", name, got, want)
		}
	}
}

func TestSummaryFoldsOldDaysIntoCarriedCounts(t *testing.T) {
	var reports []ClassReport
	for i := 0; i < MaxRecentDays+10; i++ {
		var a map[string]v1.Mark
		if i < 4 {
			a = abs("amy", v1.MarkPersonalLeave)
		}
		reports = append(reports, report(fmt.Sprintf("r%03d", i), FormatDate(AddDays(termStart, i)), 0, a))
	}
	s := Summarize(v1.AttendanceSummary{}, MergeDays(nil, reports, "amy"), termStart)
	if len(s.Recent) != MaxRecentDays {
		t.Fatalf("recent has %d days, want %d", len(s.Recent), MaxRecentDays)
	}
	want := v1.AbsenceCounts{SchoolDays: int32(MaxRecentDays + 10), PersonalLeave: 4}
	if s.Term != want || s.Carried != (v1.AbsenceCounts{SchoolDays: 10, PersonalLeave: 4}) {
		t.Fatalf("term %+v carried %+v, want term %+v", s.Term, s.Carried, want)
	}
	// Re-summarising with the reports pruned keeps the same counts.
	again := Summarize(s, MergeDays(s.Recent, nil, "amy"), termStart)
	if again.Term != s.Term {
		t.Fatalf("after pruning term %+v, want %+v", again.Term, s.Term)
	}
	// A new school year starts the counts afresh.
	next := Summarize(s, MergeDays(s.Recent, nil, "amy"), MustDate("2027-09-01"))
	if next.Term.SchoolDays != 0 {
		t.Fatalf("new school year term = %+v, want zero", next.Term)
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

// A run longer than the recorded days keeps its length and first day, day after day, with every
// report still in the cache or long pruned.
func TestRunLongerThanTheRecordedDays(t *testing.T) {
	const present, away = 5, MaxRecentDays + 30
	reports := dailyReports("2026-09-01", present+away, func(i int) v1.Mark {
		if i < present {
			return v1.MarkPresent
		}
		return v1.MarkUnexcused
	})
	firstAway := FormatDate(AddDays(termStart, present))
	for _, cached := range []struct {
		name   string
		window int // how many of the latest reports are still in the cache
	}{{"all reports cached", len(reports)}, {"only today's report cached", 1}} {
		t.Run(cached.name, func(t *testing.T) {
			var s v1.AttendanceSummary
			for day := range reports {
				from := max(0, day+1-cached.window)
				s = Summarize(s, MergeDays(s.Recent, reports[from:day+1], "amy"), termStart)
				if want := int32(max(0, day+1-present)); s.ConsecutiveUnexcusedDays != want {
					t.Fatalf("day %d: %d consecutive days, want %d", day, s.ConsecutiveUnexcusedDays, want)
				}
				if day >= present && s.AbsentSince != firstAway {
					t.Fatalf("day %d: absent since %s, want %s", day, s.AbsentSince, firstAway)
				}
			}
			if want := (v1.AbsenceCounts{SchoolDays: present + away, Unexcused: away}); s.Term != want {
				t.Fatalf("term %+v, want %+v", s.Term, want)
			}
			// Back at school: the run ends.
			back := report("back", FormatDate(AddDays(termStart, present+away)), 0, nil)
			if s = Summarize(s, MergeDays(s.Recent, []ClassReport{back}, "amy"), termStart); s.ConsecutiveUnexcusedDays != 0 || s.AbsentSince != "" {
				t.Fatalf("after a day present: %d days since %q", s.ConsecutiveUnexcusedDays, s.AbsentSince)
			}
		})
	}
}

// Reports of days already folded into the carried counts are not counted again while they stay in
// the cache (a back-fill longer than the recorded days, or a long retention).
func TestFoldedDaysAreNotCountedTwice(t *testing.T) {
	reports := dailyReports("2026-09-01", MaxRecentDays+10, func(i int) v1.Mark {
		if i%7 == 3 {
			return v1.MarkSickLeave
		}
		return v1.MarkPresent
	})
	s := Summarize(v1.AttendanceSummary{}, MergeDays(nil, reports, "amy"), termStart)
	first := s.Term
	for i := 0; i < 3; i++ {
		s = Summarize(s, MergeDays(s.Recent, reports, "amy"), termStart)
	}
	if s.Term != first || first.SchoolDays != MaxRecentDays+10 {
		t.Fatalf("term after re-summarising %+v, first %+v, want %d school days once", s.Term, first, MaxRecentDays+10)
	}
	// A late report for a day before the recorded ones cannot change the folded counts.
	late := report("late", "2026-08-31", 0, abs("amy", v1.MarkUnexcused))
	if again := Summarize(s, MergeDays(s.Recent, append(reports, late), "amy"), termStart); again.Term != first {
		t.Fatalf("a report older than the recorded days changed the term: %+v", again.Term)
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
