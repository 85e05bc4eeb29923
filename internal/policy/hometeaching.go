package policy

import (
	"time"
)

// HomeTeachingRule is the 送教上门 rule: "每周送教不少于2次，每次不少于3个学时".
type HomeTeachingRule struct {
	SessionsPerWeek int
	MinHours        float64
}

// DefaultHomeTeachingRule is the rule of the policy documents.
var DefaultHomeTeachingRule = HomeTeachingRule{SessionsPerWeek: 2, MinHours: 3}

// Session is one home-teaching visit: its day and its length in class hours (学时).
type Session struct {
	Date  time.Time
	Hours float64
}

// ShortWeeks lists the Mondays of the complete weeks (Monday to Sunday) from the week of from up
// to the week before today's in which fewer sessions of at least MinHours took place than the
// rule requires. The current week is not judged until it is over.
func ShortWeeks(sessions []Session, from, today time.Time, rule HomeTeachingRule) []time.Time {
	counted := map[time.Time]int{}
	for _, s := range sessions {
		if s.Hours >= rule.MinHours {
			counted[monday(s.Date)]++
		}
	}
	var short []time.Time
	for w := monday(from); w.Before(monday(today)); w = AddDays(w, 7) {
		if counted[w] < rule.SessionsPerWeek {
			short = append(short, w)
		}
	}
	return short
}

// monday is the Monday of a date's week.
func monday(d time.Time) time.Time {
	back := (int(d.Weekday()) + 6) % 7
	return AddDays(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), -back)
}
