package policy

import (
	"fmt"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// A calendar date is carried as a time.Time at midnight UTC, so that adding days never meets a
// daylight-saving jump and dates compare with Before/After/Equal.

const dateLayout = "2006-01-02"

// ParseDate parses an API date (YYYY-MM-DD).
func ParseDate(d v1.Date) (time.Time, error) {
	t, err := time.Parse(dateLayout, string(d))
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD: %w", d, err)
	}
	return t, nil
}

// MustDate parses a date known to be valid (tests, constants).
func MustDate(d v1.Date) time.Time {
	t, err := ParseDate(d)
	if err != nil {
		panic(err)
	}
	return t
}

// FormatDate renders a calendar date for the API.
func FormatDate(t time.Time) v1.Date { return v1.Date(t.Format(dateLayout)) }

// LocalDate is the calendar date of an instant in the county's time zone.
func LocalDate(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StartOfDay is the instant a calendar date begins in the county's time zone.
func StartOfDay(date time.Time, loc *time.Location) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// AddDays moves a calendar date by n days.
func AddDays(date time.Time, n int) time.Time { return date.AddDate(0, 0, n) }
