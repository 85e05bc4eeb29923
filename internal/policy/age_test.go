package policy

import (
	"reflect"
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestAge(t *testing.T) {
	cases := []struct {
		birth, on v1.Date
		want      int
	}{
		{"2020-03-15", "2026-03-14", 5},
		{"2020-03-15", "2026-03-15", 6},
		{"2020-02-29", "2026-02-28", 5}, // leap-day child in a common year: a year older on 1 March
		{"2020-02-29", "2026-03-01", 6},
		{"2020-02-29", "2028-02-29", 8},
		{"2020-12-31", "2026-12-30", 5},
	}
	for _, c := range cases {
		if got := Age(MustDate(c.birth), MustDate(c.on)); got != c.want {
			t.Errorf("Age(%s, %s) = %d, want %d", c.birth, c.on, got, c.want)
		}
	}
}

func TestSchoolAge(t *testing.T) {
	r := DefaultSchoolAgeRules
	cases := []struct {
		name      string
		birth, on v1.Date
		entryYear int
		schoolAge bool
	}{
		{"6 on the cut-off day enrols that September", "2020-08-31", "2026-09-01", 2026, true},
		{"6 the day after the cut-off waits a year", "2020-09-01", "2026-09-01", 2027, false},
		{"the same child is school age a year later", "2020-09-01", "2027-09-01", 2027, true},
		{"leap-day child, cut-off 31 August", "2020-02-29", "2026-09-01", 2026, true},
		{"not yet school age in the summer before entry", "2020-05-01", "2026-08-31", 2026, false},
		{"last day of the ninth school year", "2011-05-01", "2026-08-31", 2017, true},
		{"compulsory schooling over after nine years", "2011-05-01", "2026-09-01", 2017, false},
		{"a 7-year-old is school age", "2019-06-01", "2026-11-22", 2025, true},
		{"a 5-year-old is not", "2021-06-01", "2026-11-22", 2027, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := MustDate(c.birth)
			if got := r.EntryYear(b); got != c.entryYear {
				t.Errorf("EntryYear = %d, want %d", got, c.entryYear)
			}
			if got := r.IsSchoolAge(b, MustDate(c.on)); got != c.schoolAge {
				t.Errorf("IsSchoolAge(%s) = %v, want %v", c.on, got, c.schoolAge)
			}
		})
	}
}

func TestSchoolAgeCutoffIsConfigurable(t *testing.T) {
	r := DefaultSchoolAgeRules
	r.CutoffMonth, r.CutoffDay = 12, 31 // some counties: 6 by the end of the year
	if got := r.EntryYear(MustDate("2020-11-30")); got != 2026 {
		t.Fatalf("EntryYear with a December cut-off = %d, want 2026", got)
	}
}

func TestSchoolYearStart(t *testing.T) {
	r := DefaultSchoolAgeRules
	for on, want := range map[v1.Date]v1.Date{"2026-11-22": "2026-09-01", "2027-03-01": "2026-09-01", "2026-09-01": "2026-09-01", "2026-08-31": "2025-09-01"} {
		if got := FormatDate(r.SchoolYearStart(MustDate(on))); got != want {
			t.Errorf("SchoolYearStart(%s) = %s, want %s", on, got, want)
		}
	}
}

func TestParseCutoffs(t *testing.T) {
	sep := func(m time.Month, d int) SchoolAgeRules {
		r := DefaultSchoolAgeRules
		r.CutoffMonth, r.CutoffDay = m, d
		return r
	}
	good := []struct {
		setting  string
		def      SchoolAgeRules
		counties map[string]SchoolAgeRules
	}{
		{"08-31", DefaultSchoolAgeRules, map[string]SchoolAgeRules{}},
		{"08-31, county-b=09-30", DefaultSchoolAgeRules, map[string]SchoolAgeRules{"county-b": sep(time.September, 30)}},
		{"09-01,a=08-31,b=12-31", sep(time.September, 1), map[string]SchoolAgeRules{"a": DefaultSchoolAgeRules, "b": sep(time.December, 31)}},
	}
	for _, c := range good {
		def, counties, err := ParseCutoffs(c.setting, DefaultSchoolAgeRules)
		if err != nil || def != c.def || !reflect.DeepEqual(counties, c.counties) {
			t.Errorf("%q: %+v %+v %v", c.setting, def, counties, err)
		}
	}
	for _, bad := range []string{"", "8/31", "02-29", "county-b=09-30", "08-31,09-30", "08-31,=09-30", "08-31,b=13-01"} {
		if _, _, err := ParseCutoffs(bad, DefaultSchoolAgeRules); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
