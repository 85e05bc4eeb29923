package policy

import (
	"sort"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// DefaultSilentAfterSchoolDays is how many of its school's school days a class may miss in a row
// before it counts as silent (the example: three).
const DefaultSilentAfterSchoolDays = 3

// SilentSince tells whether a class has fallen silent: on the last n (or more) days its school
// reported, up to yesterday, the class sent no roll call. It returns the first of those days, so
// that the children's "unknown since DATE" stays the same day after day while the silence lasts
// (one write when the class falls silent, one when it reports again). Today is not missed yet.
func SilentSince(schoolDays, classDays []v1.Date, today v1.Date, n int) (v1.Date, bool) {
	reported := map[v1.Date]bool{}
	latest := v1.Date("")
	for _, d := range classDays {
		reported[d] = true
		if d > latest {
			latest = d
		}
	}
	var missed []v1.Date
	for _, d := range schoolDays {
		if d > latest && d < today && !reported[d] {
			missed = append(missed, d)
		}
	}
	if n < 1 || len(missed) < n {
		return "", false
	}
	sort.Slice(missed, func(i, j int) bool { return missed[i] < missed[j] })
	return missed[0], true
}
