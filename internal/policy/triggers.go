package policy

import (
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// defaultMinimumSchoolDays is how many school days a term needs before a percentage says
// anything: one day away on the first day of term is not chronic absence.
const defaultMinimumSchoolDays = 10

// ReachedStep is a step before the case that the child's days reached, and the day they did.
type ReachedStep struct {
	Step v1.LadderStep
	On   time.Time
	// Reason is the kind of trigger that fired (ReasonUnexcusedAbsence, ReasonCumulativeAbsence…).
	Reason string
}

// StepsReached are the steps before the case that the child's days reach today, in ladder order.
func StepsReached(l Ladder, a ChildAttendance) []ReachedStep {
	var out []ReachedStep
	for _, s := range l.Steps {
		if s.Stage != "" {
			continue
		}
		if on, reason, ok := TriggerReached(s.When, a); ok {
			out = append(out, ReachedStep{Step: s, On: on, Reason: reason})
		}
	}
	return out
}

// TriggerReached reports whether the day-counting triggers of a step hold on the child's days,
// since when, and which one fired first. The case's own triggers (visitsRecorded, deadlineMissed)
// count actions and are the case ladder's (EvaluateCase).
func TriggerReached(w v1.StepTrigger, a ChildAttendance) (time.Time, string, bool) {
	var when time.Time
	reason := ""
	consider := func(d time.Time, r string, ok bool) {
		if ok && (reason == "" || d.Before(when)) {
			when, reason = d, r
		}
	}
	if w.ConsecutiveDays != nil {
		d, ok := consecutiveReached(*w.ConsecutiveDays, a)
		consider(d, v1.ReasonUnexcusedAbsence, ok)
	}
	if w.UnexcusedDays != nil && w.WithinSchoolDays != nil {
		d, ok := cumulativeReached(*w.UnexcusedDays, *w.WithinSchoolDays, a.Days)
		consider(d, v1.ReasonCumulativeAbsence, ok)
	}
	if w.AttendanceBelow != nil {
		d, ok := chronicReached(*w.AttendanceBelow, minimumDays(w), a)
		consider(d, v1.ReasonChronicAbsence, ok)
	}
	if w.LeftWithoutLeave != nil && *w.LeftWithoutLeave {
		d, ok := leftWithoutLeaveToday(a.Days)
		consider(d, v1.ReasonLeftWithoutLeave, ok)
	}
	return when, reason, reason != ""
}

func minimumDays(w v1.StepTrigger) int32 {
	if w.MinimumSchoolDays != nil {
		return *w.MinimumSchoolDays
	}
	return defaultMinimumSchoolDays
}

// consecutiveReached: the current run is at least n days; it was reached on the run's nth day.
func consecutiveReached(n int32, a ChildAttendance) (time.Time, bool) {
	if a.ConsecutiveUnexcusedDays < n {
		return time.Time{}, false
	}
	run := currentAbsence(a)
	if d, ok := run.day(n); ok {
		return d, true
	}
	return run.since, true
}

// cumulativeReached: at least n unexcused days within the latest m school days, reached on the
// nth of them in that window.
func cumulativeReached(n, m int32, days []v1.SchoolDay) (time.Time, bool) {
	window := days[max(0, len(days)-int(m)):]
	count := int32(0)
	for _, d := range window {
		if IsUnexcused(d.Mark) {
			if count++; count == n {
				return MustDate(d.Date), true
			}
		}
	}
	return time.Time{}, false
}

// chronicReached: the term has at least minDays school days and the days present are below the
// percentage of them (exactly, in hundredths of a percent); reached on the latest day.
func chronicReached(below v1.Percent, minDays int32, a ChildAttendance) (time.Time, bool) {
	threshold, ok := percentHundredths(below)
	if !ok {
		return time.Time{}, false
	}
	var total, present int
	var latest v1.Date
	for _, d := range a.Days {
		if d.Date < a.YearStart {
			continue
		}
		total++
		if d.Mark == v1.MarkPresent {
			present++
		}
		latest = d.Date
	}
	if total < int(minDays) || present*10000 >= threshold*total {
		return time.Time{}, false
	}
	return MustDate(latest), true
}

// leftWithoutLeaveToday: the latest recorded day the child left without leave.
func leftWithoutLeaveToday(days []v1.SchoolDay) (time.Time, bool) {
	if len(days) == 0 || days[len(days)-1].Mark != v1.MarkLeftWithoutLeave {
		return time.Time{}, false
	}
	return MustDate(days[len(days)-1].Date), true
}

// DueActions are the actions the reached steps ask for, each due by the day the step was reached
// plus the step's deadline.
func DueActions(l Ladder, reached []ReachedStep) []v1.DueAction {
	var out []v1.DueAction
	for _, r := range reached {
		days := l.ActionDeadlineDays
		if r.Step.DeadlineDays != nil {
			days = *r.Step.DeadlineDays
		}
		for _, a := range r.Step.Actions {
			out = append(out, v1.DueAction{Step: r.Step.Name, Type: a.Type, Line: a.Line, Roles: a.Roles, DueBy: FormatDate(AddDays(r.On, int(days)))})
		}
	}
	return out
}
