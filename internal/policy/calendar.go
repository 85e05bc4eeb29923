package policy

import (
	"fmt"
	"sort"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Calendar is the county's school terms with every setting filled in (terms.calendar).
type Calendar struct {
	Terms                 []v1.SchoolTerm
	SweepAfterDays        int
	SilentAfterSchoolDays int
}

// DefaultCalendar: the autumn term opens the school year on 1 September (秋季学期 9月1日), the
// spring term starts on 1 March; the sweep looks a week after a term's first day.
var DefaultCalendar = Calendar{
	Terms:                 []v1.SchoolTerm{{Start: "09-01", End: "01-31"}, {Start: "03-01", End: "07-15"}},
	SweepAfterDays:        7,
	SilentAfterSchoolDays: DefaultSilentAfterSchoolDays,
}

// CalendarFrom fills the unset settings of merged terms with the defaults.
func CalendarFrom(t v1.Terms) Calendar {
	c := DefaultCalendar
	if len(t.Calendar.Terms) > 0 {
		c.Terms = t.Calendar.Terms
	}
	if t.Calendar.SweepAfterDays != nil {
		c.SweepAfterDays = int(*t.Calendar.SweepAfterDays)
	}
	if t.Calendar.SilentAfterSchoolDays != nil {
		c.SilentAfterSchoolDays = int(*t.Calendar.SilentAfterSchoolDays)
	}
	return c
}

// mergeCalendarTerms overrides the calendar from a narrower agreement's terms: the narrowest
// agreement that lists terms lists them all.
func mergeCalendarTerms(out *v1.Terms, t v1.Terms) {
	if t.Calendar.Terms != nil {
		out.Calendar.Terms = append([]v1.SchoolTerm(nil), t.Calendar.Terms...)
	}
	override(&out.Calendar.SweepAfterDays, t.Calendar.SweepAfterDays)
	override(&out.Calendar.SilentAfterSchoolDays, t.Calendar.SilentAfterSchoolDays)
}

// Term is one term of one year: its first and last day, and its sweep day.
type Term struct {
	Start, End, SweepDay time.Time
}

// TermOf is the term that started most recently on or before today; ok is false when today is in
// the holidays after that term's end (no sweep runs then).
func (c Calendar) TermOf(today time.Time) (Term, bool) {
	var starts []Term
	for _, year := range []int{today.Year() - 1, today.Year()} {
		for _, t := range c.Terms {
			start, err := monthDay(year, t.Start)
			if err != nil {
				continue
			}
			end, err := monthDay(year, t.End)
			if err != nil {
				continue
			}
			if end.Before(start) {
				end = end.AddDate(1, 0, 0) // an autumn term ends in January of the next year
			}
			starts = append(starts, Term{Start: start, End: end, SweepDay: AddDays(start, c.SweepAfterDays)})
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Start.Before(starts[j].Start) })
	var cur Term
	found := false
	for _, t := range starts {
		if !t.Start.After(today) {
			cur, found = t, true
		}
	}
	return cur, found && !today.After(cur.End)
}

// NextSweepDay is the first sweep day after today: the day time alone can open sweep cases.
func (c Calendar) NextSweepDay(today time.Time) (time.Time, bool) {
	var next time.Time
	for _, year := range []int{today.Year(), today.Year() + 1} {
		for _, t := range c.Terms {
			start, err := monthDay(year, t.Start)
			if err != nil {
				continue
			}
			if d := AddDays(start, c.SweepAfterDays); d.After(today) && (next.IsZero() || d.Before(next)) {
				next = d
			}
		}
	}
	return next, !next.IsZero()
}

func monthDay(year int, md v1.MonthDay) (time.Time, error) {
	t, err := time.Parse("2006-01-02", fmt.Sprintf("%04d-%s", year, md))
	if err != nil {
		return time.Time{}, fmt.Errorf("term day %q: %w", md, err)
	}
	return t, nil
}
