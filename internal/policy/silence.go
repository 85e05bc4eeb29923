package policy

import (
	"fmt"
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

// ClassSilence is a class agreement's Silent condition, from the day the class fell silent
// (SilentSince; empty while it reports).
func ClassSilence(since v1.Date) Condition {
	if since == "" {
		return Condition{Type: v1.AgreementSilent, Reason: v1.ReasonReporting, Message: "班级按时报送考勤"}
	}
	return Condition{Type: v1.AgreementSilent, True: true, Reason: v1.ReasonClassSilent,
		Message: fmt.Sprintf("自 %s 起学校已报考勤而本班未报，学生出勤情况不明", since)}
}

// ClassSilentSince is the day the child's class fell silent, read from the class agreement that
// covers it (the narrowest Education agreements first); empty when the class reports. A roll call
// of the class on or after that day (in days, the child's days of its class) ends the silence
// even before the agreement's status says so.
func ClassSilentSince(education Chain, days []v1.SchoolDay) v1.Date {
	for _, a := range education {
		if ScopeLevel(a.Spec.Scope) != LevelClass || a.Status.Reporting == nil {
			continue
		}
		since := a.Status.Reporting.SilentSince
		if since != "" && len(days) > 0 && days[len(days)-1].Date >= since {
			return ""
		}
		return since
	}
	return ""
}
