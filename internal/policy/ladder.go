package policy

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/terms"
)

// CaseFacts is everything the ladder looks at for one case.
type CaseFacts struct {
	Type   v1.CaseType
	Opened time.Time
	Today  time.Time
	// Attendance is the child's summary and its days of the class record.
	Attendance ChildAttendance
	// Standing is the verdict on the child's enrolment (AssessEnrolment).
	Standing EnrolmentAssessment
	Actions  []v1.CaseAction
	Closure  *v1.Closure
	// ClosedReason is set when the case already closed: a closed case stays closed, and a new
	// episode opens a new case.
	ClosedReason string
	// Recorded is the stage and the day it began as the case's status has them. They stand in for
	// dates the attendance no longer holds (a run longer than the recorded days), and keep the day
	// a closed case was struck off.
	Recorded RecordedStage
	Ladder   Ladder
	// OnRoster: for a case of the start-of-term sweep, the child is on a roster of the term again
	// (SweepCaseOnRoster).
	OnRoster bool
}

// RecordedStage is a stage and the local day it began.
type RecordedStage struct {
	Stage   v1.Stage
	Entered time.Time
}

// recordedOr is the day a stage began when the attendance still holds it (ok), else the day the
// status recorded for that stage, else fallback.
func (f CaseFacts) recordedOr(stage v1.Stage, day time.Time, ok bool, fallback time.Time) time.Time {
	switch {
	case ok:
		return day
	case f.Recorded.Stage == stage && !f.Recorded.Entered.IsZero():
		return f.Recorded.Entered
	}
	return fallback
}

// CaseState is where a case stands and what is due.
type CaseState struct {
	Stage v1.Stage
	// Entered is the date the stage began, derived from attendance and actions, so that it is the
	// same whenever and however often the case is evaluated.
	Entered time.Time
	// Reason is a CamelCase reason for the stage (for conditions, events and history).
	Reason string
	// RequiredAction is due by Deadline on RequiredLine; empty when nothing is due.
	RequiredAction v1.ActionType
	RequiredLine   v1.Line
	// Deadline is the last day the required action is on time, or the return notice's deadline.
	Deadline *time.Time
	Overdue  bool
	// NextChange is the first date on which the state can change with no new report or action.
	NextChange     *time.Time
	DaysAbsent     int32
	VisitsRecorded int32
	VisitsRequired int32
	FollowUpDays   int32
	ClosedReason   string
}

// Open reports whether a stage is still on the ledger.
func Open(s v1.Stage) bool { return s != v1.StageClosed }

// Escalated reports whether a stage is past the school's own work.
func Escalated(s v1.Stage) bool {
	return s == v1.StageTownshipReported || s == v1.StageReturnNoticeIssued || s == v1.StageLegalAction
}

// ShouldOpenCase reports whether a child's run of unexcused absence reaches the case threshold.
func ShouldOpenCase(summary v1.AttendanceSummary, l Ladder) bool {
	return summary.ConsecutiveUnexcusedDays >= l.SchoolReportAfterDays
}

// AtRisk reports whether a child is absent enough to worry about but below the case threshold.
func AtRisk(summary v1.AttendanceSummary, l Ladder) bool {
	d := summary.ConsecutiveUnexcusedDays
	return d >= l.AtRiskAfterDays && d < l.SchoolReportAfterDays
}

// EvaluateCase walks the ladder for one case. Dates decide everything: the stage and the day it
// began come from the attendance record and the recorded actions, so re-evaluating, restarting, or
// seeing events in another order gives the same result.
func EvaluateCase(f CaseFacts) CaseState {
	if st, closed := closedState(f); closed {
		return st
	}
	var st CaseState
	switch {
	case f.Type == v1.CaseNotEnrolled:
		st = notEnrolledState(f)
	case IsSweepCase(f.Type):
		// The child is on no roster of the term, so no roll call counts its days: like 视同辍学,
		// the case climbs on actions alone until the registry lists the child again.
		st = actionsOnlyState(f, sweepReason(f.Type))
	default:
		st = droppedOutState(f)
	}
	if st.Stage == v1.StageClosed {
		return st
	}
	st.VisitsRequired = f.Ladder.RequiredVisits
	dueAction(&st, f)
	return st
}

func closedState(f CaseFacts) (CaseState, bool) {
	switch {
	case f.ClosedReason != "":
		return CaseState{Stage: v1.StageClosed, Reason: f.ClosedReason, ClosedReason: f.ClosedReason,
			Entered: f.recordedOr(v1.StageClosed, time.Time{}, false, f.Today)}, true
	case f.Closure != nil:
		d, err := ParseDate(f.Closure.Date)
		if err != nil {
			d = f.Today
		}
		return CaseState{Stage: v1.StageClosed, Reason: v1.ReasonClosedByDecision, ClosedReason: v1.ReasonClosedByDecision, Entered: d}, true
	case f.Standing.Standing == StandingExempt || f.Standing.Standing == StandingNotSchoolAge:
		return CaseState{Stage: v1.StageClosed, Reason: f.Standing.Reason, ClosedReason: f.Standing.Reason, Entered: f.Today}, true
	case f.Type == v1.CaseNotEnrolled && f.Standing.Standing == StandingInSchool:
		return CaseState{Stage: v1.StageClosed, Reason: v1.ReasonEnrolled, ClosedReason: v1.ReasonEnrolled, Entered: f.Today}, true
	case IsSweepCase(f.Type) && f.OnRoster:
		return CaseState{Stage: v1.StageClosed, Reason: v1.ReasonOnRoster, ClosedReason: v1.ReasonOnRoster, Entered: f.Today}, true
	}
	return CaseState{}, false
}

func droppedOutState(f CaseFacts) CaseState {
	if f.Standing.Standing == StandingOutOfSchool {
		// A claimed reason without valid evidence (视同辍学): the child is on no class roll, so
		// old attendance says nothing about a return. The case climbs on actions alone.
		return actionsOnlyState(f, f.Standing.Reason)
	}
	run := currentAbsence(f.Attendance).from(f.Opened)
	if run.days == 0 {
		// Days back count after the last unexcused day, and never from before the case opened
		// (a 视同辍学 child enrolled again brings the record of an earlier school year).
		recent := f.Attendance.Days
		after := lastUnexcused(recent)
		if dayBefore := FormatDate(AddDays(f.Opened, -1)); dayBefore > after {
			after = dayBefore
		}
		if present := PresentDatesSince(recent, after); len(present) > 0 {
			return returnedState(f, present)
		}
	}
	// The run starts the episode's actions: after a relapse, the actions of the earlier run are
	// history, and the ladder is climbed again from the school.
	since := f.Opened
	if run.days > 0 {
		since = run.since
	}
	acts := actionsSince(f.Actions, since)
	st := CaseState{Stage: v1.StageSchoolReported, Reason: "UnexcusedAbsence", Entered: since, DaysAbsent: run.days}
	if n := f.Ladder.SchoolReportAfterDays; run.days >= n {
		d, ok := run.day(n)
		st.Entered = f.recordedOr(v1.StageSchoolReported, d, ok, since)
	}
	st.VisitsRecorded = int32(len(acts.of(v1.ActionHomeVisit)))
	var tooLong *time.Time
	if n := f.Ladder.TownshipReportAfterDays; run.days >= n {
		d, ok := run.day(n)
		d = f.recordedOr(v1.StageTownshipReported, d, ok, since)
		tooLong = &d
	}
	if d, reason, ok := townshipTrigger(tooLong, run.days > 0, acts, f.Ladder); ok {
		st.Stage, st.Entered, st.Reason = v1.StageTownshipReported, d, reason
	}
	escalateByNotice(&st, acts, f.Today, f.Ladder)
	return st
}

// actionsOnlyState is the ladder of a case whose child is on no class roll: it starts at
// SchoolReported on the day the case opened and climbs on recorded actions alone.
func actionsOnlyState(f CaseFacts, reason string) CaseState {
	acts := actionsSince(f.Actions, f.Opened)
	st := CaseState{Stage: v1.StageSchoolReported, Reason: reason, Entered: f.Opened}
	st.VisitsRecorded = int32(len(acts.of(v1.ActionHomeVisit)))
	if d, reason, ok := townshipTrigger(nil, true, acts, f.Ladder); ok {
		st.Stage, st.Entered, st.Reason = v1.StageTownshipReported, d, reason
	}
	escalateByNotice(&st, acts, f.Today, f.Ladder)
	return st
}

func sweepReason(t v1.CaseType) string {
	if t == v1.CaseNotHandedOver {
		return v1.ReasonNotHandedOver
	}
	return v1.ReasonNotOnRoster
}

// absence is the current run of unexcused absence: its length and first day from the summary,
// and the dates of the days still recorded, oldest first.
type absence struct {
	days     int32
	since    time.Time
	recorded []v1.Date
}

func currentAbsence(s ChildAttendance) absence {
	a := absence{days: s.ConsecutiveUnexcusedDays, recorded: CurrentRun(s.Days)}
	if a.days > 0 {
		a.since = MustDate(s.AbsentSince)
	}
	return a
}

// from is the part of the run on or after a case's opening: a 视同辍学 child enrolled again may
// bring a run of absence from before the case, which is not the case's to count. An episode's
// own case opens on the run's first day, so its run is whole.
func (a absence) from(opened time.Time) absence {
	if a.days == 0 || !a.since.Before(opened) {
		return a
	}
	first := FormatDate(opened)
	var kept []v1.Date
	for _, d := range a.recorded {
		if d >= first {
			kept = append(kept, d)
		}
	}
	if len(kept) == 0 {
		return absence{}
	}
	return absence{days: int32(len(kept)), since: MustDate(kept[0]), recorded: kept}
}

// day is the date of the run's nth day (1-based), when it is still recorded.
func (a absence) day(n int32) (time.Time, bool) {
	i := int(n) - 1 - (int(a.days) - len(a.recorded))
	if n < 1 || n > a.days || i < 0 || i >= len(a.recorded) {
		return time.Time{}, false
	}
	return MustDate(a.recorded[i]), true
}

func notEnrolledState(f CaseFacts) CaseState {
	acts := actionsSince(f.Actions, f.Opened)
	st := CaseState{Stage: v1.StageTownshipReported, Reason: f.Standing.Reason, Entered: f.Opened}
	st.VisitsRecorded = int32(len(acts.of(v1.ActionHomeVisit)))
	escalateByNotice(&st, acts, f.Today, f.Ladder)
	return st
}

func returnedState(f CaseFacts, present []v1.Date) CaseState {
	st := CaseState{Stage: v1.StageReturned, Reason: "AttendingAgain", Entered: MustDate(present[0]), FollowUpDays: int32(len(present))}
	if st.FollowUpDays >= f.Ladder.FollowUpSchoolDays {
		return CaseState{Stage: v1.StageClosed, Reason: v1.ReasonReturned, ClosedReason: v1.ReasonReturned, Entered: MustDate(present[f.Ladder.FollowUpSchoolDays-1]), FollowUpDays: st.FollowUpDays}
	}
	return st
}

// townshipTrigger finds the first day the case had to go to the township: the Nth day of
// absence (tooLong), the visit that completed the quota with the child still away, or a dropout
// report.
func townshipTrigger(tooLong *time.Time, away bool, acts actionSet, l Ladder) (time.Time, string, bool) {
	var when time.Time
	reason := ""
	consider := func(d time.Time, r string) {
		if reason == "" || d.Before(when) {
			when, reason = d, r
		}
	}
	if tooLong != nil {
		consider(*tooLong, "AbsentTooLong")
	}
	if visits := acts.of(v1.ActionHomeVisit); l.RequiredVisits > 0 && len(visits) >= int(l.RequiredVisits) && away {
		consider(visits[l.RequiredVisits-1], "VisitsExhausted")
	}
	if reports := acts.of(v1.ActionDropoutReport); len(reports) > 0 {
		consider(reports[0], "DropoutReportFiled")
	}
	return when, reason, reason != ""
}

// escalateByNotice applies a return notice and, once its deadline has passed with the child still
// out, legal action. A notice without a deadline gives the ladder's returnNoticeDays. A recorded
// legal referral also means legal action.
func escalateByNotice(st *CaseState, acts actionSet, today time.Time, l Ladder) {
	notice := acts.latestNotice()
	if notice != nil {
		date := MustDate(notice.Date)
		deadline, err := ParseDate(notice.Deadline)
		if err != nil {
			deadline = AddDays(date, int(l.ReturnNoticeDays))
		}
		st.Stage, st.Entered, st.Reason = v1.StageReturnNoticeIssued, date, "ReturnNoticeIssued"
		st.Deadline = &deadline
		if today.After(deadline) && stepAt(l.Steps, v1.StageLegalAction) != nil {
			st.Stage, st.Entered, st.Reason, st.Deadline = v1.StageLegalAction, AddDays(deadline, 1), "ReturnDeadlinePassed", nil
		}
	}
	// A referral counts from its own date, also when it came before the notice's deadline passed:
	// legal action then began with the referral, and the referral it requires is recorded.
	if refs := acts.of(v1.ActionLegalReferral); len(refs) > 0 && (st.Stage != v1.StageLegalAction || refs[0].Before(st.Entered)) {
		st.Stage, st.Entered, st.Reason, st.Deadline = v1.StageLegalAction, refs[0], "LegalReferral", nil
	}
}

// dueAction sets the action due, its deadline, whether it is overdue, and when time alone will
// next change the state.
func dueAction(st *CaseState, f CaseFacts) {
	if st.Stage == v1.StageReturnNoticeIssued && st.Deadline != nil {
		next := AddDays(*st.Deadline, 1)
		st.NextChange = &next
		return
	}
	acts := actionsSince(f.Actions, st.Entered)
	required, days := stageActions(f.Ladder, st.Stage)
	bothLines := typesOnBothLines(f.Ladder.Steps)
	for _, req := range required {
		if f.Type == v1.CaseNotEnrolled && req.Type == v1.ActionDropoutReport {
			continue // a child who never enrolled has no school to file a dropout report
		}
		if acts.recordedBy(req.Type, req.Line, bothLines[req.Type]) {
			continue
		}
		deadline := AddDays(st.Entered, int(days))
		st.RequiredAction, st.RequiredLine, st.Deadline = req.Type, req.Line, &deadline
		st.Overdue = f.Today.After(deadline)
		if !st.Overdue {
			next := AddDays(deadline, 1)
			st.NextChange = &next
		}
		return
	}
}

// OverdueMessage tells who owes what since when: in Chinese for the county staff who read it,
// then in English.
func OverdueMessage(st CaseState, owner *v1.Assignee) string {
	who, zhWho := "the "+string(st.RequiredLine)+" line", terms.Name(st.RequiredLine)
	if owner != nil {
		who += " (" + string(owner.Role) + ")"
		zhWho += "（" + terms.Name(owner.Role) + "）"
	}
	due := FormatDate(*st.Deadline)
	return fmt.Sprintf("%s应于 %s 前由%s办理，尚未记录。%s was due by %s from %s and is not recorded",
		terms.Name(st.RequiredAction), due, zhWho, actionNames[st.RequiredAction], due, who)
}

var actionNames = map[v1.ActionType]string{
	v1.ActionPersuasionLetter: "the persuasion letter (劝学书)",
	v1.ActionDropoutReport:    "the dropout report (辍学报告书)",
	v1.ActionReturnNotice:     "the return-to-school notice (复学通知书)",
	v1.ActionLegalReferral:    "the legal referral (依法控辍)",
	v1.ActionHomeVisit:        "a home visit",
}

// actionSet is a case's actions from one date on.
type actionSet []v1.CaseAction

func actionsSince(all []v1.CaseAction, since time.Time) actionSet {
	from := FormatDate(since)
	var out actionSet
	for _, a := range all {
		if a.Date >= from {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// of lists the dates of one type of action, oldest first.
func (s actionSet) of(t v1.ActionType) []time.Time {
	var out []time.Time
	for _, a := range s {
		if a.Type == t {
			if d, err := ParseDate(a.Date); err == nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// recordedBy reports whether an action of a type was recorded. Where the ladder asks both lines
// for actions of the type (home visits), it must be the line's own: the visit the village cadre
// owes is not done by the teacher's.
func (s actionSet) recordedBy(t v1.ActionType, line v1.Line, lineMatters bool) bool {
	for _, a := range s {
		if a.Type == t && (!lineMatters || a.Line == line) {
			return true
		}
	}
	return false
}

func (s actionSet) latestNotice() *v1.CaseAction {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].Type == v1.ActionReturnNotice {
			return &s[i]
		}
	}
	return nil
}

func lastUnexcused(days []v1.SchoolDay) v1.Date {
	for i := len(days) - 1; i >= 0; i-- {
		if IsUnexcused(days[i].Mark) {
			return days[i].Date
		}
	}
	return ""
}

// CaseDue decides whether a child needs a case, of which type, and from which day.
// A child found out of school is counted from the latest of: the start of school age, the day the
// status began, the day after its evidence ran out, and the day the county registered the child —
// so a case is not born overdue. The day is never after today: a child out of school today has a
// case today. Evidence that has not run out yet and still does not cover the child is invalid
// evidence (a deferral too long, a suspension without a certificate): its end date says nothing
// about when the child stopped counting.
func CaseDue(s *v1.Student, summary ChildAttendance, standing EnrolmentAssessment, ladder Ladder, rules SchoolAgeRules, registered, today time.Time) (v1.CaseType, time.Time, bool) {
	switch standing.Standing {
	case StandingInSchool:
		if opened, ok := LatestEpisode(summary, ladder); ok {
			return v1.CaseDroppedOut, opened, true
		}
	case StandingOutOfSchool:
		birth, _ := ParseDate(s.Spec.BirthDate)
		from, _ := rules.SchoolAgeWindow(birth)
		candidates := []time.Time{registered}
		if since, err := ParseDate(s.Spec.Enrolment.Since); err == nil {
			candidates = append(candidates, since)
		}
		if ends, ok := EvidenceEnds(s); ok && !ends.After(today) {
			candidates = append(candidates, ends)
		}
		for _, c := range candidates {
			if c.After(from) {
				from = c
			}
		}
		// Never later than today, or than the registration if a clock lags behind it.
		if limit := laterOf(today, registered); from.After(limit) {
			from = limit
		}
		// A child who never enrolled, deferral or not, is 失学; a claimed reason without valid
		// evidence counts as dropping out (视同辍学).
		if !TreatedAsDropout(s, standing) {
			return v1.CaseNotEnrolled, from, true
		}
		return v1.CaseDroppedOut, from, true
	}
	return "", time.Time{}, false
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// CaseName is the deterministic name of a child's case for one episode: the same child, type and
// first day always give the same name, so no retry or restart can open a second case. A student
// name too long to fit is shortened with a hash of the whole, so that two children never share a
// case name.
func CaseName(student string, t v1.CaseType, opened time.Time) string {
	kind := map[v1.CaseType]string{v1.CaseDroppedOut: "do", v1.CaseNotEnrolled: "ne", v1.CaseNotReturnedAfterTerm: "nr", v1.CaseNotHandedOver: "nh"}[t]
	suffix := fmt.Sprintf("-%s-%s", kind, opened.Format("20060102"))
	if len(student)+len(suffix) <= 63 {
		return student + suffix
	}
	sum := sha256.Sum256([]byte(student))
	short := strings.TrimRight(student[:63-len(suffix)-9], "-.")
	return fmt.Sprintf("%s-%x%s", short, sum[:4], suffix)
}

// Assign names the assignees of a case at a stage: on the education line the class (or 包人)
// teacher and the principal; on the government line, from TownshipReported on, the village group
// leader, the village cadre and the township cadre, and from LegalAction on the county.
func Assign(stage v1.Stage, r Resolution) v1.Assignees {
	var a v1.Assignees
	a.Education = assignees(r.Education, LevelStudents, LevelClass, LevelSchool)
	if len(a.Education) == 0 {
		a.Education = assignees(r.Education, LevelGrade, LevelCounty)
	}
	switch stage {
	case v1.StageSchoolReported:
		// The village is on the case from its first day (000: "镇政府将把任务分解到…村委").
		a.Government = assignees(r.Government, LevelGroup, LevelVillage)
	case v1.StageTownshipReported, v1.StageReturnNoticeIssued:
		a.Government = assignees(r.Government, LevelGroup, LevelVillage, LevelTownship)
	case v1.StageLegalAction:
		a.Government = assignees(r.Government, LevelGroup, LevelVillage, LevelTownship, LevelCounty)
	}
	return a
}

func assignees(c Chain, levels ...Level) []v1.Assignee {
	var out []v1.Assignee
	for _, l := range levels {
		if ag := c.AtLevel(l); ag != nil {
			out = append(out, v1.Assignee{Role: ag.Spec.Responsible.Role, Name: ag.Spec.Responsible.Name, Agreement: ag.Name})
		}
	}
	return out
}

// Owner is the assignee who owes the required action: the first one on its line.
func Owner(st CaseState, a v1.Assignees) *v1.Assignee {
	list := a.Education
	if st.RequiredLine == v1.LineGovernment {
		list = a.Government
	}
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}

// AssigneeChanges lists the changes of hands between two assignments, role by role. With the
// stage changing, roles that join or leave the case (the village from TownshipReported on, the
// county at LegalAction) are the ladder at work, told by the stage change: only a role whose
// person changed counts then.
func AssigneeChanges(before, after v1.Assignees, stageChanged bool, now time.Time) []v1.AssigneeChange {
	var out []v1.AssigneeChange
	diff := func(line v1.Line, old, cur []v1.Assignee) {
		oldBy, curBy := byRole(old), byRole(cur)
		for _, role := range sortedRoles(oldBy, curBy) {
			if stageChanged && (oldBy[role] == "" || curBy[role] == "") {
				continue
			}
			if oldBy[role] != curBy[role] {
				out = append(out, v1.AssigneeChange{Line: line, Role: role, From: oldBy[role], To: curBy[role]})
			}
		}
	}
	diff(v1.LineEducation, before.Education, after.Education)
	diff(v1.LineGovernment, before.Government, after.Government)
	for i := range out {
		out[i].Time.Time = now
	}
	return out
}

func byRole(list []v1.Assignee) map[v1.Role]string {
	m := map[v1.Role]string{}
	for _, a := range list {
		m[a.Role] = a.Name
	}
	return m
}

func sortedRoles(ms ...map[v1.Role]string) []v1.Role {
	seen := map[v1.Role]bool{}
	var out []v1.Role
	for _, m := range ms {
		for r := range m {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
