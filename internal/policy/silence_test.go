package policy

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestSilentSince(t *testing.T) {
	school := []v1.Date{"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"}
	for _, tc := range []struct {
		name   string
		class  []v1.Date
		today  v1.Date
		since  v1.Date
		silent bool
	}{
		{"reports every day", school, "2026-11-09", "", false},
		{"two days missed", school[:3], "2026-11-09", "", false},
		{"three days missed", school[:2], "2026-11-09", "2026-11-04", true},
		{"today is not missed yet", school[:2], "2026-11-06", "", false},
		{"never reported", nil, "2026-11-09", "2026-11-02", true},
		{"reported again after a gap", []v1.Date{"2026-11-02", "2026-11-06"}, "2026-11-09", "", false},
	} {
		since, silent := SilentSince(school, tc.class, tc.today, DefaultSilentAfterSchoolDays)
		if since != tc.since || silent != tc.silent {
			t.Errorf("%s: got %q %v, want %q %v", tc.name, since, silent, tc.since, tc.silent)
		}
	}
}
