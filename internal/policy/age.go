package policy

import (
	"fmt"
	"strings"
	"time"
)

// SchoolAgeRules decide when compulsory education begins and ends for a child. The defaults follow
// the policy documents: a child who is 6 by 31 August enrols that September, and compulsory
// education lasts nine school years. Counties may change the cut-off.
type SchoolAgeRules struct {
	EntryAge     int        // age reached by the cut-off that makes a child enrol that September
	CutoffMonth  time.Month // month of the cut-off (inclusive)
	CutoffDay    int        // day of the cut-off (inclusive)
	Years        int        // school years of compulsory education
	YearStartDay int        // day of September the school year starts (1)
}

// DefaultSchoolAgeRules: 6 years old by 31 August, nine years.
var DefaultSchoolAgeRules = SchoolAgeRules{EntryAge: 6, CutoffMonth: time.August, CutoffDay: 31, Years: 9, YearStartDay: 1}

// Age is the child's age in whole years on a date. A child born on 29 February becomes a year
// older on 1 March in common years.
func Age(birth, on time.Time) int {
	years := on.Year() - birth.Year()
	if birthdayAfter(birth, on) {
		years--
	}
	return years
}

// birthdayAfter reports whether the birthday in on's year falls after on. A 29 February birthday
// falls on 1 March in common years.
func birthdayAfter(birth, on time.Time) bool {
	bm, bd := birth.Month(), birth.Day()
	if bm == time.February && bd == 29 && !isLeap(on.Year()) {
		bm, bd = time.March, 1
	}
	if on.Month() != bm {
		return on.Month() < bm
	}
	return on.Day() < bd
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// EntryYear is the year in whose September the child must start grade 1.
func (r SchoolAgeRules) EntryYear(birth time.Time) int {
	cutoff := time.Date(birth.Year()+r.EntryAge, r.CutoffMonth, r.CutoffDay, 0, 0, 0, 0, time.UTC)
	if Age(birth, cutoff) >= r.EntryAge {
		return birth.Year() + r.EntryAge
	}
	return birth.Year() + r.EntryAge + 1
}

// SchoolAgeWindow is the first and last day of the child's compulsory schooling: from the start of
// the entry school year to the day before the school year after the last one.
func (r SchoolAgeRules) SchoolAgeWindow(birth time.Time) (first, last time.Time) {
	entry := r.EntryYear(birth)
	first = time.Date(entry, time.September, r.YearStartDay, 0, 0, 0, 0, time.UTC)
	last = AddDays(time.Date(entry+r.Years, time.September, r.YearStartDay, 0, 0, 0, 0, time.UTC), -1)
	return first, last
}

// IsSchoolAge reports whether the child is of compulsory-education age on a date.
func (r SchoolAgeRules) IsSchoolAge(birth, on time.Time) bool {
	first, last := r.SchoolAgeWindow(birth)
	return !on.Before(first) && !on.After(last)
}

// SchoolYearStart is the first day of the school year that contains the date.
func (r SchoolAgeRules) SchoolYearStart(on time.Time) time.Time {
	start := time.Date(on.Year(), time.September, r.YearStartDay, 0, 0, 0, 0, time.UTC)
	if on.Before(start) {
		start = start.AddDate(-1, 0, 0)
	}
	return start
}

// ParseCutoffs reads the enrolment cut-off setting: a default MM-DD, then optional
// NAMESPACE=MM-DD overrides for counties with their own rule, all separated by commas, for
// example "08-31,county-b=09-30". The rest of base (entry age, years) is kept.
func ParseCutoffs(setting string, base SchoolAgeRules) (SchoolAgeRules, map[string]SchoolAgeRules, error) {
	def, counties := base, map[string]SchoolAgeRules{}
	for i, part := range strings.Split(setting, ",") {
		part = strings.TrimSpace(part)
		county, date, override := strings.Cut(part, "=")
		if !override {
			county, date = "", part
		}
		if override != (i > 0) {
			return def, nil, fmt.Errorf("%q: give the default cut-off first (MM-DD), then NAMESPACE=MM-DD for counties with their own", part)
		}
		t, err := time.Parse("01-02", strings.TrimSpace(date))
		if err != nil || (t.Month() == time.February && t.Day() == 29) {
			return def, nil, fmt.Errorf("%q: a cut-off is a month and day MM-DD (not 02-29), for example 08-31", part)
		}
		rules := base
		rules.CutoffMonth, rules.CutoffDay = t.Month(), t.Day()
		if county = strings.TrimSpace(county); county == "" && override {
			return def, nil, fmt.Errorf("%q: the namespace is missing before =", part)
		}
		if override {
			counties[county] = rules
		} else {
			def = rules
		}
	}
	return def, counties, nil
}
