package policy

import (
	"reflect"
	"testing"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestShortWeeks(t *testing.T) {
	d := func(s string) time.Time { return MustDate(v1.Date(s)) }
	from, today := d("2026-11-02"), d("2026-11-18") // weeks of 2 and 9 November are complete
	for _, tc := range []struct {
		name     string
		sessions []Session
		want     []time.Time
	}{
		{"two full sessions each week", []Session{{d("2026-11-03"), 3}, {d("2026-11-05"), 3}, {d("2026-11-10"), 4}, {d("2026-11-12"), 3}}, nil},
		{"one session in a week", []Session{{d("2026-11-03"), 3}, {d("2026-11-05"), 3}, {d("2026-11-10"), 3}}, []time.Time{d("2026-11-09")}},
		{"a session under three hours does not count", []Session{{d("2026-11-03"), 3}, {d("2026-11-05"), 2.5}, {d("2026-11-10"), 3}, {d("2026-11-12"), 3}}, []time.Time{d("2026-11-02")}},
		{"the current week is not judged", []Session{{d("2026-11-03"), 3}, {d("2026-11-04"), 3}, {d("2026-11-10"), 3}, {d("2026-11-11"), 3}}, nil},
	} {
		if got := ShortWeeks(tc.sessions, from, today, DefaultHomeTeachingRule); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
